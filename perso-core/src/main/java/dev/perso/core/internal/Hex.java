package dev.perso.core.internal;

import dev.perso.core.MalformedDataException;
import dev.perso.core.ValidationException;

/**
 * Hexadecimal text to bytes and back for the SDK's own modules (not an API: use {@code Bytes.fromHex}
 * and {@code Bytes.toHex}), strict: an odd number of digits or a non-hex character gives a
 * {@link MalformedDataException} naming the character's offset. Spaces, tabs, line breaks and
 * colons between digit pairs are ignored on input so that dumps can be pasted.
 *
 * <pre>{@code
 * byte[] b = Hex.decode("00 A4 04 00");   // 4 bytes
 * String s = Hex.encode(b);               // "00A40400"
 * }</pre>
 */
public final class Hex {
  private static final char[] DIGITS = "0123456789ABCDEF".toCharArray();

  private Hex() {}

  /**
   * Encodes bytes as upper-case hex without separators.
   *
   * @param bytes the bytes
   * @return upper-case hex, two characters per byte
   */
  public static String encode(byte[] bytes) {
    return encode(bytes, 0, bytes.length);
  }

  /**
   * Encodes a range of bytes as upper-case hex without separators.
   *
   * @param bytes the array
   * @param offset first byte
   * @param length number of bytes
   * @return upper-case hex, two characters per byte
   */
  public static String encode(byte[] bytes, int offset, int length) {
    char[] out = new char[length * 2];
    for (int i = 0; i < length; i++) {
      int b = bytes[offset + i] & 0xFF;
      out[2 * i] = DIGITS[b >>> 4];
      out[2 * i + 1] = DIGITS[b & 0x0F];
    }
    return new String(out);
  }

  /**
   * Formats one unsigned byte value as two upper-case hex digits.
   *
   * @param value 0..255 (higher bits are ignored)
   * @return two hex digits
   */
  public static String byteToHex(int value) {
    return new String(new char[] {DIGITS[(value >>> 4) & 0x0F], DIGITS[value & 0x0F]});
  }

  /**
   * Decodes hex text; whitespace and colons between digit pairs are ignored.
   *
   * @param hex the text
   * @return the bytes
   * @throws MalformedDataException naming the offset of a non-hex character or a dangling digit
   */
  public static byte[] decode(CharSequence hex) {
    if (hex == null) {
      throw new ValidationException("hex", "must not be null");
    }
    int n = hex.length();
    byte[] buf = new byte[n / 2];
    int count = 0;
    int high = -1;
    int highAt = -1;
    for (int i = 0; i < n; i++) {
      char c = hex.charAt(i);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ':') {
        if (high >= 0) {
          throw new MalformedDataException(i, "separator inside a hex digit pair");
        }
        continue;
      }
      int v = Character.digit(c, 16);
      if (v < 0 || c > 'f') {
        throw new MalformedDataException(i, "not a hex digit: '" + printable(c) + "'");
      }
      if (high < 0) {
        high = v;
        highAt = i;
      } else {
        buf[count++] = (byte) ((high << 4) | v);
        high = -1;
      }
    }
    if (high >= 0) {
      throw new MalformedDataException(highAt, "odd number of hex digits");
    }
    if (count == buf.length) {
      return buf;
    }
    byte[] out = new byte[count];
    System.arraycopy(buf, 0, out, 0, count);
    return out;
  }

  private static String printable(char c) {
    return c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("\\u%04X", (int) c);
  }
}
