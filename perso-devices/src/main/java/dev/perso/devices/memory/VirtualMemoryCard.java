package dev.perso.devices.memory;

import dev.perso.core.internal.OwnedBytes;
import dev.perso.core.Bytes;
import dev.perso.core.SecretBytes;
import dev.perso.core.ValidationException;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.card.VirtualCard;
import dev.perso.devices.memory.internal.Eeprom24Chip;
import dev.perso.devices.memory.internal.Sle44x2Chip;
import dev.perso.devices.memory.internal.Sle44x8Chip;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A memory card in an ACS reader, as one {@link VirtualCard}: the reader's firmware answering the ACS
 * pseudo-APDUs (notes/transports.md §5.2) on top of an in-memory chip with the chip's own state machine
 * (§5.1): an SLE4432/4442 on its 2-wire bus driven through {@link Sle44x2Wire} (error counter, PSC,
 * 32 protection bits written by AND), an SLE4418/4428 (per-byte protection, 8-try counter, PSC at
 * 1022-1023), or a 24Cxx EEPROM on its I2C bus driven through {@link I2cEeprom} with the page size the
 * reader was told ({@code FF 01}, default 8, back to 8 on reset): a page size larger than the chip's page
 * wraps inside the page, as on a real card. Put it into a vpcd reader with
 * {@link dev.perso.devices.pcsc.VpcdBridge} to reach it through pcscd.
 *
 * <p>Answers: {@code 90 00}, and {@code 90 EC} to PRESENT_CODE (EC the error counter after the attempt).
 * What the manuals leave open is answered with ISO/IEC 7816-4 status words: a class other than {@code FF}
 * {@code 6E 00}, an unknown instruction {@code 6D 00}, a memory command before SELECT_CARD_TYPE
 * {@code 69 85}, a card type other than the inserted chip's {@code 6A 81}, a bad length {@code 67 00}, an
 * address outside the chip {@code 6B 00}. The chip ignores writes it refuses (locked, protected), and the
 * reader answers {@code 90 00} to them, as readers do: only reading back tells.
 *
 * <pre>{@code
 * VirtualMemoryCard card = VirtualMemoryCard.builder(MemoryChip.SLE4442).code(Bytes.fromHex("FFFFFF")).build();
 * try (VpcdBridge slot = VpcdBridge.insert(card, "127.0.0.1", 35963, Duration.ofSeconds(5))) { ... }
 * }</pre>
 */
public final class VirtualMemoryCard implements VirtualCard {
  private final MemoryChip chip;
  private final Sle44x2Chip sle2;
  private final Sle44x8Chip sle8;
  private final Eeprom24Chip eeprom;
  private final AtomicInteger presentations = new AtomicInteger();
  private final AtomicInteger commands = new AtomicInteger();
  private int selected = -1;
  private int pageSize = 8;

  private VirtualMemoryCard(Builder b) {
    this.chip = b.chip;
    Bytes code = b.code == null ? Bytes.fromHex("FF".repeat(Math.max(1, chip.codeLength()))) : b.code;
    switch (chip.family()) {
      case SLE44X2 -> {
        sle2 = new Sle44x2Chip(chip.hasCode(), code, b.tries < 0 ? 0x07 : (1 << b.tries) - 1);
        sle8 = null;
        eeprom = null;
      }
      case SLE44X8 -> {
        sle2 = null;
        sle8 = new Sle44x8Chip(chip.hasCode(), code, b.tries < 0 ? 0xFF : (1 << b.tries) - 1);
        eeprom = null;
      }
      default -> {
        sle2 = null;
        sle8 = null;
        eeprom = new Eeprom24Chip(chip, 0, b.busyPolls);
      }
    }
  }

  /**
   * @param chip the chip on the card
   * @return a builder: transport code all {@code FF}, full error counter, a 24Cxx write cycle of 2 polls
   */
  public static Builder builder(MemoryChip chip) {
    return new Builder(chip);
  }

  /** @return the chip */
  public MemoryChip chip() {
    return chip;
  }

  /** @return how many PRESENT_CODE commands the card received */
  public int presentations() {
    return presentations.get();
  }

  /** @return how many commands the card received */
  public int commands() {
    return commands.get();
  }

