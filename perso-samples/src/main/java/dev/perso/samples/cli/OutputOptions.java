package dev.perso.samples.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** The {@code --json} option shared by every command, and the writer that honours it. */
final class OutputOptions {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Option(names = "--json", description = "Print machine-readable JSON instead of text.")
  boolean json;

  /**
   * Prints {@code value} as JSON when {@code --json} was given, otherwise {@code text}.
   *
   * @param out where to print
   * @param value a Jackson-serializable value (maps, lists, records)
   * @param text the human-readable form
   */
  void print(PrintWriter out, Object value, String text) {
    if (json) {
      try {
        out.println(JSON.writeValueAsString(value));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("JSON output failed", e);
      }
    } else {
      out.print(text.endsWith("\n") ? text : text + "\n");
    }
    out.flush();
  }
}
