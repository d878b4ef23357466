package dev.perso.iso7813.internal;

import dev.perso.iso7813.TrackType;

/**
 * Hot-path character, parity, LRC and bit packing routines, writing into caller buffers.
 * Text here always runs from start sentinel to end sentinel inclusive, without the LRC.
 */
public final class TrackCodec {
  private TrackCodec() {}

  /**
   * @param code character code
   * @return 1 when the code has an even number of ones (so the odd parity bit is 1), else 0
   */
  public static int oddParityBit(int code) {
    return (Integer.bitCount(code) & 1) ^ 1;
  }

  /**
   * LRC over the data bits of every character from SS through ES inclusive.
   *
   * @param type track
   * @param text SS..ES
   * @return the LRC code (data bits only)
   */
  public static int lrc(TrackType type, CharSequence text) {
    int off = type.asciiOffset();
    int mask = (1 << type.dataBits()) - 1;
    int lrc = 0;
    for (int i = 0, n = text.length(); i < n; i++) {
      lrc ^= (text.charAt(i) - off) & mask;
    }
    return lrc;
  }

  /**
   * Number of bytes {@link #packBits} writes.
   *
   * @param type track
   * @param textLength SS..ES length
   * @param leadingZeros leading zero bits
   * @param trailingZeros trailing zero bits
   * @return the byte count
   */
  public static int packedLength(TrackType type, int textLength, int leadingZeros, int trailingZeros) {
    long bits = (long) leadingZeros + (long) (textLength + 1) * type.bitsPerCharacter() + trailingZeros;
    return (int) ((bits + 7) >>> 3);
  }

  /**
   * Writes the bit stream (leading zeros, each character LSB first then odd parity, the LRC with its
   * parity, trailing zeros) packed 8 bits per byte into {@code out}, which must be zeroed.
   *
   * @param type track
   * @param text SS..ES
   * @param out zeroed destination
   * @param offset first byte
   * @param leadingZeros leading zero bits
   * @param msbFirst false for the raw-write (LSB-first) form, true for the raw-read (MSB-first) form
   * @return the number of bits written up to the end of the LRC (trailing zeros not counted)
   */
  public static int packBits(TrackType type, CharSequence text, byte[] out, int offset, int leadingZeros,
      boolean msbFirst) {
    int dataBits = type.dataBits();
    int ascii = type.asciiOffset();
    int mask = (1 << dataBits) - 1;
    byte[] symbols = dataBits == 6 ? SYMBOLS_6 : SYMBOLS_4;
    int bpc = dataBits + 1;
    int idx = offset + (leadingZeros >>> 3);
    int first = idx;
    int acc = 0;
    int nacc = leadingZeros & 7;
    int lrc = 0;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      int code = (text.charAt(i) - ascii) & mask;
      lrc ^= code;
      acc |= symbols[code] << nacc;
      nacc += bpc;
      while (nacc >= 8) {
        out[idx++] = (byte) acc;
        acc >>>= 8;
        nacc -= 8;
      }
    }
    acc |= symbols[lrc] << nacc;
    nacc += bpc;
    while (nacc > 0) {
      out[idx++] = (byte) acc;
      acc >>>= 8;
      nacc -= 8;
    }
    if (msbFirst) {
      for (int i = first; i < idx; i++) {
        out[i] = reverse(out[i]);
      }
    }
    return leadingZeros + (n + 1) * bpc;
  }

  private static final byte[] SYMBOLS_6 = symbols(6);
  private static final byte[] SYMBOLS_4 = symbols(4);

  private static byte[] symbols(int dataBits) {
    byte[] t = new byte[1 << dataBits];
    for (int c = 0; c < t.length; c++) {
      t[c] = (byte) (c | (oddParityBit(c) << dataBits));
    }
    return t;
  }

  /**
   * Writes one character per byte: the code right-aligned with the odd parity bit above it, or the
   * code alone when {@code parity} is false; then the LRC the same way.
   *
   * @param type track
   * @param text SS..ES
   * @param out destination
   * @param offset first byte
   * @param parity whether to set the parity bit
   * @return bytes written
   */
  public static int perCharacter(TrackType type, CharSequence text, byte[] out, int offset, boolean parity) {
    int dataBits = type.dataBits();
    int ascii = type.asciiOffset();
    int mask = (1 << dataBits) - 1;
    int lrc = 0;
    int n = text.length();
    for (int i = 0; i <= n; i++) {
      int code;
      if (i < n) {
        code = (text.charAt(i) - ascii) & mask;
        lrc ^= code;
      } else {
        code = lrc;
      }
      out[offset + i] = (byte) (parity ? code | (oddParityBit(code) << dataBits) : code);
    }
    return n + 1;
  }

  /**
   * @param b a byte
   * @return the byte with its bit order reversed (bit 0 becomes bit 7)
   */
  public static byte reverse(byte b) {
    return (byte) (Integer.reverse(b & 0xFF) >>> 24);
  }
}