  /** @return the memory as a reader reads it (an SLE4428's PSC reads 00 until verified), for tests and previews */
  public synchronized Bytes memory() {
    if (sle2 != null) {
      return sle2.mainMemory();
    }
    if (sle8 != null) {
      byte[] m = new byte[1024];
      for (int a = 0; a < 1024; a++) {
        m[a] = (byte) sle8.read(a);
      }
      return OwnedBytes.wrap(m);
    }
    return eeprom.memory();
  }

  /** @return the tries the chip's error counter shows (0 without a code) */
  public synchronized int triesLeft() {
    return sle2 != null ? Integer.bitCount(sle2.errorCounter()) : sle8 != null ? Integer.bitCount(sle8.errorCounter())
        : 0;
  }

  /**
   * @param address a byte address
   * @return whether the chip protects it
   */
  public synchronized boolean isProtected(int address) {
    if (sle2 != null) {
      return address < 32 && (sle2.protectionBits() >>> address & 1) == 0;
    }
    return sle8 != null && sle8.isProtected(address);
  }

  /** @return the raw chip ATR bytes: SLE memory bytes 0-3; an I2C EEPROM has none */
  private Bytes chipAtr() {
    if (sle2 != null) {
      return sle2.answerToReset();
    }
    if (sle8 != null) {
      sle8.powerCycle();
      return sle8.atr();
    }
    eeprom.powerCycle();
    return Bytes.empty();
  }

  @Override
  public synchronized Bytes atr() {
    if (sle2 != null) {
      return Bytes.fromHex("3B04").concat(sle2.mainMemory().slice(0, 4));
    }
    if (sle8 != null) {
      return Bytes.fromHex("3B04").concat(sle8.atr());
    }
    return Bytes.fromHex("3B00");
  }

  @Override
  public synchronized Bytes reset() {
    selected = -1;
    pageSize = 8;
    chipAtr();
    return atr();
  }

  @Override
  public synchronized ResponseApdu process(CommandApdu c) {
    commands.incrementAndGet();
    if (c.cla() != 0xFF) {
      return ResponseApdu.of(0x6E00);
    }
    int ins = c.ins();
    if (ins == 0xA4) {
      if (c.p1() != 0 || c.p2() != 0 || c.data().length() != 1) {
        return ResponseApdu.of(0x6700);
      }
      selected = c.data().getUnsigned(0);
      pageSize = 8;
      chipAtr();
      return ResponseApdu.of(0x9000);
    }
    if (!isKnown(ins)) {
      return ResponseApdu.of(0x6D00);
    }
    if (selected < 0) {
      return ResponseApdu.of(0x6985);
    }
    if (selected != chip.acsCardType()) {
      return ResponseApdu.of(0x6A81);
    }
    return switch (chip.family()) {
      case SLE44X2 -> sle44x2(c);
      case SLE44X8 -> sle44x8(c);
      case I2C -> i2c(c);
    };
  }

  private static boolean isKnown(int ins) {
    return ins == 0x01 || ins == 0xB0 || ins == 0xB1 || ins == 0xB2 || ins == 0xD0 || ins == 0xD1 || ins == 0xD2
        || ins == 0x20;
  }

  private static int le(CommandApdu c) {
    return c.ne() == 0 ? -1 : c.ne();
  }

