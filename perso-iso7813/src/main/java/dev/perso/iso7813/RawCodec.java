package dev.perso.iso7813;

import dev.perso.core.internal.OwnedBytes;
import dev.perso.core.Bytes;
import dev.perso.core.ValidationException;
import dev.perso.iso7813.internal.TrackCodec;

/**
 * Raw bit encoding of track text for encoders in raw mode, and decoding of raw reads.
 *
 * <p>On the stripe each character is sent least significant bit first, followed by its odd parity bit.
 * The LRC (XOR of the data bits of SS..ES) follows the end sentinel with its own odd parity bit. In
 * {@link RawFormat#PACKED} form the stream is packed 8 bits per byte, the last byte padded with zeros.
 *
 * <p>Decoding skips leading zeros, detects a reverse swipe (the stream is turned around when it does not
 * start with the start sentinel but its reverse does), and checks every parity bit and the LRC; errors are
 * {@link TrackDecodeException}s naming the bit offset and character position.
 *
 * <pre>{@code
 * // MSR605 programmer's manual, raw write example: track 1 "%ABC123?" at 8 bpc
 * RawCodec.encode(TrackType.TRACK_1, "%ABC123?", RawOptions.of(TrackType.TRACK_1, 8)).toHex();
 * // "C5B07814954E3E2A"
 * RawCodec.decode(TrackType.TRACK_1, Bytes.fromHex("C5B07814954E3E2A"), RawOptions.of(TrackType.TRACK_1, 8)).text();
 * // "%ABC123?"
 * }</pre>
 */
public final class RawCodec {
  private RawCodec() {}

  /**
   * @param type the track
   * @param text SS..ES inclusive, without the LRC
   * @param options form, bit order and zeros
   * @return the raw bytes, marked secret
   * @throws ValidationException when the text is not a track text or the form does not suit the track
   */
  public static Bytes encode(TrackType type, CharSequence text, RawOptions options) {
    notNull("type", type);
    notNull("options", options);
    checkText(type, text);
    checkFormat(type, options.format());
    byte[] out = new byte[encodedLength(type, text.length(), options)];
    encodeInto(type, text, options, out, 0);
    return OwnedBytes.wrap(out).asSecret();
  }

  /**
   * @param type the track
   * @param textLength SS..ES length
   * @param options form and zeros
   * @return the number of bytes {@link #encode} produces
   */
  public static int encodedLength(TrackType type, int textLength, RawOptions options) {
    if (options.format() == RawFormat.PACKED) {
      return TrackCodec.packedLength(type, textLength, options.leadingZeros(), options.trailingZeros());
    }
    int bpc = options.format().bpc();
    return ceilDiv(options.leadingZeros(), bpc) + textLength + 1 + ceilDiv(options.trailingZeros(), bpc);
  }

  /**
   * Encodes into a caller buffer without allocating; the text is not re-checked (hot path).
   *
   * @param type the track
   * @param text SS..ES, already checked
   * @param options form, bit order, zeros
   * @param out destination with at least {@link #encodedLength} bytes from {@code offset}
   * @param offset first byte
   * @return bytes written
   */
  public static int encodeInto(TrackType type, CharSequence text, RawOptions options, byte[] out, int offset) {
    int len = encodedLength(type, text.length(), options);
    java.util.Arrays.fill(out, offset, offset + len, (byte) 0);
    if (options.format() == RawFormat.PACKED) {
      TrackCodec.packBits(type, text, out, offset, options.leadingZeros(), options.bitOrder() == BitOrder.MSB_FIRST);
    } else {
      int lead = ceilDiv(options.leadingZeros(), options.format().bpc());
      TrackCodec.perCharacter(type, text, out, offset + lead, options.format().hasParity());
    }
    return len;
  }

  /**
   * Decodes a raw read.
   *
   * @param type the track
   * @param raw the raw bytes
   * @param options the form and bit order (leading/trailing zero counts are found, not required)
   * @return the text, LRC and detected direction
   * @throws TrackDecodeException on missing sentinels, parity or LRC errors, naming bit and character
   */
  public static DecodedTrack decode(TrackType type, Bytes raw, RawOptions options) {
    notNull("type", type);
    notNull("raw", raw);
    notNull("options", options);
    checkFormat(type, options.format());
    byte[] bits = toBits(type, raw.toByteArray(), options);
    boolean parity = options.format().hasParity();
    // A decode is clean when no bit is set after its LRC. A forward decode that leaves data behind may be
    // a reverse swipe whose tail happens to look like a short track, so the reverse is tried too.
    DecodedTrack forward = null;
    TrackDecodeException forwardError = null;
    try {
      forward = decodeStream(type, bits, parity, SwipeDirection.FORWARD);
      if (clean(bits, forward, type, parity)) {
        return forward;
      }
    } catch (TrackDecodeException e) {
      forwardError = e;
    }
    boolean forwardHadStart = startsWithSentinel(type, bits, parity);
    byte[] reversed = new byte[bits.length];
    for (int i = 0; i < bits.length; i++) {
      reversed[i] = bits[bits.length - 1 - i];
    }
    try {
      DecodedTrack reverse = decodeStream(type, reversed, parity, SwipeDirection.REVERSE);
      if (forward == null || clean(reversed, reverse, type, parity)) {
        return reverse;
      }
      return forward;
    } catch (TrackDecodeException r) {
      if (forward != null) {
        return forward;
      }
      if (!forwardHadStart && startsWithSentinel(type, reversed, parity)) {
        throw new TrackDecodeException(r.bitOffset(), r.characterIndex(), "reverse swipe: " + r.reason());
      }
      throw forwardError;
    }
  }

