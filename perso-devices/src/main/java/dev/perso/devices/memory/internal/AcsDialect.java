package dev.perso.devices.memory.internal;

import dev.perso.core.Bytes;
import dev.perso.core.SecretBytes;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.channel.CardChannel;
import dev.perso.devices.memory.MemoryCardDialect;
import dev.perso.devices.memory.MemoryCardException;
import dev.perso.devices.memory.MemoryChip;
import java.util.BitSet;

/**
 * The ACS pseudo-APDUs (class {@code FF}) of the ACR38/ACR39 family, as notes/transports.md §5.2 gives them
 * (ACR38 Reference Manual v1.9 §8.2, ACR38x v6.02 §9.2.2, ACR39x v1.02 §8.3, ACR33U-A1 §8.2.11.7;
 * sigsergv/pcsc-tutorial-java). AT24C1024 addresses above FFFF put the 17th address bit in bit 0 of INS
 * ({@code B1}/{@code D1}; ACR38x v6.02 §9.2.2.2.2-3). The SLE4428 change-code command is {@code FF D2 00 00 02}
 * (the notes give only the SLE4442 form, {@code FF D2 00 01 03}).
 */
public final class AcsDialect implements MemoryCardDialect {
  /** The one instance. */
  public static final AcsDialect INSTANCE = new AcsDialect();

  static final int CLA = 0xFF;
  static final int SELECT_CARD_TYPE = 0xA4;
  static final int SELECT_PAGE_SIZE = 0x01;
  static final int READ = 0xB0;
  static final int WRITE = 0xD0;
  static final int PRESENT_CODE = 0x20;
  static final int READ_ERROR_COUNTER = 0xB1;
  static final int READ_PROTECTION = 0xB2;
  static final int WRITE_PROTECTION = 0xD1;
  static final int CHANGE_CODE = 0xD2;
  /** Bytes per read or write command. */
  static final int CHUNK = 128;

  private AcsDialect() {}

  @Override
  public String name() {
    return "acs";
  }

  @Override
  public int maxChunk() {
    return CHUNK;
  }

  /** @return the SELECT_PAGE_SIZE value for a page size (03 = 8 ... 07 = 128), the chip's page capped at 128 */
  static int pageSizeCode(MemoryChip chip) {
    return Integer.numberOfTrailingZeros(Math.min(chip.pageSize(), 128));
  }

  @Override
  public void select(CardChannel channel, MemoryChip chip) {
    ResponseApdu r = channel.transmit(CommandApdu.of(CLA, SELECT_CARD_TYPE, 0, 0, Bytes.ofUnsigned(chip.acsCardType())));
    // Old firmware answers the card's ATR with 90 00 (ACR38 v1.9 §8.2.5.1), CCID firmware 90 00 alone.
    if (r.sw().value() != 0x9000) {
      throw new dev.perso.core.CardStatusException("SELECT_CARD_TYPE " + Answers.hex(chip.acsCardType()), r.sw());
    }
    if (chip.family() == MemoryChip.Family.I2C) {
      Answers.expect(channel.transmit(CommandApdu.of(CLA, SELECT_PAGE_SIZE, 0, 0, Bytes.ofUnsigned(pageSizeCode(chip)))),
          "SELECT_PAGE_SIZE", 0);
    }
  }

  private static int ins(int base, MemoryChip chip, int address) {
    return chip.family() == MemoryChip.Family.I2C ? base | (address >>> 16 & 1) : base;
  }

  @Override
  public Bytes read(CardChannel channel, MemoryChip chip, int address, int length) {
    CommandApdu c = CommandApdu.of(CLA, ins(READ, chip, address), address >>> 8 & 0xFF, address & 0xFF, Bytes.empty(),
        length);
    return Answers.expect(channel.transmit(c), "READ_MEMORY_CARD at " + address, length).data();
  }

  @Override
  public void write(CardChannel channel, MemoryChip chip, int address, Bytes data) {
    CommandApdu c = CommandApdu.of(CLA, ins(WRITE, chip, address), address >>> 8 & 0xFF, address & 0xFF, data);
    Answers.expect(channel.transmit(c), "WRITE_MEMORY_CARD at " + address, 0);
  }

