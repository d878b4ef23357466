package dev.perso.devices.atr;

import dev.perso.core.internal.OwnedBytes;
import dev.perso.core.Bytes;
import dev.perso.core.internal.Hex;
import dev.perso.core.MalformedDataException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * An answer-to-reset parsed per ISO/IEC 7816-3 §8.2, as the CCID driver ({@code atr.c}), pcsc-tools
 * {@code ATR_analysis} and pyscard read it: TS convention, the interface byte groups with their
 * per-protocol meaning, historical bytes and the TCK check.
 *
 * <p>Defaults apply where a byte is absent: Fi/Di {@code 11}, WI 10, IFSC 32, BWI 4, CWI 13, LRC.
 *
 * <pre>{@code
 * Atr atr = Atr.parse(Bytes.fromHex("3BF81300008131FE454A434F5076323431B7"));
 * atr.protocols();          // [T=1]
 * atr.ifsc();               // 254
 * atr.bwi();                // 4
 * atr.historical().raw();   // "JCOPv241"
 * }</pre>
 */
public final class Atr {

  /** Maximum ATR length (TS plus 32 bytes), as pcsc-lite's {@code MAX_ATR_SIZE}. */
  public static final int MAX_LENGTH = 33;

  /** Bit convention announced by TS. */
  public enum Convention {
    /** TS = 3B: high level is 1, least significant bit first. */
    DIRECT,
    /** TS = 3F (03 as seen on the wire before decoding): low level is 1, most significant bit first. */
    INVERSE
  }

  /** Error detection code of T=1 blocks, chosen by bit 1 of the first TCi (i &ge; 3) after T=1. */
  public enum Edc {
    /** Longitudinal redundancy check: one byte, XOR. */
    LRC,
    /** Cyclic redundancy check: two bytes. */
    CRC
  }

  /** Clock stop support announced by the first TAi after T=15 (bits 8-7). */
  public enum ClockStop {
    /** Clock stop not supported. */
    NOT_SUPPORTED,
    /** Clock may stop in state L. */
    STATE_L,
    /** Clock may stop in state H. */
    STATE_H,
    /** Clock may stop in either state. */
    NO_PREFERENCE
  }

  /** Operating conditions class announced by the first TAi after T=15 (bits 1-3). */
  public enum VoltageClass {
    /** Class A, 5 V. */
    A,
    /** Class B, 3 V. */
    B,
    /** Class C, 1.8 V. */
    C
  }

  /**
   * One group of interface bytes TAi, TBi, TCi, TDi.
   *
   * <pre>{@code
   * InterfaceGroup g = atr.groups().get(2);   // i = 3
   * g.ta();                                   // OptionalInt[254] (IFSC when g.qualifier() is T=1)
   * }</pre>
   */
  public static final class InterfaceGroup {
    private final int index;
    private final Protocol qualifier;
    private final int ta;
    private final int tb;
    private final int tc;
    private final int td;

    InterfaceGroup(int index, Protocol qualifier, int ta, int tb, int tc, int td) {
      this.index = index;
      this.qualifier = qualifier;
      this.ta = ta;
      this.tb = tb;
      this.tc = tc;
      this.td = td;
    }

    /** @return i, 1-based */
    public int index() {
      return index;
    }

    /** @return the protocol announced by TD(i-1) that qualifies this group; empty for i = 1 */
    public Optional<Protocol> qualifier() {
      return Optional.ofNullable(qualifier);
    }

    /** @return TAi if present */
    public OptionalInt ta() {
      return opt(ta);
    }

    /** @return TBi if present */
    public OptionalInt tb() {
      return opt(tb);
    }

    /** @return TCi if present */
    public OptionalInt tc() {
      return opt(tc);
    }

    /** @return TDi if present */
    public OptionalInt td() {
      return opt(td);
    }

    @Override
    public String toString() {
      StringBuilder s = new StringBuilder("group ").append(index);
      if (qualifier != null) {
        s.append(" (").append(qualifier).append(')');
      }
      append(s, "TA", ta);
      append(s, "TB", tb);
      append(s, "TC", tc);
      append(s, "TD", td);
      return s.toString();
    }

    private void append(StringBuilder s, String name, int v) {
      if (v >= 0) {
        s.append(' ').append(name).append(index).append('=').append(Hex.byteToHex(v));
      }
    }
  }

