package dev.perso.devices.memory;

import dev.perso.core.ValidationException;
import java.util.Arrays;
import java.util.Locale;

/**
 * The memory-card chips the SDK drives, with their memory layout (notes/transports.md §5.1):
 *
 * <ul>
 *   <li>SLE4432/4442/5532/5542: 256 bytes, bytes 0-31 irreversibly protectable one by one (32 protection
 *       bits, {@code 0} = protected); the 4442/5542 add a 3-byte PSC with a 3-try error counter.
 *   <li>SLE4418/4428/5518/5528: 1024 bytes, every byte has its own protection bit; the 4428/5528 add a
 *       2-byte PSC at 1022-1023 with an 8-try error counter at 1021 (these three bytes are not data).
 *   <li>AT24C01 to AT24C1024 I2C EEPROMs: sizes, page sizes and 1- or 2-byte word addresses from the
 *       nuttx {@code i2c_xx24xx.c} table; no code, no protection.
 * </ul>
 *
 * <pre>{@code
 * MemoryChip chip = MemoryChip.named("sle4442");
 * chip.size();            // 256
 * chip.hasCode();         // true, 3 bytes, 3 tries
 * MemoryChip.AT24C64.pageSize();   // 32
 * }</pre>
 */
public enum MemoryChip {
  /** Siemens/Infineon SLE4432: 256 bytes, 32 protection bits, no PSC. */
  SLE4432(Family.SLE44X2, 256, 0, 0, 0),
  /** SLE4442: 256 bytes, 32 protection bits, 3-byte PSC, 3 tries. */
  SLE4442(Family.SLE44X2, 256, 0, 3, 3),
  /** SLE5532: as SLE4432. */
  SLE5532(Family.SLE44X2, 256, 0, 0, 0),
  /** SLE5542: as SLE4442. */
  SLE5542(Family.SLE44X2, 256, 0, 3, 3),
  /** SLE4418: 1024 bytes, one protection bit per byte, no PSC. */
  SLE4418(Family.SLE44X8, 1024, 0, 0, 0),
  /** SLE4428: 1024 bytes, one protection bit per byte, 2-byte PSC, 8 tries. */
  SLE4428(Family.SLE44X8, 1024, 0, 2, 8),
  /** SLE5518: as SLE4418. */
  SLE5518(Family.SLE44X8, 1024, 0, 0, 0),
  /** SLE5528: as SLE4428. */
  SLE5528(Family.SLE44X8, 1024, 0, 2, 8),
  /** AT24C01: 128 bytes, 8-byte pages, 1-byte address. */
  AT24C01(Family.I2C, 128, 8, 0, 0),
  /** AT24C02: 256 bytes, 8-byte pages, 1-byte address. */
  AT24C02(Family.I2C, 256, 8, 0, 0),
  /** AT24C04: 512 bytes, 16-byte pages, 1-byte address (+1 bit in the device address). */
  AT24C04(Family.I2C, 512, 16, 0, 0),
  /** AT24C08: 1 KiB, 16-byte pages, 1-byte address (+2 bits in the device address). */
  AT24C08(Family.I2C, 1024, 16, 0, 0),
  /** AT24C16: 2 KiB, 16-byte pages, 1-byte address (+3 bits in the device address). */
  AT24C16(Family.I2C, 2048, 16, 0, 0),
  /** AT24C32: 4 KiB, 32-byte pages, 2-byte address. */
  AT24C32(Family.I2C, 4096, 32, 0, 0),
  /** AT24C64: 8 KiB, 32-byte pages, 2-byte address. */
  AT24C64(Family.I2C, 8192, 32, 0, 0),
  /** AT24C128: 16 KiB, 64-byte pages, 2-byte address. */
  AT24C128(Family.I2C, 16384, 64, 0, 0),
  /** AT24C256: 32 KiB, 64-byte pages, 2-byte address. */
  AT24C256(Family.I2C, 32768, 64, 0, 0),
  /** AT24C512: 64 KiB, 128-byte pages, 2-byte address. */
  AT24C512(Family.I2C, 65536, 128, 0, 0),
  /** AT24C1024: 128 KiB, 256-byte pages, 2-byte address (+1 bit in the device address). */
  AT24C1024(Family.I2C, 131072, 256, 0, 0);

