package dev.perso.core.tlv;

import dev.perso.core.internal.OwnedBytes;
import dev.perso.core.Bytes;
import dev.perso.core.internal.Hex;
import dev.perso.core.MalformedDataException;
import dev.perso.core.ValidationException;

/**
 * A BER-TLV tag (ISO/IEC 8825-1 §8.1.2, ISO/IEC 7816-4 §5.2, EMV Book 3 Annex B1): one to four bytes.
 *
 * <p>The first byte carries the class (bits 8–7), the constructed flag (bit 6) and, in bits 5–1,
 * either the tag number or {@code 11111} meaning "more bytes follow". In each subsequent byte bit 8
 * says whether another byte follows. EMV writes low tag numbers in the long form too ({@code 9F02}
 * is tag number 2), so that form is accepted. Rejected: a first byte {@code 00} or {@code FF} (these
 * are padding between objects, EMV Book 3 Annex B1), a first subsequent byte {@code 00} or {@code 80}
 * (bits 7–1 all zero, ISO/IEC 8825-1 §8.1.2.4.2 c), a truncated tag and tags longer than four bytes.
 *
 * <p>Tags are immutable values; one- and two-byte tags are shared instances, so parsing them does
 * not allocate.
 *
 * <pre>{@code
 * Tag pan = Tag.of(0x5A);
 * Tag pdol = Tag.parse(Bytes.fromHex("9F38"));
 * pdol.tagClass();        // CONTEXT_SPECIFIC
 * pdol.number();          // 0x38
 * Tag.of(0xBF0C).isConstructed();   // true
 * Tag.of(0xDF8101).toHex();         // "DF8101"
 * }</pre>
 */
public final class Tag {

  /** The class of a tag, from bits 8–7 of its first byte. */
  public enum TagClass {
    /** {@code 00xxxxxx}: universal (ASN.1 types). */
    UNIVERSAL,
    /** {@code 01xxxxxx}: application (ISO/IEC 7816 interindustry, e.g. {@code 5A}, {@code 6F}). */
    APPLICATION,
    /** {@code 10xxxxxx}: context-specific (e.g. {@code 84}, {@code 9F02}). */
    CONTEXT_SPECIFIC,
    /** {@code 11xxxxxx}: private (e.g. {@code DF01}, {@code E0}). */
    PRIVATE
  }

  /** Largest tag size this implementation accepts, in bytes. */
  public static final int MAX_SIZE = 4;

  private static final TagClass[] CLASSES = TagClass.values();
  private static final Tag[] ONE_BYTE = new Tag[256];
  // Two-byte tags: first byte xxx11111 (8 values) x second byte 00..7F.
  private static final Tag[] TWO_BYTE = new Tag[8 * 128];

  static {
    for (int i = 0; i < 256; i++) {
      if ((i & 0x1F) != 0x1F && i != 0x00) {
        ONE_BYTE[i] = new Tag(i, 1);
      }
    }
    for (int hi = 0; hi < 8; hi++) {
      for (int lo = 0; lo < 128; lo++) {
        int first = (hi << 5) | 0x1F;
        if (first != 0xFF && lo != 0) {
          TWO_BYTE[hi * 128 + lo] = new Tag((first << 8) | lo, 2);
        }
      }
    }
  }

  private final int value;
  private final int size;

  private Tag(int value, int size) {
    this.value = value;
    this.size = size;
  }

