package dev.perso.crypto.internal;

import dev.perso.core.ValidationException;

/** Checks for decimal-digit inputs; messages name the field and the rule, never the value. */
public final class Digits {
  private Digits() {}

  /**
   * @param field name for the message
   * @param value the text
   * @param min minimum length
   * @param max maximum length
   * @return {@code value}
   */
  public static String require(String field, String value, int min, int max) {
    if (value == null) {
      throw new ValidationException(field, "must not be null");
    }
    if (value.length() < min || value.length() > max) {
      throw new ValidationException(field, (min == max ? "must be " + min : "must be " + min + ".." + max)
          + " digits, was " + value.length());
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        throw new ValidationException(field, "must be decimal digits only (position " + i + " is not)");
      }
    }
    return value;
  }

  /**
   * Packs hex/decimal digit text (even length) into bytes.
   *
   * @param digits the digits
   * @return packed bytes
   */
  public static byte[] pack(CharSequence digits) {
    byte[] out = new byte[digits.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) ((Character.digit(digits.charAt(2 * i), 16) << 4) | Character.digit(digits.charAt(2 * i + 1), 16));
    }
    return out;
  }

  /**
   * Decimalizes nibbles: first all decimal digits left to right, then (if more are needed) the
   * letters A..F mapped to 0..5 in a second pass.
   *
   * @param block the bytes
   * @param count how many digits
   * @return {@code count} digits
   */
  public static String decimalize(byte[] block, int count) {
    StringBuilder sb = new StringBuilder(count);
    for (int i = 0; i < block.length * 2 && sb.length() < count; i++) {
      int n = nibble(block, i);
      if (n < 10) {
        sb.append((char) ('0' + n));
      }
    }
    for (int i = 0; i < block.length * 2 && sb.length() < count; i++) {
      int n = nibble(block, i);
      if (n >= 10) {
        sb.append((char) ('0' + n - 10));
      }
    }
    return sb.toString();
  }

  /**
   * @param block bytes
   * @param i nibble index, high nibble first
   * @return the nibble
   */
  public static int nibble(byte[] block, int i) {
    int b = block[i / 2] & 0xFF;
    return (i & 1) == 0 ? b >>> 4 : b & 0x0F;
  }
}