  private ResponseApdu sle44x2(CommandApdu c) {
    Sle44x2Wire wire = new Sle44x2Wire(sle2);
    switch (c.ins()) {
      case 0xB0 -> {
        int n = le(c);
        if (c.p1() != 0 || n < 0 || !c.data().isEmpty()) {
          return ResponseApdu.of(c.p1() != 0 ? 0x6B00 : 0x6700);
        }
        if (c.p2() + n > 256) {
          return ResponseApdu.of(0x6B00);
        }
        return ResponseApdu.of(wire.readMain(c.p2(), n), 0x9000);
      }
      case 0xD0 -> {
        if (c.p1() != 0 || c.p2() + c.data().length() > 256) {
          return ResponseApdu.of(0x6B00);
        }
        if (c.data().isEmpty()) {
          return ResponseApdu.of(0x6700);
        }
        wire.update(c.p2(), c.data());
        return ResponseApdu.of(0x9000);
      }
      case 0x20 -> {
        if (!chip.hasCode() || c.data().length() != 3) {
          return ResponseApdu.of(chip.hasCode() ? 0x6700 : 0x6D00);
        }
        presentations.incrementAndGet();
        try (SecretBytes code = SecretBytes.copyOf(c.data().toByteArray())) {
          return ResponseApdu.of(0x9000 | wire.presentCode(code));
        }
      }
      case 0xB1 -> {
        if (!chip.hasCode() || !c.data().isEmpty()) {
          return ResponseApdu.of(chip.hasCode() ? 0x6700 : 0x6D00);
        }
        return ResponseApdu.of(Bytes.ofUnsigned(wire.errorCounter(), 0, 0, 0), 0x9000);
      }
      case 0xB2 -> {
        if (!c.data().isEmpty()) {
          return ResponseApdu.of(0x6700);
        }
        return ResponseApdu.of(wire.readProtection(), 0x9000);
      }
      case 0xD1 -> {
        if (c.p1() != 0 || c.p2() + c.data().length() > 32) {
          return ResponseApdu.of(0x6B00);
        }
        if (c.data().isEmpty()) {
          return ResponseApdu.of(0x6700);
        }
        wire.writeProtection(c.p2(), c.data());
        return ResponseApdu.of(0x9000);
      }
      case 0xD2 -> {
        if (!chip.hasCode() || c.p1() != 0 || c.p2() != 1 || c.data().length() != 3) {
          return ResponseApdu.of(!chip.hasCode() ? 0x6D00 : c.data().length() != 3 ? 0x6700 : 0x6B00);
        }
        try (SecretBytes code = SecretBytes.copyOf(c.data().toByteArray())) {
          wire.changeCode(code);
        }
        return ResponseApdu.of(0x9000);
      }
      default -> {
        return ResponseApdu.of(0x6D00);
      }
    }
  }

