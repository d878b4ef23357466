package dev.perso.core.tlv;

import dev.perso.core.internal.OwnedBytes;
import dev.perso.core.Bytes;
import dev.perso.core.internal.Hex;
import dev.perso.core.MalformedDataException;
import dev.perso.core.ValidationException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A Data Object List (EMV Book 3 §5.4): tag and length pairs without values, as in PDOL
 * ({@code 9F38}), CDOL1/2 ({@code 8C}/{@code 8D}), DDOL ({@code 9F49}) and TDOL ({@code 97}).
 *
 * <p>Parsing is strict: padding is not skipped, lengths use the BER short or long form (the long
 * form is accepted for robustness, EMV lists use one byte), and errors are
 * {@link MalformedDataException}s naming the offending offset.
 *
 * <pre>{@code
 * Dol cdol1 = Dol.parse(Bytes.fromHex("9F02069F03069F1A0295055F2A029A039C019F3704"));
 * cdol1.entries().get(0);    // Entry[tag=9F02, length=6]
 * cdol1.totalLength();       // 29: the size of the data the terminal concatenates
 * }</pre>
 */
public final class Dol {

  /**
   * One DOL entry.
   *
   * @param tag the data object's tag
   * @param length the number of bytes the data object takes in the concatenated data
   */
  public record Entry(Tag tag, int length) {
    /** @throws ValidationException if the tag is null or the length negative */
    public Entry {
      if (tag == null) {
        throw new ValidationException("tag", "must not be null");
      }
      if (length < 0) {
        throw new ValidationException("length", "must be >= 0, was " + length);
      }
    }

    @Override
    public String toString() {
      return "Entry[tag=" + tag.toHex() + ", length=" + length + "]";
    }
  }

  private final List<Entry> entries;
  private final long totalLength;

  private Dol(List<Entry> entries) {
    this.entries = entries;
    long n = 0;
    for (Entry e : entries) {
      n += e.length();
    }
    this.totalLength = n;
  }

  /**
   * @param entries the entries in order (copied)
   * @return the list
   */
  public static Dol of(List<Entry> entries) {
    if (entries == null) {
      throw new ValidationException("entries", "must not be null");
    }
    return new Dol(List.copyOf(entries));
  }

  /**
   * Parses the value of a DOL data object.
   *
   * @param encoded concatenated tag and length fields
   * @return the list
   * @throws MalformedDataException naming the offset of a bad tag or length field
   */
  public static Dol parse(Bytes encoded) {
    if (encoded == null) {
      throw new ValidationException("encoded", "must not be null");
    }
    byte[] b = encoded.toByteArray();
    List<Entry> out = new ArrayList<>();
    int p = 0;
    while (p < b.length) {
      Tag tag = Tag.read(b, p, b.length, 0);
      p += tag.size();
      if (p >= b.length) {
        throw new MalformedDataException(p, "length of DOL entry " + tag.toHex() + " is missing");
      }
      int lenStart = p;
      int lb = b[p++] & 0xFF;
      long len;
      if (lb < 0x80) {
        len = lb;
      } else if (lb == 0x80 || lb > 0x84) {
        throw new MalformedDataException(lenStart, "invalid DOL length field " + Hex.byteToHex(lb));
      } else {
        int n = lb & 0x7F;
        if (b.length - p < n) {
          throw new MalformedDataException(lenStart, "DOL length field " + Hex.byteToHex(lb)
              + " needs " + n + " more bytes, only " + (b.length - p) + " remain");
        }
        len = 0;
        for (int i = 0; i < n; i++) {
          len = (len << 8) | (b[p++] & 0xFF);
        }
        if (len > Integer.MAX_VALUE) {
          throw new MalformedDataException(lenStart, "DOL length " + len + " is too large");
        }
      }
      out.add(new Entry(tag, (int) len));
    }
    return new Dol(Collections.unmodifiableList(out));
  }

  /** @return the entries in order (unmodifiable) */
  public List<Entry> entries() {
    return entries;
  }

  /** @return the sum of the entry lengths: the size of the data built from this list */
  public long totalLength() {
    return totalLength;
  }

  /** @return the DOL encoding (tags and minimal length fields) */
  public Bytes encode() {
    int n = 0;
    for (Entry e : entries) {
      n += e.tag().size() + Tlv.lengthFieldSize(e.length());
    }
    byte[] out = new byte[n];
    int at = 0;
    for (Entry e : entries) {
      at = e.tag().writeTo(out, at);
      at = Tlv.writeLength(out, at, e.length());
    }
    return OwnedBytes.wrap(out);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Dol && ((Dol) o).entries.equals(entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  /** @return e.g. {@code Dol[9F02(6) 9F03(6) 9F1A(2)]} */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("Dol[");
    for (int i = 0; i < entries.size(); i++) {
      if (i > 0) {
        s.append(' ');
      }
      s.append(entries.get(i).tag().toHex()).append('(').append(entries.get(i).length()).append(')');
    }
    return s.append(']').toString();
  }
}