  private final Bytes raw;
  private final Convention convention;
  private final int t0;
  private final List<InterfaceGroup> groups;
  private final HistoricalBytes historical;
  private final int tck;
  private final List<Protocol> protocols;

  private Atr(Bytes raw, Convention convention, int t0, List<InterfaceGroup> groups, HistoricalBytes historical,
      int tck, List<Protocol> protocols) {
    this.raw = raw;
    this.convention = convention;
    this.t0 = t0;
    this.groups = groups;
    this.historical = historical;
    this.tck = tck;
    this.protocols = protocols;
  }

  /**
   * Parses an ATR strictly: every announced byte must be there, nothing may follow TCK, and TCK must
   * make the XOR of T0..TCK zero.
   *
   * @param atr the ATR; TS {@code 3B} or {@code 3F}, or {@code 03} for inverse-convention bytes as
   *     received on the wire (they are decoded first)
   * @return the parsed ATR
   * @throws MalformedDataException naming the offset of the first offending byte
   */
  public static Atr parse(Bytes atr) {
    if (atr == null) {
      throw new MalformedDataException(-1, "ATR is null");
    }
    int n = atr.length();
    if (n < 2) {
      throw new MalformedDataException(n, "ATR needs at least TS and T0, got " + n + " bytes");
    }
    if (n > MAX_LENGTH) {
      throw new MalformedDataException(MAX_LENGTH, "ATR is " + n + " bytes long; at most " + MAX_LENGTH + " allowed");
    }
    byte[] b = atr.toByteArray();
    Convention convention;
    switch (b[0] & 0xFF) {
      case 0x3B:
        convention = Convention.DIRECT;
        break;
      case 0x3F:
        convention = Convention.INVERSE;
        break;
      case 0x03:
        convention = Convention.INVERSE;
        for (int i = 0; i < n; i++) {
          b[i] = (byte) ~(Integer.reverse(b[i] & 0xFF) >>> 24);
        }
        break;
      default:
        throw new MalformedDataException(0, "TS must be 3B (direct) or 3F (inverse), or 03 (inverse, undecoded), was "
            + Hex.byteToHex(b[0] & 0xFF));
    }
    int t0 = b[1] & 0xFF;
    int k = t0 & 0x0F;
    int y = t0 >>> 4;
    int pos = 2;
    int i = 1;
    Protocol qualifier = null;
    boolean tckPresent = false;
    List<InterfaceGroup> groups = new ArrayList<>();
    List<Protocol> protocols = new ArrayList<>();
    while (true) {
      String what = i == 1 ? "T0" : "TD" + (i - 1);
      int ta = -1;
      int tb = -1;
      int tc = -1;
      int td = -1;
      if ((y & 1) != 0) {
        ta = need(b, pos++, what + " announces TA" + i);
      }
      if ((y & 2) != 0) {
        tb = need(b, pos++, what + " announces TB" + i);
      }
      if ((y & 4) != 0) {
        tc = need(b, pos++, what + " announces TC" + i);
      }
      if ((y & 8) != 0) {
        td = need(b, pos++, what + " announces TD" + i);
      }
      groups.add(new InterfaceGroup(i, qualifier, ta, tb, tc, td));
      if (td < 0) {
        break;
      }
      qualifier = Protocol.of(td & 0x0F);
      if (qualifier != Protocol.T0) {
        tckPresent = true;
      }
      if (qualifier != Protocol.T15 && !protocols.contains(qualifier)) {
        protocols.add(qualifier);
      }
      y = td >>> 4;
      i++;
    }
    if (protocols.isEmpty()) {
      protocols.add(Protocol.T0);
    }
    if (pos + k > n) {
      throw new MalformedDataException(n, "T0 announces " + k + " historical bytes, but only " + Math.max(0, n - pos)
          + " follow the interface bytes");
    }
    Bytes hist = Bytes.of(b, pos, k);
    pos += k;
    int tck = -1;
    if (tckPresent) {
      if (pos >= n) {
        throw new MalformedDataException(pos, "TCK missing: a protocol other than T=0 is announced");
      }
      int x = 0;
      for (int j = 1; j <= pos; j++) {
        x ^= b[j] & 0xFF;
      }
      tck = b[pos] & 0xFF;
      if (x != 0) {
        throw new MalformedDataException(pos, "TCK " + Hex.byteToHex(tck) + " is wrong; expected "
            + Hex.byteToHex(tck ^ x));
      }
      pos++;
    }
    if (pos != n) {
      throw new MalformedDataException(pos, (n - pos) + " unexpected byte(s) after the "
          + (tckPresent ? "TCK" : "historical bytes"));
    }
    return new Atr(OwnedBytes.wrap(b), convention, t0, Collections.unmodifiableList(groups), HistoricalBytes.of(hist),
        tck, Collections.unmodifiableList(protocols));
  }

