package dev.perso.crypto.payshield.internal;

import dev.perso.core.MalformedDataException;
import dev.perso.core.ValidationException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/** Writes and reads the fields of a host command body (ASCII text, hex, raw binary). */
public final class Fields {
  private Fields() {}

  /** Builds a body field by field. */
  public static final class Writer {
    private final Buffer out = new Buffer();

    /** A buffer whose internal array can be zeroed (bodies that carry a clear key or PIN). */
    private static final class Buffer extends ByteArrayOutputStream {
      Buffer() {
        super(64);
      }

      void wipe() {
        java.util.Arrays.fill(buf, (byte) 0);
        count = 0;
      }
    }

    /**
     * Writes secret bytes as uppercase hex characters without making a {@code String} of them.
     *
     * @param b the secret bytes
     * @return this
     */
    public Writer secretHex(byte[] b) {
      for (byte x : b) {
        out.write(Character.toUpperCase(Character.forDigit((x >> 4) & 0xF, 16)));
        out.write(Character.toUpperCase(Character.forDigit(x & 0xF, 16)));
      }
      return this;
    }

    /** Zeroes the buffer (after {@link #toByteArray()} of a body with a clear key or PIN). */
    public void wipe() {
      out.wipe();
    }

    /**
     * @param s ASCII text
     * @return this
     */
    public Writer text(String s) {
      byte[] b = s.getBytes(StandardCharsets.US_ASCII);
      out.write(b, 0, b.length);
      return this;
    }

    /**
     * @param b raw bytes (a {@code B} field)
     * @return this
     */
    public Writer bytes(byte[] b) {
      out.write(b, 0, b.length);
      return this;
    }

    /**
     * @param b bytes written as uppercase hex characters (an {@code H} field)
     * @return this
     */
    public Writer hex(byte[] b) {
      return text(dev.perso.core.internal.Hex.encode(b));
    }

    /**
     * @param value a number
     * @param width characters
     * @return this, the number written as {@code width} uppercase hex characters
     */
    public Writer hexNumber(int value, int width) {
      String s = Integer.toHexString(value).toUpperCase(Locale.ROOT);
      if (s.length() > width) {
        throw new ValidationException("length", value + " does not fit " + width + " hex characters");
      }
      return text("0".repeat(width - s.length()) + s);
    }

    /** @return the body */
    public byte[] toByteArray() {
      return out.toByteArray();
    }
  }

  /** Reads a body field by field; any shortfall is a {@link MalformedDataException} with the offset. */
  public static final class Reader {
    private final byte[] b;
    private int at;
    private byte[] trailer = new byte[0];

    /** @param body the body to read */
    public Reader(byte[] body) {
      this.b = body;
    }

    private void need(int n, String what) {
      if (n < 0 || at + n > b.length) {
        throw new MalformedDataException(at, what + ": needs " + n + " bytes, " + (b.length - at) + " left");
      }
    }

    /**
     * @param n characters
     * @param what field name for errors
     * @return the next {@code n} bytes as ASCII text
     */
    public String text(int n, String what) {
      need(n, what);
      String s = new String(b, at, n, StandardCharsets.US_ASCII);
      at += n;
      return s;
    }

    /**
     * @param n bytes
     * @param what field name for errors
     * @return the next {@code n} raw bytes
     */
    public byte[] bytes(int n, String what) {
      need(n, what);
      byte[] r = Arrays.copyOfRange(b, at, at + n);
      at += n;
      return r;
    }

    /**
     * @param chars hex characters
     * @param what field name
     * @return the decoded bytes
     */
    public byte[] hex(int chars, String what) {
      int start = at;
      String s = text(chars, what);
      if (!s.matches("[0-9A-Fa-f]*") || chars % 2 != 0) {
        throw new MalformedDataException(start, what + " must be hex characters");
      }
      return dev.perso.core.internal.Hex.decode(s);
    }

    /**
     * @param chars width
     * @param what field name
     * @return the number written as {@code chars} hex characters
     */
    public int hexNumber(int chars, String what) {
      int start = at;
      String s = text(chars, what);
      if (!s.matches("[0-9A-Fa-f]+")) {
        throw new MalformedDataException(start, what + " must be hex characters");
      }
      return Integer.parseInt(s, 16);
    }

    /**
     * @param chars width
     * @param what field name
     * @return the number written as {@code chars} decimal digits
     */
    public int decimal(int chars, String what) {
      int start = at;
      String s = text(chars, what);
      if (!s.matches("[0-9]+")) {
        throw new MalformedDataException(start, what + " must be decimal digits");
      }
      return Integer.parseInt(s);
    }

    /**
     * Reads a key field: {@code U}/{@code X} + 32 hex, {@code T}/{@code Y} + 48 hex, {@code Z} + 16 hex,
     * 16 hex (single length, no prefix), or {@code S} + key block running to {@code end} when given.
     *
     * @param what field name
     * @return the key field as text, scheme letter included
     */
    public String key(String what) {
      need(1, what);
      char s = (char) b[at];
      int len;
      switch (s) {
        case 'U': case 'X': len = 33; break;
        case 'T': case 'Y': len = 49; break;
        case 'Z': len = 17; break;
        case 'S': {
          // key block: 'S' + header whose characters 1..4 give the block length (notes §3 key-block LMK)
          need(5, what);
          String l = new String(b, at + 2, 4, StandardCharsets.US_ASCII);
          if (!l.matches("[0-9]{4}")) {
            throw new MalformedDataException(at + 2, what + ": key block length must be 4 digits");
          }
          len = 1 + Integer.parseInt(l);
          break;
        }
        default: len = 16;
      }
      int start = at;
      String k = text(len, what);
      String hexPart = s == 'S' ? "" : Character.isLetter(s) && !isHex(s) ? k.substring(1) : k;
      if (!hexPart.matches("[0-9A-Fa-f]*")) {
        throw new MalformedDataException(start, what + " must be a scheme letter and hex characters");
      }
      return k;
    }

    private static boolean isHex(char c) {
      return Character.digit(c, 16) >= 0;
    }

    /** @return the number of bytes left */
    public int remaining() {
      return b.length - at;
    }

    /** @return the offset of the next field */
    public int offset() {
      return at;
    }

    /**
     * @param c a character
     * @return true (and consumes it) if the next byte is {@code c}
     */
    public boolean consume(char c) {
      if (at < b.length && b[at] == c) {
        at++;
        return true;
      }
      return false;
    }

    /**
     * @param what field name
     * @return the rest of the body as bytes
     */
    public byte[] rest(String what) {
      return bytes(remaining(), what);
    }

    /**
     * Fails unless the body is fully read, or only an End Message Delimiter 0x19 and a trailer of at most
     * 32 characters follow the last field (notes/payshield.md §1: the delimiter is found after the fields
     * are parsed, since binary fields may hold 0x19).
     *
     * @param what the message name
     */
    public void end(String what) {
      if (at == b.length) {
        return;
      }
      if (b[at] == 0x19 && b.length - at - 1 <= 32) {
        trailer = Arrays.copyOfRange(b, at, b.length);
        at = b.length;
        return;
      }
      throw new MalformedDataException(at, what + ": " + (b.length - at) + " unexpected bytes after the last field");
    }

    /** @return the delimiter and trailer {@link #end} found after the last field, or an empty array */
    public byte[] trailer() {
      return trailer.clone();
    }
  }
}
