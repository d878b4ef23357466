package dev.perso.devices.memory;

import dev.perso.core.Bytes;
import java.util.Optional;

/**
 * What a memory card's ATR hints at. Two forms are read (notes/transports.md §5.1, §5.2, §1.7 C):
 *
 * <ul>
 *   <li>the 4-byte synchronous ATR (H1 H2 H3 H4), raw (not starting with a TS byte 3B/3F) or as the historical bytes of a reader-synthesized
 *       {@code 3B 04 H1 H2 H3 H4}: H1 bits 0-2 the structure identifier, bits 4-7 the protocol type; H2 bits 0-2
 *       give 2^n bits per data unit, bits 3-6 give 2^(n+6) data units, bit 7 read-with-defined-length
 *       (DangerousPrototypes/BusPirate5-firmware@0859db15 {@code sle4442_atr_decode});
 *   <li>the PC/SC Part 3 synthesized ATR {@code 3B 8F 80 01 80 4F 0C A0 00 00 03 06 SS ...} whose standard
 *       byte SS is {@code 0D} contact I2C, {@code 0E} extended I2C, {@code 0F} 2-wire (2WBP), {@code 10} 3-wire
 *       (3WBP).
 * </ul>
 *
 * A hint only: {@code 3B 04 92 23 10 91} is labelled SLE4432/42 in smartcard_list but decodes to 1024 units;
 * select the chip explicitly.
 *
 * <pre>{@code
 * MemoryAtr a = MemoryAtr.decode(Bytes.fromHex("3B04A2131091")).orElseThrow();
 * a.units();        // 256
 * a.bitsPerUnit();  // 8
 * a.family();       // Optional[SLE44X2]
 * }</pre>
 *
 * @param protocolType H1 bits 4-7 ({@code A}: synchronous), or -1 for a Part 3 ATR
 * @param structure H1 bits 0-2, or -1 for a Part 3 ATR
 * @param bitsPerUnit bits per data unit, or 0 when not given
 * @param units number of data units, or 0 when not given
 * @param definedLength H2 bit 7: read with defined length
 * @param part3Standard the Part 3 standard byte, or -1
 * @param family the chip family this suggests, if any
 */
public record MemoryAtr(int protocolType, int structure, int bitsPerUnit, int units, boolean definedLength,
    int part3Standard, Optional<MemoryChip.Family> family) {

  private static final Bytes PART3_PREFIX = Bytes.fromHex("3B8F8001804F0CA000000306");

  /**
   * @param atr an ATR as a reader gives it, or the raw 4 synchronous bytes
   * @return the hint, or empty if the ATR is neither form
   */
  public static Optional<MemoryAtr> decode(Bytes atr) {
    if (atr == null) {
      return Optional.empty();
    }
    if (atr.length() > PART3_PREFIX.length() && atr.startsWith(PART3_PREFIX)) {
      int ss = atr.getUnsigned(PART3_PREFIX.length());
      Optional<MemoryChip.Family> f = switch (ss) {
        case 0x0D, 0x0E -> Optional.of(MemoryChip.Family.I2C);
        case 0x0F -> Optional.of(MemoryChip.Family.SLE44X2);
        case 0x10 -> Optional.of(MemoryChip.Family.SLE44X8);
        default -> Optional.empty();
      };
      return Optional.of(new MemoryAtr(-1, -1, 0, 0, false, ss, f));
    }
    Bytes h;
    if (atr.length() == 4 && atr.getUnsigned(0) != 0x3B && atr.getUnsigned(0) != 0x3F) {
      h = atr;
    } else if (atr.length() == 6 && atr.getUnsigned(0) == 0x3B && atr.getUnsigned(1) == 0x04) {
      h = atr.slice(2);
    } else {
      return Optional.empty();
    }
    int h1 = h.getUnsigned(0);
    int h2 = h.getUnsigned(1);
    int bits = 1 << (h2 & 0x07);
    int units = 1 << (((h2 >>> 3) & 0x0F) + 6);
    Optional<MemoryChip.Family> f = bits != 8 ? Optional.empty()
        : units == 256 ? Optional.of(MemoryChip.Family.SLE44X2)
        : units == 1024 ? Optional.of(MemoryChip.Family.SLE44X8) : Optional.empty();
    return Optional.of(new MemoryAtr(h1 >>> 4, h1 & 0x07, bits, units, (h2 & 0x80) != 0, -1, f));
  }
}