  /**
   * Returns the tag whose encoding, read as a big-endian number, is {@code value}.
   *
   * @param value e.g. {@code 0x5A}, {@code 0x9F02}, {@code 0xDF8101}
   * @return the tag
   * @throws ValidationException if the bytes are not a valid tag encoding
   */
  public static Tag of(int value) {
    int size = (value & 0xFF000000) != 0 ? 4 : value > 0xFFFF ? 3 : value > 0xFF ? 2 : 1;
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) (value >>> (8 * (size - 1 - i)));
    }
    try {
      Tag t = read(b, 0, size, 0);
      if (t.size != size) {
        throw new ValidationException("tag", "not a single tag: " + Hex.encode(b)
            + " (byte " + (t.size + 1) + " follows a last tag byte)");
      }
      return t;
    } catch (MalformedDataException e) {
      throw new ValidationException("tag", Hex.encode(b) + " is not a valid BER tag: " + e.reason());
    }
  }

  /**
   * Parses a tag that fills the given bytes exactly.
   *
   * @param encoded the tag bytes, e.g. {@code 9F38}
   * @return the tag
   * @throws MalformedDataException naming the offset of the offending byte if the bytes are not
   *     exactly one valid tag
   */
  public static Tag parse(Bytes encoded) {
    if (encoded == null) {
      throw new ValidationException("encoded", "must not be null");
    }
    byte[] b = encoded.toByteArray();
    if (b.length == 0) {
      throw new MalformedDataException(0, "empty input, expected a tag");
    }
    Tag t = read(b, 0, b.length, 0);
    if (t.size != b.length) {
      throw new MalformedDataException(t.size, "extra byte after a complete tag " + t.toHex());
    }
    return t;
  }

  /**
   * Parses tag hex text, e.g. {@code "9F38"}.
   *
   * @param hex the tag in hex
   * @return the tag
   * @throws MalformedDataException if the text is not hex or not exactly one valid tag
   */
  public static Tag fromHex(CharSequence hex) {
    return parse(Bytes.fromHex(hex));
  }

  /**
   * Reads one tag at {@code b[at]}; package-private fast path for the parser.
   *
   * @param b the input
   * @param at where the tag starts
   * @param end exclusive end of the readable range
   * @param origin index reported as offset 0 in errors
   */
  static Tag read(byte[] b, int at, int end, int origin) {
    int first = b[at] & 0xFF;
    if (first == 0x00 || first == 0xFF) {
      throw new MalformedDataException(at - origin,
          Hex.byteToHex(first) + " is padding, not a valid first tag byte");
    }
    if ((first & 0x1F) != 0x1F) {
      return ONE_BYTE[first];
    }
    int v = first;
    int i = at + 1;
    while (true) {
      if (i >= end) {
        throw new MalformedDataException(at - origin, "tag truncated: byte " + (i - at + 1)
            + " of tag starting " + Hex.encode(b, at, i - at) + " is missing");
      }
      if (i - at >= MAX_SIZE) {
        throw new MalformedDataException(at - origin, "tag longer than " + MAX_SIZE + " bytes is not supported");
      }
      int nb = b[i] & 0xFF;
      if (i == at + 1 && (nb & 0x7F) == 0) {
        throw new MalformedDataException(i - origin, "first subsequent tag byte must not be "
            + Hex.byteToHex(nb) + ": bits 7-1 all zero (ISO/IEC 8825-1 8.1.2.4.2 c)");
      }
      v = (v << 8) | nb;
      i++;
      if ((nb & 0x80) == 0) {
        break;
      }
    }
    int size = i - at;
    if (size == 2) {
      return TWO_BYTE[(first >>> 5) * 128 + (v & 0x7F)];
    }
    return new Tag(v, size);
  }

  /** @return the encoding as a big-endian number, e.g. {@code 0x9F02} */
  public int value() {
    return value;
  }

  /** @return the number of bytes in the encoding, 1..4 */
  public int size() {
    return size;
  }

  /** @return the class from bits 8–7 of the first byte */
  public TagClass tagClass() {
    return CLASSES[firstByte() >>> 6];
  }

  /** @return true if bit 6 of the first byte is set: the value is a sequence of BER-TLV objects */
  public boolean isConstructed() {
    return (firstByte() & 0x20) != 0;
  }

  /** @return the tag number: bits 5–1 of a one-byte tag, or the 7-bit groups of the subsequent bytes */
  public int number() {
    if (size == 1) {
      return value & 0x1F;
    }
    int n = 0;
    for (int i = size - 2; i >= 0; i--) {
      n = (n << 7) | ((value >>> (8 * i)) & 0x7F);
    }
    return n;
  }

  private int firstByte() {
    return (value >>> (8 * (size - 1))) & 0xFF;
  }

  /** @return the encoded tag */
  public Bytes encode() {
    byte[] out = new byte[size];
    writeTo(out, 0);
    return OwnedBytes.wrap(out);
  }

  int writeTo(byte[] out, int at) {
    for (int i = 0; i < size; i++) {
      out[at + i] = (byte) (value >>> (8 * (size - 1 - i)));
    }
    return at + size;
  }

  /** @return upper-case hex of the encoding, e.g. {@code "9F02"} */
  public String toHex() {
    StringBuilder s = new StringBuilder(2 * size);
    for (int i = size - 1; i >= 0; i--) {
      s.append(Hex.byteToHex(value >>> (8 * i)));
    }
    return s.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tag && ((Tag) o).value == value && ((Tag) o).size == size;
  }

  @Override
  public int hashCode() {
    return value * 31 + size;
  }

  /** @return the hex encoding, e.g. {@code 9F02} */
  @Override
  public String toString() {
    return toHex();
  }
}