  private static boolean clean(byte[] bits, DecodedTrack d, TrackType type, boolean parity) {
    int w = parity ? type.bitsPerCharacter() : type.dataBits();
    for (int k = d.startBit() + (d.text().length() + 1) * w; k < bits.length; k++) {
      if (bits[k] != 0) {
        return false;
      }
    }
    return true;
  }

  private static byte[] toBits(TrackType type, byte[] raw, RawOptions options) {
    RawFormat f = options.format();
    if (f == RawFormat.PACKED) {
      byte[] bits = new byte[raw.length * 8];
      boolean msb = options.bitOrder() == BitOrder.MSB_FIRST;
      for (int k = 0; k < bits.length; k++) {
        int b = raw[k >>> 3];
        bits[k] = (byte) ((msb ? b >>> (7 - (k & 7)) : b >>> (k & 7)) & 1);
      }
      return bits;
    }
    int w = f.bpc();
    byte[] bits = new byte[raw.length * w];
    for (int i = 0; i < raw.length; i++) {
      int b = raw[i] & 0xFF;
      if ((b >>> w) != 0) {
        throw new TrackDecodeException(i * w, -1, "byte " + i + " has bits set above bit " + (w - 1) + " for " + w + " bpc");
      }
      for (int j = 0; j < w; j++) {
        bits[i * w + j] = (byte) ((b >>> j) & 1);
      }
    }
    return bits;
  }

  private static boolean startsWithSentinel(TrackType type, byte[] bits, boolean parity) {
    int s = 0;
    while (s < bits.length && bits[s] == 0) {
      s++;
    }
    int d = type.dataBits();
    if (s + d + (parity ? 1 : 0) > bits.length) {
      return false;
    }
    return read(bits, s, d) == type.code(type.startSentinel());
  }

  private static int read(byte[] bits, int pos, int n) {
    int v = 0;
    for (int j = 0; j < n; j++) {
      v |= bits[pos + j] << j;
    }
    return v;
  }

  private static DecodedTrack decodeStream(TrackType type, byte[] bits, boolean parity, SwipeDirection dir) {
    int d = type.dataBits();
    int w = parity ? d + 1 : d;
    int n = bits.length;
    int s = 0;
    while (s < n && bits[s] == 0) {
      s++;
    }
    if (s == n) {
      throw new TrackDecodeException(-1, -1, "no data: every bit is zero");
    }
    int ss = type.code(type.startSentinel());
    int es = type.code(type.endSentinel());
    StringBuilder text = new StringBuilder(type.maxLength());
    int lrc = 0;
    int pos = s;
    int idx = 0;
    while (true) {
      if (pos + w > n) {
        throw new TrackDecodeException(pos, idx, "stream ends before the end sentinel");
      }
      int code = read(bits, pos, d);
      if (idx == 0 && code != ss) {
        throw new TrackDecodeException(pos, 0, "start sentinel " + type.startSentinel() + " not found");
      }
      if (parity && ((Integer.bitCount(code) + bits[pos + d]) & 1) == 0) {
        throw new TrackDecodeException(pos, idx, "parity error");
      }
      text.append(type.character(code));
      lrc ^= code;
      pos += w;
      idx++;
      if (code == es) {
        break;
      }
      if (idx >= type.maxLength() - 1) {
        throw new TrackDecodeException(pos, idx, "no end sentinel within " + type.maxLength() + " characters");
      }
    }
    if (pos + w > n) {
      throw new TrackDecodeException(pos, idx, "stream ends before the LRC");
    }
    int read = read(bits, pos, d);
    if (parity && ((Integer.bitCount(read) + bits[pos + d]) & 1) == 0) {
      throw new TrackDecodeException(pos, idx, "LRC character parity error");
    }
    if (read != lrc) {
      throw new TrackDecodeException(pos, idx, "LRC mismatch: read " + dev.perso.core.internal.Hex.byteToHex(read)
          + ", computed " + dev.perso.core.internal.Hex.byteToHex(lrc));
    }
    return new DecodedTrack(type, text.toString(), read, dir, s);
  }

  private static void checkFormat(TrackType type, RawFormat f) {
    if (!f.supports(type)) {
      RawFormat.ofBpc(f.bpc(), type);
    }
  }

  private static void checkText(TrackType type, CharSequence text) {
    if (text == null) {
      throw new ValidationException("text", "must not be null");
    }
    int n = text.length();
    if (n < 2 || text.charAt(0) != type.startSentinel() || text.charAt(n - 1) != type.endSentinel()) {
      throw new ValidationException("text", "must run from " + type.startSentinel() + " to " + type.endSentinel());
    }
    for (int i = 1; i < n - 1; i++) {
      if (!type.isDataCharacter(text.charAt(i))) {
        throw new ValidationException("text", "character at position " + i + " is not allowed on track " + type.number());
      }
    }
    if (n + 1 > type.maxLength()) {
      throw new ValidationException("track" + type.number(), "is " + (n + 1) + " characters including sentinels and LRC, "
          + (n + 1 - type.maxLength()) + " over the maximum of " + type.maxLength());
    }
  }

  private static void notNull(String field, Object value) {
    if (value == null) {
      throw new ValidationException(field, "must not be null");
    }
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

}