  private ResponseApdu sle44x8(CommandApdu c) {
    int address = c.p1() << 8 | c.p2();
    switch (c.ins()) {
      case 0xB0 -> {
        int n = le(c);
        if (n < 0 || !c.data().isEmpty()) {
          return ResponseApdu.of(0x6700);
        }
        if (address + n > 1024) {
          return ResponseApdu.of(0x6B00);
        }
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
          out[i] = (byte) sle8.read(address + i);
        }
        return ResponseApdu.of(OwnedBytes.wrap(out), 0x9000);
      }
      case 0xD0 -> {
        if (address + c.data().length() > 1024) {
          return ResponseApdu.of(0x6B00);
        }
        if (c.data().isEmpty()) {
          return ResponseApdu.of(0x6700);
        }
        for (int i = 0; i < c.data().length(); i++) {
          sle8.write(address + i, c.data().getUnsigned(i));
        }
        return ResponseApdu.of(0x9000);
      }
      case 0x20 -> {
        if (!chip.hasCode() || c.data().length() != 2) {
          return ResponseApdu.of(chip.hasCode() ? 0x6700 : 0x6D00);
        }
        presentations.incrementAndGet();
        return ResponseApdu.of(0x9000 | sle8.present(c.data().getUnsigned(0), c.data().getUnsigned(1)));
      }
      case 0xB1 -> {
        if (!chip.hasCode() || !c.data().isEmpty()) {
          return ResponseApdu.of(chip.hasCode() ? 0x6700 : 0x6D00);
        }
        return ResponseApdu.of(Bytes.ofUnsigned(sle8.errorCounter(), 0, 0), 0x9000);
      }
      case 0xB2 -> {
        int n = le(c);
        if (n < 0 || !c.data().isEmpty()) {
          return ResponseApdu.of(0x6700);
        }
        if (address + n > 1024) {
          return ResponseApdu.of(0x6B00);
        }
        byte[] out = new byte[n + 1 + n / 8];
        java.util.Arrays.fill(out, n, out.length, (byte) 0xFF);
        for (int i = 0; i < n; i++) {
          out[i] = (byte) sle8.read(address + i);
          if (sle8.isProtected(address + i)) {
            out[n + i / 8] &= (byte) ~(1 << (i % 8));
          }
        }
        return ResponseApdu.of(OwnedBytes.wrap(out), 0x9000);
      }
      case 0xD1 -> {
        if (address + c.data().length() > 1024) {
          return ResponseApdu.of(0x6B00);
        }
        if (c.data().isEmpty()) {
          return ResponseApdu.of(0x6700);
        }
        for (int i = 0; i < c.data().length(); i++) {
          sle8.protect(address + i, c.data().getUnsigned(i));
        }
        return ResponseApdu.of(0x9000);
      }
      case 0xD2 -> {
        if (!chip.hasCode() || c.p1() != 0 || c.p2() != 0 || c.data().length() != 2) {
          return ResponseApdu.of(!chip.hasCode() ? 0x6D00 : c.data().length() != 2 ? 0x6700 : 0x6B00);
        }
        sle8.write(Sle44x8Chip.PSC, c.data().getUnsigned(0));
        sle8.write(Sle44x8Chip.PSC + 1, c.data().getUnsigned(1));
        return ResponseApdu.of(0x9000);
      }
      default -> {
        return ResponseApdu.of(0x6D00);
      }
    }
  }

  private ResponseApdu i2c(CommandApdu c) {
    int high = chip.size() > 65536 ? (c.ins() & 1) << 16 : 0;
    int address = high | c.p1() << 8 | c.p2();
    int base = c.ins() & 0xFE;
    if (c.ins() == 0x01) {
      if (c.p1() != 0 || c.p2() != 0 || c.data().length() != 1) {
        return ResponseApdu.of(0x6700);
      }
      int ps = c.data().getUnsigned(0);
      if (ps < 3 || ps > 7) {
        return ResponseApdu.of(0x6A80);
      }
      pageSize = 1 << ps;
      return ResponseApdu.of(0x9000);
    }
    if ((c.ins() & 1) == 1 && chip.size() <= 65536 || (base != 0xB0 && base != 0xD0)) {
      return ResponseApdu.of(0x6D00);
    }
    I2cEeprom driver = I2cEeprom.builder(eeprom, chip).writePage(pageSize).build();
    try {
      if (base == 0xB0) {
        int n = le(c);
        if (n < 0 || !c.data().isEmpty()) {
          return ResponseApdu.of(0x6700);
        }
        if (address + n > chip.size()) {
          return ResponseApdu.of(0x6B00);
        }
        return ResponseApdu.of(driver.read(address, n), 0x9000);
      }
      if (c.data().isEmpty()) {
        return ResponseApdu.of(0x6700);
      }
      if (address + c.data().length() > chip.size()) {
        return ResponseApdu.of(0x6B00);
      }
      driver.write(address, c.data());
      return ResponseApdu.of(0x9000);
    } catch (dev.perso.core.DeviceException e) {
      return ResponseApdu.of(0x6F00);
    }
  }

  @Override
  public String toString() {
    return "VirtualMemoryCard[" + chip.id() + "]";
  }

  /** Configures a {@link VirtualMemoryCard}. */
  public static final class Builder {
    private final MemoryChip chip;
    private Bytes code;
    private int tries = -1;
    private int busyPolls = 2;

    private Builder(MemoryChip chip) {
      this.chip = Objects.requireNonNull(chip, "chip");
    }

    /**
     * @param value the transport code on the fresh card ({@link MemoryChip#codeLength()} bytes; default all FF)
     * @return this
     */
    public Builder code(Bytes value) {
      if (!chip.hasCode() || value.length() != chip.codeLength()) {
        throw new ValidationException("code", chip.id() + (chip.hasCode() ? " takes a " + chip.codeLength()
            + "-byte code" : " has no code"));
      }
      this.code = value;
      return this;
    }

    /**
     * @param value the tries the error counter shows, 0..the chip's tries (default all)
     * @return this
     */
    public Builder triesLeft(int value) {
      if (!chip.hasCode() || value < 0 || value > chip.maxTries()) {
        throw new ValidationException("triesLeft", "must be 0.." + chip.maxTries() + " for " + chip.id());
      }
      this.tries = value;
      return this;
    }

    /**
     * @param value how many ACK polls a 24Cxx write cycle lasts (default 2)
     * @return this
     */
    public Builder writeCyclePolls(int value) {
      if (value < 0 || value > 1000) {
        throw new ValidationException("writeCyclePolls", "must be 0..1000, was " + value);
      }
      this.busyPolls = value;
      return this;
    }

    /** @return the card */
    public VirtualMemoryCard build() {
      return new VirtualMemoryCard(this);
    }
  }
}
