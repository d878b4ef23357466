package dev.perso.samples.cli;

import dev.perso.core.MalformedDataException;
import dev.perso.core.PersoException;
import dev.perso.core.ValidationException;
import dev.perso.core.record.JsonLinesRecords;
import dev.perso.core.record.RecordSource;
import dev.perso.emv.cps.DgiScript;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code perso cps ...}: EMV CPS perso-data tools ({@code inspect}, {@code script}, both offline) and
 * {@code run}, which personalizes cards one after another in a PC/SC reader.
 *
 * <pre>
 * perso cps inspect perso-data.jsonl
 * perso cps run --input perso-data.jsonl --reader "ACS ACR39U*" --kmc 404142434445464748494A4B4C4D4E4F \
 *     --transport-kek 00112233445566778899AABBCCDDEEFF
 * </pre>
 */
@Command(name = "cps", description = "EMV CPS personalization: inspect perso data, dry-run a card's APDUs, "
    + "personalize cards in a PC/SC reader.",
    subcommands = {CpsInspectCommand.class, CpsScriptCommand.class, CpsRunCommand.class})
final class CpsCommand extends CommandGroup {

  /**
   * @param file a perso-data file: {@code .dgi} / {@code .txt} is a DGI script, anything else JSON Lines
   * @param maxLineBytes the longest line accepted ({@code --max-line-bytes})
   * @return a streaming source
   */
  static RecordSource open(Path file, int maxLineBytes) {
    String n = file.getFileName() == null ? "" : file.getFileName().toString();
    return n.endsWith(".dgi") || n.endsWith(".txt") ? DgiScript.open(file, maxLineBytes)
        : JsonLinesRecords.open(file, maxLineBytes);
  }

  /** The {@code --max-line-bytes} option of the commands that read perso data. */
  static final class LineLimit {
    @Option(names = "--max-line-bytes", paramLabel = "N", defaultValue = "1048576",
        description = "The longest record line read, in bytes (default 1048576 = 1 MiB); a longer line rejects "
            + "its card only.")
    int maxLineBytes;

    /** @return the limit, checked */
    int bytes() {
      if (maxLineBytes < 1 || maxLineBytes > 1 << 30) {
        throw new ValidationException("--max-line-bytes", "must be 1.." + (1 << 30) + ", was " + maxLineBytes);
      }
      return maxLineBytes;
    }

    /**
     * @param e why a record was rejected
     * @return its message; for a line over the limit, naming the option that sets it
     */
    String reason(PersoException e) {
      String m = e.getMessage();
      return e instanceof MalformedDataException && m.contains("line longer than")
          ? m.replace("(maxLineBytes)", "(--max-line-bytes)") : m;
    }
  }

  /**
   * @param named the profile the data names
   * @param given the profile loaded from {@code --profile FILE}, or null for the shipped example of that name
   * @return the profile to use
   */
  static dev.perso.emv.cps.CardProfile profileFor(String named, dev.perso.emv.cps.CardProfile given) {
    if (given == null) {
      return dev.perso.emv.cps.CardProfile.example(named);
    }
    if (!given.name().equals(named)) {
      throw new dev.perso.core.ValidationException("--profile", "the data names profile '" + named
          + "', the profile file is '" + given.name() + "'");
    }
    return given;
  }
}
