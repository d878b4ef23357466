package dev.perso.devices.atr;

import dev.perso.core.Bytes;
import dev.perso.core.internal.Hex;
import dev.perso.core.apdu.StatusWord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The historical bytes of an ATR (ISO/IEC 7816-4 §8.1.1): a category indicator, then compact-TLV
 * data objects (category {@code 00} and {@code 80}) and an optional status indicator (LCS, SW1 SW2).
 * Other categories are kept raw. A compact-TLV body that does not add up is kept raw too, with
 * {@link #problem()} saying why; it never makes the ATR unparseable.
 *
 * <pre>{@code
 * HistoricalBytes h = HistoricalBytes.of(Bytes.fromHex("0073C84011009000"));
 * h.objects();         // [7:C84011]  (card capabilities)
 * h.statusWord();      // Optional[9000]
 * }</pre>
 */
public final class HistoricalBytes {

  /**
   * One compact-TLV data object: a 4-bit tag and 0..15 value bytes.
   *
   * <pre>{@code
   * CompactTlv capabilities = new CompactTlv(7, Bytes.fromHex("C84011"));
   * }</pre>
   *
   * @param tag tag nibble 0..15 (e.g. 3 card service data, 7 card capabilities, 8 status indicator)
   * @param value the value bytes
   */
  public record CompactTlv(int tag, Bytes value) {
    @Override
    public String toString() {
      return Integer.toHexString(tag).toUpperCase() + ":" + value.toHex();
    }
  }

  private final Bytes raw;
  private final List<CompactTlv> objects;
  private final int lcs;
  private final StatusWord sw;
  private final String problem;

  private HistoricalBytes(Bytes raw, List<CompactTlv> objects, int lcs, StatusWord sw, String problem) {
    this.raw = raw;
    this.objects = objects;
    this.lcs = lcs;
    this.sw = sw;
    this.problem = problem;
  }

  /**
   * @param raw the historical bytes (K bytes from the ATR)
   * @return the decoded view
   */
  public static HistoricalBytes of(Bytes raw) {
    int k = raw.length();
    if (k == 0) {
      return new HistoricalBytes(raw, List.of(), -1, null, null);
    }
    int category = raw.getUnsigned(0);
    if (category == 0x00) {
      if (k < 4) {
        return new HistoricalBytes(raw, List.of(), -1, null, "category 00 needs a 3-byte status indicator");
      }
      List<CompactTlv> objs = new ArrayList<>();
      String problem = compactTlv(raw, 1, k - 3, objs);
      StatusWord sw = StatusWord.of(raw.getUnsigned(k - 2), raw.getUnsigned(k - 1));
      return new HistoricalBytes(raw, problem == null ? Collections.unmodifiableList(objs) : List.of(),
          raw.getUnsigned(k - 3), sw, problem);
    }
    if (category == 0x80) {
      List<CompactTlv> objs = new ArrayList<>();
      String problem = compactTlv(raw, 1, k, objs);
      if (problem != null) {
        return new HistoricalBytes(raw, List.of(), -1, null, problem);
      }
      int lcs = -1;
      StatusWord sw = null;
      for (CompactTlv o : objs) {
        if (o.tag() == 8) {
          Bytes v = o.value();
          if (v.length() == 1 || v.length() == 3) {
            lcs = v.getUnsigned(0);
          }
          if (v.length() >= 2) {
            sw = StatusWord.of(v.getUnsigned(v.length() - 2), v.getUnsigned(v.length() - 1));
          }
        }
      }
      return new HistoricalBytes(raw, Collections.unmodifiableList(objs), lcs, sw, null);
    }
    return new HistoricalBytes(raw, List.of(), -1, null, null);
  }

  private static String compactTlv(Bytes raw, int from, int to, List<CompactTlv> out) {
    int p = from;
    while (p < to) {
      int tl = raw.getUnsigned(p);
      int len = tl & 0x0F;
      if (p + 1 + len > to) {
        return "compact-TLV object at historical byte " + p + " (" + Hex.byteToHex(tl) + ") announces " + len
            + " bytes, only " + (to - p - 1) + " remain";
      }
      out.add(new CompactTlv(tl >>> 4, raw.slice(p + 1, p + 1 + len)));
      p += 1 + len;
    }
    return null;
  }

  /** @return the historical bytes as received */
  public Bytes raw() {
    return raw;
  }

  /** @return the category indicator, if there are historical bytes */
  public OptionalInt category() {
    return raw.isEmpty() ? OptionalInt.empty() : OptionalInt.of(raw.getUnsigned(0));
  }

  /** @return true for categories 00 and 80 (compact-TLV objects follow) */
  public boolean isCompactTlv() {
    return !raw.isEmpty() && (raw.getUnsigned(0) == 0x00 || raw.getUnsigned(0) == 0x80);
  }

  /** @return the compact-TLV objects (empty for other categories or when malformed) */
  public List<CompactTlv> objects() {
    return objects;
  }

  /** @return the life cycle status byte from the status indicator, if any */
  public OptionalInt lifeCycleStatus() {
    return lcs < 0 ? OptionalInt.empty() : OptionalInt.of(lcs);
  }

  /** @return SW1 SW2 from the status indicator, if any */
  public Optional<StatusWord> statusWord() {
    return Optional.ofNullable(sw);
  }

  /** @return why a compact-TLV body could not be decoded, if it could not */
  public Optional<String> problem() {
    return Optional.ofNullable(problem);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HistoricalBytes && ((HistoricalBytes) o).raw.equals(raw);
  }

  @Override
  public int hashCode() {
    return raw.hashCode();
  }

  @Override
  public String toString() {
    if (raw.isEmpty()) {
      return "(none)";
    }
    StringBuilder s = new StringBuilder(raw.toHex());
    int cat = raw.getUnsigned(0);
    if (isCompactTlv()) {
      s.append(" category ").append(Hex.byteToHex(cat)).append(" compact-TLV ").append(objects);
      if (lcs >= 0) {
        s.append(" LCS ").append(Hex.byteToHex(lcs));
      }
      if (sw != null) {
        s.append(" SW ").append(sw.toHex());
      }
      if (problem != null) {
        s.append(" (").append(problem).append(')');
      }
    } else if (cat == 0x10) {
      s.append(" category 10 DIR data reference");
    } else {
      s.append(" proprietary");
    }
    text().ifPresent(t -> s.append(" \"").append(t).append('"'));
    return s.toString();
  }

  /**
   * The historical bytes as text when every byte is printable ASCII (0x20..0x7E), as {@code pcsc-tools}'
   * ATR analysis shows them: many cards put their name there, e.g. {@code JCOPv241}.
   *
   * @return the text, or empty when a byte is not printable or there are none
   */
  public Optional<String> text() {
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    char[] c = new char[raw.length()];
    for (int i = 0; i < c.length; i++) {
      int b = raw.getUnsigned(i);
      if (b < 0x20 || b > 0x7E) {
        return Optional.empty();
      }
      c[i] = (char) b;
    }
    return Optional.of(new String(c));
  }
}
