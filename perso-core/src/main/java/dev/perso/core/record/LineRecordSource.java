package dev.perso.core.record;

import dev.perso.core.MalformedDataException;
import dev.perso.core.TransportException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.NoSuchElementException;

/**
 * The streaming plumbing of line-oriented record formats: numbered lines decoded as strict UTF-8 one at
 * a time (a line with a bad byte or over the length limit is an error for that line only, and reading
 * goes on with the next), one line of push-back, look-ahead for {@link #hasNext()}, and closing.
 * Formats implement {@link #read()}.
 *
 * <pre>{@code
 * final class MyFormat extends LineRecordSource {
 *   MyFormat(InputStream in) { super(in, "cards.txt"); }
 *   protected RecordInput read() {
 *     String line = readLine();          // MalformedDataException for a bad line
 *     return line == null ? null : new RecordInput.Read(parse(line), location());
 *   }
 * }
 * }</pre>
 */
public abstract class LineRecordSource implements RecordSource {
  /** The longest line accepted by default, in bytes. */
  public static final int MAX_LINE_BYTES = 1 << 20;

  private final InputStream in;
  private final String name;
  private final int maxLineBytes;
  private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
  private final byte[] chunk = new byte[1 << 16];
  private int chunkPos;
  private int chunkEnd;
  private byte[] line = new byte[256];
  private int lineNumber;
  private String pushedBack;
  private RecordInput next;
  private boolean done;
  private boolean eof;

  /**
   * @param in the bytes; closed by {@link #close()}
   * @param name the source's name for locations
   */
  protected LineRecordSource(InputStream in, String name) {
    this(in, name, MAX_LINE_BYTES);
  }

  /**
   * @param in the bytes; closed by {@link #close()}
   * @param name the source's name for locations
   * @param maxLineBytes the longest line accepted, in bytes (a longer line is an error for that line only)
   * @throws dev.perso.core.ValidationException if {@code maxLineBytes} is not 1..2^30
   */
  protected LineRecordSource(InputStream in, String name, int maxLineBytes) {
    if (maxLineBytes < 1 || maxLineBytes > 1 << 30) {
      throw new dev.perso.core.ValidationException("maxLineBytes", "must be 1.." + (1 << 30) + ", was " + maxLineBytes);
    }
    this.in = in;
    this.name = name;
    this.maxLineBytes = maxLineBytes;
  }

  /**
   * @param file a file
   * @param format what it holds, for the error message
   * @return the open stream
   * @throws TransportException naming the file if it cannot be opened or is a directory
   */
  protected static InputStream openFile(Path file, String format) {
    if (Files.isDirectory(file)) {
      throw new TransportException("cannot open " + format + " " + file + ": it is a directory");
    }
    try {
      return Files.newInputStream(file);
    } catch (IOException e) {
      throw new TransportException("cannot open " + format + " " + file + ": " + e.getMessage(), e);
    }
  }

  /** @return the next record or rejection, or null at the end */
  protected abstract RecordInput read();

  @Override
  public final String name() {
    return name;
  }

  /** @return the number of the line last read */
  protected final int lineNumber() {
    return lineNumber;
  }

  /** @return {@code name:line} of the line last read */
  protected final String location() {
    return name + ":" + lineNumber;
  }

  /**
   * @return the next line without its end ({@code \n} or {@code \r\n}), or null at the end
   * @throws MalformedDataException for a line that is not UTF-8 or is longer than the limit;
   *     the line is consumed and the next call reads the one after it
   */
  protected final String readLine() {
    if (pushedBack != null) {
      lineNumber++;
      String l = pushedBack;
      pushedBack = null;
      return l;
    }
    if (eof) {
      return null;
    }
    int len = 0;
    boolean tooLong = false;
    boolean any = false;
    boolean ended = false;
    try {
      while (!ended) {
        if (chunkPos == chunkEnd) {
          int n = in.read(chunk, 0, chunk.length);
          if (n < 0) {
            eof = true;
            break;
          }
          chunkPos = 0;
          chunkEnd = n;
          continue;
        }
        any = true;
        int start = chunkPos;
        int end = start;
        while (end < chunkEnd && chunk[end] != '\n') {
          end++;
        }
        ended = end < chunkEnd;
        chunkPos = ended ? end + 1 : end;
        int take = Math.min(end - start, maxLineBytes - len);
        if (take < end - start) {
          tooLong = true;
        }
        if (take > 0) {
          if (len + take > line.length) {
            line = java.util.Arrays.copyOf(line, Math.min(maxLineBytes, Math.max(line.length * 2, len + take)));
          }
          System.arraycopy(chunk, start, line, len, take);
          len += take;
        }
      }
      if (eof && !any) {
        return null;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + name + ":" + (lineNumber + 1), e);
    }
    lineNumber++;
    if (tooLong) {
      throw new MalformedDataException(maxLineBytes, location() + ": line longer than " + maxLineBytes + " bytes");
    }
    byte[] bytes = line;
    if (len > 0 && bytes[len - 1] == '\r') {
      len--;
    }
    if (isAscii(bytes, len)) {
      return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
    }
    try {
      return utf8.reset().decode(ByteBuffer.wrap(bytes, 0, len)).toString();
    } catch (CharacterCodingException e) {
      int offset = firstBadByte(bytes, len);
      throw new MalformedDataException(offset, location() + ": not UTF-8 at byte " + offset);
    }
  }

  private static boolean isAscii(byte[] b, int len) {
    for (int i = 0; i < len; i++) {
      if (b[i] < 0) {
        return false;
      }
    }
    return true;
  }

  /** @return the offset of the first byte that starts an invalid UTF-8 sequence */
  private static int firstBadByte(byte[] b, int len) {
    int i = 0;
    while (i < len) {
      int lead = b[i] & 0xFF;
      int n = lead < 0x80 ? 0 : lead >= 0xC2 && lead <= 0xDF ? 1 : lead >= 0xE0 && lead <= 0xEF ? 2
          : lead >= 0xF0 && lead <= 0xF4 ? 3 : -1;
      if (n < 0) {
        return i;
      }
      for (int k = 1; k <= n; k++) {
        if (i + k >= len || (b[i + k] & 0xC0) != 0x80) {
          return i;
        }
      }
      i += n + 1;
    }
    return 0;   // overlong or surrogate forms: the decoder refused the line, the scanner cannot place it
  }

  /** @param line the line last read, to be read again next time */
  protected final void pushBack(String line) {
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
  public final RecordInput next() {
    if (!hasNext()) {
      throw new NoSuchElementException("no more records in " + name);
    }
    RecordInput n = next;
    next = null;
    return n;
  }

  @Override
  public final void close() {
    try {
      in.close();
    } catch (IOException e) {
      throw new UncheckedIOException("closing " + name, e);
    }
  }
}