  /** The chip families: how they are addressed and protected. */
  public enum Family {
    /** SLE4432/42/5532/42: 2-wire, 256 bytes, the first 32 protectable. */
    SLE44X2,
    /** SLE4418/28/5518/28: 3-wire, 1 KiB, every byte protectable. */
    SLE44X8,
    /** 24Cxx I2C EEPROM. */
    I2C
  }

  private final Family family;
  private final int size;
  private final int pageSize;
  private final int codeLength;
  private final int maxTries;

  MemoryChip(Family family, int size, int pageSize, int codeLength, int maxTries) {
    this.family = family;
    this.size = size;
    this.pageSize = pageSize;
    this.codeLength = codeLength;
    this.maxTries = maxTries;
  }

  /**
   * @param name a chip name in any case, e.g. {@code sle4442}, {@code AT24C64}, {@code 24c64}
   * @return the chip
   * @throws ValidationException listing the known chips
   */
  public static MemoryChip named(String name) {
    String n = name == null ? "" : name.trim().toUpperCase(Locale.ROOT);
    if (n.startsWith("24C")) {
      n = "AT" + n;
    }
    for (MemoryChip c : values()) {
      if (c.name().equals(n)) {
        return c;
      }
    }
    throw new ValidationException("chip", "unknown memory chip '" + name + "' (known: "
        + Arrays.toString(values()).toLowerCase(Locale.ROOT) + ")");
  }

  /** @return the family */
  public Family family() {
    return family;
  }

  /** @return the memory size in bytes */
  public int size() {
    return size;
  }

  /** @return the EEPROM page size in bytes (I2C chips), 0 for SLE chips */
  public int pageSize() {
    return pageSize;
  }

  /** @return 1 or 2: the word-address bytes of an I2C chip; 0 for SLE chips */
  public int addressBytes() {
    return family != Family.I2C ? 0 : size <= 2048 ? 1 : 2;
  }

  /**
   * The address bits an I2C chip takes in its device address beyond the word address (P0..P2 in the notes'
   * table): AT24C04 1, AT24C08 2, AT24C16 3, AT24C1024 1, others 0.
   *
   * @return how many high address bits go into the device address
   */
  public int deviceAddressBits() {
    if (family != Family.I2C) {
      return 0;
    }
    int wordBits = addressBytes() * 8;
    return Math.max(0, Integer.numberOfTrailingZeros(size) - wordBits);
  }

  /** @return whether the chip has a programmable security code (PSC) */
  public boolean hasCode() {
    return codeLength > 0;
  }

  /** @return the PSC length in bytes (3 for SLE4442/5542, 2 for SLE4428/5528), 0 without PSC */
  public int codeLength() {
    return codeLength;
  }

  /** @return the tries of a fresh error counter (3 or 8), 0 without PSC */
  public int maxTries() {
    return maxTries;
  }

  /**
   * @param address a byte address
   * @return whether that byte has a protection bit (SLE44x2: 0-31; SLE44x8: every byte; I2C: none)
   */
  public boolean protectable(int address) {
    return switch (family) {
      case SLE44X2 -> address >= 0 && address < 32;
      case SLE44X8 -> address >= 0 && address < size;
      case I2C -> false;
    };
  }

  /**
   * @return the bytes a data image may use: all of memory but, on SLE4428/5528, the error counter and
   *     PSC at 1021-1023
   */
  public int dataSize() {
    return family == Family.SLE44X8 && hasCode() ? size - 3 : size;
  }

  /**
   * @return the ACS SELECT_CARD_TYPE value ({@code FF A4 00 00 01 TT}, notes §5.2): 01 I2C 1-16 kbit,
   *     02 I2C 32-1024 kbit, 05 SLE4418/28/5518/28, 06 SLE4432/42/5532/42
   */
  public int acsCardType() {
    return switch (family) {
      case SLE44X2 -> 0x06;
      case SLE44X8 -> 0x05;
      case I2C -> addressBytes() == 1 ? 0x01 : 0x02;
    };
  }

  /** @return the name in lower case, as files and the CLI write it */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