  private static int need(byte[] b, int pos, String why) {
    if (pos >= b.length) {
      throw new MalformedDataException(pos, why + " but the ATR ends");
    }
    return b[pos] & 0xFF;
  }

  private static OptionalInt opt(int v) {
    return v < 0 ? OptionalInt.empty() : OptionalInt.of(v);
  }

  /** @return the ATR bytes in direct form (inverse-convention wire bytes are returned decoded) */
  public Bytes bytes() {
    return raw;
  }

  /** @return the convention announced by TS */
  public Convention convention() {
    return convention;
  }

  /** @return T0, the format byte */
  public int t0() {
    return t0;
  }

  /** @return the interface byte groups, i = 1.. in order (group 1 always present, possibly empty) */
  public List<InterfaceGroup> groups() {
    return groups;
  }

  /** @return the historical bytes */
  public HistoricalBytes historical() {
    return historical;
  }

  /** @return TCK if present (present iff a protocol other than T=0 is announced) */
  public OptionalInt tck() {
    return opt(tck);
  }

  /** @return the protocols offered, in the order announced; the first is the default (T=15 excluded) */
  public List<Protocol> protocols() {
    return protocols;
  }

  /** @return the first protocol offered, used when no PPS is done (CCID {@code ATR_GetDefaultProtocol}) */
  public Protocol defaultProtocol() {
    return specificProtocol().orElse(protocols.get(0));
  }

  private int global(int i, char which) {
    if (i > groups.size()) {
      return -1;
    }
    InterfaceGroup g = groups.get(i - 1);
    switch (which) {
      case 'A':
        return g.ta;
      case 'B':
        return g.tb;
      case 'C':
        return g.tc;
      default:
        return g.td;
    }
  }

  /** First interface byte of kind {@code which} in a group (i &ge; 3) qualified by {@code p}. */
  private int specific(Protocol p, char which) {
    for (InterfaceGroup g : groups) {
      if (g.index >= 3 && g.qualifier == p) {
        int v;
        switch (which) {
          case 'A':
            v = g.ta;
            break;
          case 'B':
            v = g.tb;
            break;
          default:
            v = g.tc;
        }
        if (v >= 0) {
          return v;
        }
      }
    }
    return -1;
  }

  /** @return TA1 if present */
  public OptionalInt ta1() {
    return opt(global(1, 'A'));
  }

  /** @return TA1, or the default {@code 11} when absent */
  public int fiDi() {
    int ta1 = global(1, 'A');
    return ta1 < 0 ? FiDi.DEFAULT_TA1 : ta1;
  }

  /** @return Fi from TA1 (372 when absent); throws ValidationException if TA1 names an RFU value */
  public int fi() {
    return FiDi.fi(fiDi() >>> 4);
  }

  /** @return Di from TA1 (1 when absent); throws ValidationException if TA1 names an RFU value */
  public int di() {
    return FiDi.di(fiDi() & 0x0F);
  }

  /** @return N, the extra guard time in etu from TC1 (0 when absent; 255 is the special minimum) */
  public int extraGuardTime() {
    int tc1 = global(1, 'C');
    return tc1 < 0 ? 0 : tc1;
  }

  /** @return true if TA2 is present: the card is in specific mode and no PPS is allowed */
  public boolean specificMode() {
    return global(2, 'A') >= 0;
  }

  /** @return the only protocol in specific mode (low nibble of TA2) */
  public Optional<Protocol> specificProtocol() {
    int ta2 = global(2, 'A');
    return ta2 < 0 ? Optional.empty() : Optional.of(Protocol.of(ta2 & 0x0F));
  }

