package dev.perso.emv.cps;

import dev.perso.core.TransportException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.NoSuchElementException;

/**
 * The streaming plumbing shared by the line-oriented perso-data formats: numbered line reading with one
 * line of push-back, look-ahead for {@link #hasNext()}, and closing. Subclasses turn lines into cards.
 */
abstract class LineSource implements PersoDataSource {
  private final BufferedReader reader;
  private final String name;
  private int lineNumber;
  private String pushedBack;
  private PersoInput next;
  private boolean done;

  LineSource(Reader reader, String name) {
    this.reader = reader instanceof BufferedReader ? (BufferedReader) reader : new BufferedReader(reader);
    this.name = name;
  }

  static BufferedReader openUtf8(Path file, String format) {
    try {
      return Files.newBufferedReader(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new TransportException("cannot open " + format + " " + file + ": " + e.getMessage(), e);
    }
  }

  /** @return the next card or rejection, or null at the end */
  abstract PersoInput read();

  /** @return the source's name, for locations */
  final String name() {
    return name;
  }

  /** @return the number of the line last read */
  final int lineNumber() {
    return lineNumber;
  }

  /** @return {@code name:line} of the line last read */
  final String location() {
    return name + ":" + lineNumber;
  }

  /** @return the next line, or null at the end */
  final String readLine() {
    lineNumber++;
    if (pushedBack != null) {
      String l = pushedBack;
      pushedBack = null;
      return l;
    }
    try {
      return reader.readLine();
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + location(), e);
    }
  }

  /** @param line the line last read, to be read again next time */
  final void pushBack(String line) {
    pushedBack = line;
    lineNumber--;
  }

  @Override
  public final boolean hasNext() {
    if (next == null && !done) {
      next = read();
      done = next == null;
    }
    return next != null;
  }

  @Override
  public final PersoInput next() {
    if (!hasNext()) {
      throw new NoSuchElementException("no more cards in " + name);
    }
    PersoInput n = next;
    next = null;
    return n;
  }

  @Override
  public final void close() {
    try {
      reader.close();
    } catch (IOException e) {
      throw new UncheckedIOException("closing " + name, e);
    }
  }
}