  @Override
  public int triesLeft(CardChannel channel, MemoryChip chip) {
    // SLE4442: FF B1 00 00 04 -> ERRCNT DUMMY x3 (sigsergv); SLE4428: FF B1 00 00 00 -> ERRCNT DUMMY x2 (manual).
    boolean x2 = chip.family() == MemoryChip.Family.SLE44X2;
    int n = x2 ? 4 : 3;
    ResponseApdu r = Answers.expect(channel.transmit(CommandApdu.of(CLA, READ_ERROR_COUNTER, 0, 0, Bytes.empty(),
        x2 ? 4 : 256)), "READ_PRESENTATION_ERROR_COUNTER", n);
    return tries(chip, r.data().getUnsigned(0), "READ_PRESENTATION_ERROR_COUNTER");
  }

  private static int tries(MemoryChip chip, int ec, String operation) {
    if (chip.family() == MemoryChip.Family.SLE44X2 && ec > 0x07) {
      throw new MemoryCardException(MemoryCardException.Reason.BAD_ANSWER, -1, operation + ": error counter "
          + Answers.hex(ec) + " has bits an SLE4442 counter does not have");
    }
    return Integer.bitCount(ec);
  }

  @Override
  public CodeAnswer presentCode(CardChannel channel, MemoryChip chip, SecretBytes code) {
    ResponseApdu r = code.apply(c -> channel.transmit(CommandApdu.of(CLA, PRESENT_CODE, 0, 0, Bytes.secret(c))));
    int ec;
    if (r.data().isEmpty() && r.sw1() == 0x90) {
      ec = r.sw2();                                   // CCID firmware: 90 ErrorCnt (ACR33U §8.2.11.7)
    } else if (r.data().length() == code.length() + 1 && r.sw().value() == 0x9000) {
      ec = r.data().getUnsigned(0);                   // old serial ACR38: ERRCNT CODE 90 00
    } else if (r.sw1() != 0x90) {
      throw new dev.perso.core.CardStatusException("PRESENT_CODE", r.sw());
    } else {
      throw Answers.bad("PRESENT_CODE", r);
    }
    int full = chip.family() == MemoryChip.Family.SLE44X2 ? 0x07 : 0xFF;
    return new CodeAnswer(ec == full, tries(chip, ec, "PRESENT_CODE"));
  }

  @Override
  public BitSet readProtection(CardChannel channel, MemoryChip chip, int address, int length) {
    BitSet out = new BitSet(length);
    if (chip.family() == MemoryChip.Family.SLE44X2) {
      // FF B2 00 00 04 -> PROT1..PROT4, bit x of PROT(n) for byte 8n+x, 0 = protected.
      Bytes p = Answers.expect(channel.transmit(CommandApdu.of(CLA, READ_PROTECTION, 0, 0, Bytes.empty(), 4)),
          "READ_PROTECTION_BITS", 4).data();
      for (int i = 0; i < length; i++) {
        int a = address + i;
        if (a < 32 && (p.getUnsigned(a / 8) >>> (a % 8) & 1) == 0) {
          out.set(i);
        }
      }
      return out;
    }
    if (chip.family() == MemoryChip.Family.SLE44X8) {
      // FF B2 AH AL LL -> LL data bytes, then 1 + INT(LL/8) protection bytes, bit x of byte k for data byte 8k+x.
      int prot = 1 + length / 8;
      Bytes r = Answers.expect(channel.transmit(CommandApdu.of(CLA, READ_PROTECTION, address >>> 8 & 0xFF,
          address & 0xFF, Bytes.empty(), length)), "READ_PROTECTION_BITS at " + address, length + prot).data();
      for (int i = 0; i < length; i++) {
        if ((r.getUnsigned(length + i / 8) >>> (i % 8) & 1) == 0) {
          out.set(i);
        }
      }
      return out;
    }
    return out;
  }

  @Override
  public void writeProtection(CardChannel channel, MemoryChip chip, int address, Bytes data) {
    CommandApdu c = CommandApdu.of(CLA, WRITE_PROTECTION, address >>> 8 & 0xFF, address & 0xFF, data);
    Answers.expect(channel.transmit(c), "WRITE_PROTECTION_MEMORY at " + address, 0);
  }

  @Override
  public void changeCode(CardChannel channel, MemoryChip chip, SecretBytes code) {
    int p2 = chip.family() == MemoryChip.Family.SLE44X2 ? 0x01 : 0x00;
    ResponseApdu r = code.apply(c -> channel.transmit(CommandApdu.of(CLA, CHANGE_CODE, 0, p2, Bytes.secret(c))));
    Answers.expect(r, "CHANGE_CODE", 0);
  }

  @Override
  public String toString() {
    return "acs";
  }
}
