package dev.perso.samples.cli;

import dev.perso.core.Bytes;
import dev.perso.core.MalformedDataException;
import dev.perso.core.TransportException;
import dev.perso.core.ValidationException;
import dev.perso.samples.io.PrivateFiles;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.CharBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import picocli.CommandLine.Model.CommandSpec;

/**
 * How every key option of the CLI ({@code --kmc}, {@code --transport-kek}, {@code --key}, {@code --cvk}...)
 * reads its key, one syntax for all:
 *
 * <ul>
 *   <li>{@code file:PATH}: hex in a file that only its owner can read (mode 0600 or 0400; refused otherwise);
 *   <li>{@code env:NAME}: hex in an environment variable;
 *   <li>{@code prompt}: typed at the terminal, not echoed;
 *   <li>plain hex: works, for public test keys, with a warning on stderr (the process list and the shell
 *       history show it to other local users).
 * </ul>
 *
 * <p>A key's value is never echoed, in errors or otherwise.
 *
 * <pre>
 * perso cps run --kmc file:/etc/perso/kmc.hex --transport-kek env:PERSO_KEK ...
 * perso gp open --reader "ACS*" --key prompt
 * </pre>
 */
final class KeyInput {
  static final String FILE = "file:";
  static final String ENV = "env:";
  static final String PROMPT = "prompt";

  /** Description of the key syntax, for the options' help. */
  static final String SYNTAX = "file:PATH (owner-only file), env:NAME, prompt (not echoed), or HEX (warned: "
      + "visible in the process list)";

  private KeyInput() {}

  /**
   * @param spec the command, for stderr
   * @param option the option's name, for messages
   * @param value the option's value, or null
   * @return the key's bytes, marked secret; null if {@code value} is null
   * @throws ValidationException naming the option (never the value) for a bad source or bad hex
   */
  static Bytes read(CommandSpec spec, String option, String value) {
    if (value == null) {
      return null;
    }
    if (value.startsWith(FILE)) {
      return fromFile(option, Path.of(value.substring(FILE.length())));
    }
    if (value.startsWith(ENV)) {
      String name = value.substring(ENV.length());
      String v = name.isEmpty() ? null : System.getenv(name);
      if (v == null) {
        throw new ValidationException(option, "environment variable '" + name + "' is not set");
      }
      return hex(option, v);
    }
    if (value.equals(PROMPT)) {
      Console console = System.console();
      if (console == null) {
        throw new ValidationException(option, "prompt needs a terminal; use file:PATH or env:NAME");
      }
      char[] typed = console.readPassword("%s (hex, not echoed): ", option);
      if (typed == null) {
        throw new ValidationException(option, "no key typed");
      }
      try {
        return hex(option, CharBuffer.wrap(typed));
      } finally {
        Arrays.fill(typed, '\0');
      }
    }
    PrintWriter err = spec.commandLine().getErr();
    err.println("perso: warning: " + option + " given as a plain argument is visible to other local users (process "
        + "list, shell history); for real keys use " + option + " file:PATH, env:NAME or prompt");
    err.flush();
    return hex(option, value);
  }

  /**
   * Checks a key's length, for checks before a card is touched.
   *
   * @param option the option's name
   * @param key the key's bytes
   * @param lengths the allowed lengths
   * @return {@code key}
   * @throws ValidationException naming the option if the length is not one of {@code lengths}
   */
  static Bytes requireLength(String option, Bytes key, int... lengths) {
    for (int n : lengths) {
      if (key.length() == n) {
        return key;
      }
    }
    throw new ValidationException(option, "a key of " + key.length() + " bytes cannot be used here (allowed: "
        + Arrays.toString(lengths) + " bytes)");
  }

  private static Bytes fromFile(String option, Path file) {
    if (Files.isSymbolicLink(file)) {
      throw new ValidationException(option, "key file " + file + " is a symbolic link; give the file itself");
    }
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new ValidationException(option, "no key file " + file);
    }
    if (!PrivateFiles.isOwnerOnly(file)) {
      throw new ValidationException(option, "key file " + file + " can be read by other users; chmod 600 " + file);
    }
    byte[] raw;
    try {
      raw = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new TransportException("cannot read key file " + file + " for " + option + ": " + e.getMessage(), e);
    }
    char[] text = new char[raw.length];
    try {
      for (int i = 0; i < raw.length; i++) {
        text[i] = (char) (raw[i] & 0xFF);
      }
      return hex(option, CharBuffer.wrap(text));
    } finally {
      Arrays.fill(raw, (byte) 0);
      Arrays.fill(text, '\0');
    }
  }

  /** Parses secret hex (surrounding whitespace ignored) without ever quoting it. */
  static Bytes hex(String option, CharSequence hex) {
    int start = 0;
    int end = hex.length();
    while (start < end && Character.isWhitespace(hex.charAt(start))) {
      start++;
    }
    while (end > start && Character.isWhitespace(hex.charAt(end - 1))) {
      end--;
    }
    if (start == end) {
      throw new ValidationException(option, "the key is empty");
    }
    try {
      return Bytes.fromHex(hex.subSequence(start, end)).asSecret();
    } catch (MalformedDataException e) {
      throw new ValidationException(option, "not hex (a non-hex character at character " + e.offset() + ")");
    }
  }
}
