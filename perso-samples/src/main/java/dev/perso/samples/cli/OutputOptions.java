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

  /**
   * @param out where to print
   * @return a JSON object written as it goes (close it to end the object)
   */
  JsonStream stream(PrintWriter out) {
    try {
      com.fasterxml.jackson.core.JsonGenerator g = JSON.createGenerator(out)
          .disable(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET)
          .useDefaultPrettyPrinter();
      g.writeStartObject();
      return new JsonStream(g, out);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("JSON output failed", e);
    }
  }

  /** One JSON object printed field by field and array element by array element, flushed as it goes. */
  static final class JsonStream implements AutoCloseable {
    private final com.fasterxml.jackson.core.JsonGenerator g;
    private final PrintWriter out;

    private JsonStream(com.fasterxml.jackson.core.JsonGenerator g, PrintWriter out) {
      this.g = g;
      this.out = out;
    }

    void field(String name, Object value) {
      write(() -> g.writeObjectField(name, value));
    }

    void startArray(String name) {
      write(() -> g.writeArrayFieldStart(name));
    }

    void element(Object value) {
      write(() -> g.writeObject(value));
    }

    void endArray() {
      write(g::writeEndArray);
    }

    @Override
    public void close() {
      write(() -> {
        g.writeEndObject();
        g.close();
        out.println();
      });
    }

    private interface Io {
      void run() throws java.io.IOException;
    }

    private void write(Io io) {
      try {
        io.run();
        g.flush();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("JSON output failed", e);
      }
    }
  }
}