  /** @return true if TA2 bit 5 says the transmission parameters are implicit (not from TA1) */
  public boolean implicitParameters() {
    int ta2 = global(2, 'A');
    return ta2 >= 0 && (ta2 & 0x10) != 0;
  }

  /** @return WI, the T=0 work waiting integer from TC2 (10 when absent) */
  public int wi() {
    int tc2 = global(2, 'C');
    return tc2 <= 0 ? 10 : tc2;
  }

  /** @return IFSC from the first TAi (i &ge; 3) after T=1: 32 when absent or 00, FF clamped to 254 as CCID does */
  public int ifsc() {
    int v = specific(Protocol.T1, 'A');
    if (v <= 0) {
      return 32;
    }
    return Math.min(v, 254);
  }

  /** @return BWI from the first TBi (i &ge; 3) after T=1 (4 when absent) */
  public int bwi() {
    int v = specific(Protocol.T1, 'B');
    return v < 0 ? 4 : v >>> 4;
  }

  /** @return CWI from the first TBi (i &ge; 3) after T=1 (13 when absent) */
  public int cwi() {
    int v = specific(Protocol.T1, 'B');
    return v < 0 ? 13 : v & 0x0F;
  }

  /** @return the T=1 error detection code from the first TCi (i &ge; 3) after T=1 (LRC when absent) */
  public Edc edc() {
    int v = specific(Protocol.T1, 'C');
    return v >= 0 && (v & 1) != 0 ? Edc.CRC : Edc.LRC;
  }

  /** @return the clock stop indicator from the first TAi after T=15, if present */
  public Optional<ClockStop> clockStop() {
    int v = specific(Protocol.T15, 'A');
    return v < 0 ? Optional.empty() : Optional.of(ClockStop.values()[v >>> 6]);
  }

  /** @return the voltage classes from the first TAi after T=15 (empty when absent) */
  public Set<VoltageClass> voltageClasses() {
    int v = specific(Protocol.T15, 'A');
    EnumSet<VoltageClass> s = EnumSet.noneOf(VoltageClass.class);
    if (v >= 0) {
      if ((v & 1) != 0) {
        s.add(VoltageClass.A);
      }
      if ((v & 2) != 0) {
        s.add(VoltageClass.B);
      }
      if ((v & 4) != 0) {
        s.add(VoltageClass.C);
      }
    }
    return Collections.unmodifiableSet(s);
  }

  /** @return a multi-line explanation, in the spirit of pcsc-tools {@code ATR_analysis} */
  public String describe() {
    StringBuilder s = new StringBuilder();
    s.append("ATR ").append(raw.toHex()).append('\n');
    s.append("TS ").append(Hex.byteToHex(raw.getUnsigned(0))).append(": ").append(convention).append(" convention\n");
    s.append("T0 ").append(Hex.byteToHex(t0)).append(": K = ").append(t0 & 0x0F).append(" historical bytes\n");
    for (InterfaceGroup g : groups) {
      s.append(g).append('\n');
    }
    if (FiDi.isValid(fiDi())) {
      s.append("Fi = ").append(fi()).append(", Di = ").append(di()).append(", ")
          .append(FiDi.cyclesPerEtu(fiDi())).append(" cycles/etu\n");
    } else {
      s.append("TA1 ").append(Hex.byteToHex(fiDi())).append(": RFU Fi/Di\n");
    }
    s.append("protocols ").append(protocols).append(specificMode() ? " (specific mode)" : "").append('\n');
    if (protocols.contains(Protocol.T0)) {
      s.append("T=0: WI = ").append(wi()).append('\n');
    }
    if (protocols.contains(Protocol.T1)) {
      s.append("T=1: IFSC = ").append(ifsc()).append(", BWI = ").append(bwi()).append(", CWI = ").append(cwi())
          .append(", EDC = ").append(edc()).append('\n');
    }
    s.append("historical ").append(historical).append('\n');
    if (tck >= 0) {
      s.append("TCK ").append(Hex.byteToHex(tck)).append(" (correct)\n");
    }
    return s.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Atr && ((Atr) o).raw.equals(raw);
  }

  @Override
  public int hashCode() {
    return raw.hashCode();
  }

  /** @return the ATR hex and its protocols */
  @Override
  public String toString() {
    return "Atr[" + raw.toHex() + " " + protocols + "]";
  }
}
