package dev.perso.core.tlv;

import dev.perso.core.internal.OwnedBytes;
import dev.perso.core.Bytes;
import dev.perso.core.internal.Hex;
import dev.perso.core.MalformedDataException;
import dev.perso.core.ValidationException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Strict BER-TLV parser (ISO/IEC 7816-4 §5.2, EMV Book 3 Annex B): a byte sequence becomes a list
 * of top-level {@link Tlv}s, constructed ones parsed recursively.
 *
 * <p>Rules:
 * <ul>
 *   <li>{@code 00} and {@code FF} bytes before, between and after objects are padding and skipped,
 *       at every nesting level (EMV Book 3 Annex B1).</li>
 *   <li>Lengths: short form {@code 00..7F}; long form {@code 81 xx}, {@code 82 xxxx},
 *       {@code 83 xxxxxx}, {@code 84 xxxxxxxx}. A non-minimal long form (e.g. {@code 81 05}) is
 *       <em>accepted</em> on parse; {@link Tlv#encode()} re-encodes minimally, so such input does
 *       not round-trip byte for byte. The indefinite form {@code 80} and {@code 85..FE} are
 *       rejected.</li>
 *   <li>Every error is a {@link MalformedDataException} whose offset (relative to the start of the
 *       input) names the field at fault: the first byte of a truncated or invalid tag (or the
 *       offending subsequent tag byte), the first byte of a length field that is truncated or whose
 *       value runs past the end of the input or of the enclosing constructed value, or the tag of a
 *       constructed object nested deeper than {@link #maxDepth()}. No other exception escapes for
 *       any input.</li>
 * </ul>
 *
 * <p>Values are copied out of the input once; children lists are unmodifiable; one- and two-byte
 * tags are shared instances.
 *
 * <pre>{@code
 * List<Tlv> objects = TlvParser.strict().parse(response.data());
 * Tlv fci = TlvParser.strict().parseOne(Bytes.fromHex("6F0A8408A000000003101001"));
 * TlvParser shallow = TlvParser.strict().withMaxDepth(4);
 * }</pre>
 */
public final class TlvParser {
  /** Default limit on nesting: a top-level object is at depth 1. */
  public static final int DEFAULT_MAX_DEPTH = 32;
  /** Largest limit {@link #withMaxDepth(int)} accepts. */
  public static final int MAX_MAX_DEPTH = 256;

  private static final TlvParser STRICT = new TlvParser(DEFAULT_MAX_DEPTH);

  private final int maxDepth;

  private TlvParser(int maxDepth) {
    this.maxDepth = maxDepth;
  }

  /** @return the default parser: strict, padding-skipping, depth limit {@value #DEFAULT_MAX_DEPTH} */
  public static TlvParser strict() {
    return STRICT;
  }

  /**
   * @param depth 1..{@value #MAX_MAX_DEPTH}; 1 means no constructed object may have children
   * @return a parser with another nesting limit
   * @throws ValidationException if out of range
   */
  public TlvParser withMaxDepth(int depth) {
    if (depth < 1 || depth > MAX_MAX_DEPTH) {
      throw new ValidationException("maxDepth", "must be 1.." + MAX_MAX_DEPTH + ", was " + depth);
    }
    return depth == DEFAULT_MAX_DEPTH ? STRICT : new TlvParser(depth);
  }

  /** @return the nesting limit */
  public int maxDepth() {
    return maxDepth;
  }

  /**
   * Parses a sequence of top-level objects.
   *
   * @param data the encoding (possibly empty, possibly padded)
   * @return the objects in order (unmodifiable)
   * @throws MalformedDataException naming the offset of the offending field
   */
  public List<Tlv> parse(Bytes data) {
    if (data == null) {
      throw new ValidationException("data", "must not be null");
    }
    byte[] b = data.toByteArray();
    return parseList(b, 0, b.length, 0, 1, Integer.MAX_VALUE);
  }

  /**
   * Parses a sequence of top-level objects from part of an array, without copying the input.
   *
   * @param data the array (not modified, not retained)
   * @param offset first byte; error offsets are relative to it
   * @param length number of bytes
   * @return the objects in order (unmodifiable)
   * @throws MalformedDataException naming the offset of the offending field
   */
  public List<Tlv> parse(byte[] data, int offset, int length) {
    if (data == null) {
      throw new ValidationException("data", "must not be null");
    }
    if (offset < 0 || length < 0 || offset > data.length - length) {
      throw new ValidationException("range", "offset " + offset + " length " + length
          + " outside array of " + data.length);
    }
    return parseList(data, offset, offset + length, offset, 1, Integer.MAX_VALUE);
  }

  /**
   * Parses exactly one object; padding around it is allowed.
   *
   * @param data the encoding
   * @return the object
   * @throws MalformedDataException if the input is malformed, empty, or holds a second object (the
   *     offset then names the second object's tag)
   */
  public Tlv parseOne(Bytes data) {
    if (data == null) {
      throw new ValidationException("data", "must not be null");
    }
    byte[] b = data.toByteArray();
    int start = skipPadding(b, 0, b.length);
    if (start == b.length) {
      throw new MalformedDataException(start, "no TLV object in input (empty or padding only)");
    }
    return parseList(b, start, b.length, 0, 1, 1).get(0);
  }

  private static int skipPadding(byte[] b, int p, int end) {
    while (p < end && (b[p] == 0x00 || b[p] == (byte) 0xFF)) {
      p++;
    }
    return p;
  }

  private List<Tlv> parseList(byte[] b, int from, int end, int origin, int depth, int maxCount) {
    List<Tlv> out = null;
    int p = from;
    while (true) {
      p = skipPadding(b, p, end);
      if (p >= end) {
        break;
      }
      int tagStart = p;
      if (out != null && out.size() == maxCount) {
        throw new MalformedDataException(p - origin, "expected one TLV object, found another after it");
      }
      Tag tag = Tag.read(b, p, end, origin);
      p += tag.size();
      if (p >= end) {
        throw new MalformedDataException(p - origin, "length field of tag " + tag.toHex() + " is missing");
      }
      int lenStart = p;
      int lb = b[p++] & 0xFF;
      long len;
      if (lb < 0x80) {
        len = lb;
      } else if (lb == 0x80) {
        throw new MalformedDataException(lenStart - origin,
            "indefinite length (80) is not allowed (tag " + tag.toHex() + ")");
      } else if (lb > 0x84) {
        throw new MalformedDataException(lenStart - origin, "length field " + Hex.byteToHex(lb)
            + " announces " + (lb & 0x7F) + " length bytes; at most 4 are supported (tag " + tag.toHex() + ")");
      } else {
        int n = lb & 0x7F;
        if (end - p < n) {
          throw new MalformedDataException(lenStart - origin, "length field " + Hex.byteToHex(lb)
              + " needs " + n + " more bytes, only " + (end - p) + " remain (tag " + tag.toHex() + ")");
        }
        len = 0;
        for (int i = 0; i < n; i++) {
          len = (len << 8) | (b[p++] & 0xFF);
        }
      }
      if (len > end - p) {
        throw new MalformedDataException(lenStart - origin, "length " + len + " of tag " + tag.toHex()
            + " runs past the end of " + (depth == 1 ? "the input" : "the enclosing value")
            + ": only " + (end - p) + " bytes remain");
      }
      int valueEnd = p + (int) len;
      Tlv tlv;
      if (tag.isConstructed()) {
        if (depth >= maxDepth) {
          throw new MalformedDataException(tagStart - origin, "constructed " + tag.toHex()
              + " nests deeper than the limit of " + maxDepth + " levels");
        }
        tlv = Tlv.ofConstructed(tag, parseList(b, p, valueEnd, origin, depth + 1, Integer.MAX_VALUE));
      } else {
        tlv = Tlv.ofPrimitive(tag, OwnedBytes.wrap(Arrays.copyOfRange(b, p, valueEnd)));
      }
      if (out == null) {
        out = new ArrayList<>(4);
      }
      out.add(tlv);
      p = valueEnd;
    }
    return out == null ? List.of() : Collections.unmodifiableList(out);
  }
}
