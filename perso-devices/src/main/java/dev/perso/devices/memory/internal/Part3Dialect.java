package dev.perso.devices.memory.internal;

import dev.perso.core.Bytes;
import dev.perso.core.CardStatusException;
import dev.perso.core.SecretBytes;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.channel.CardChannel;
import dev.perso.devices.memory.MemoryCardDialect;
import dev.perso.devices.memory.MemoryCardException;
import dev.perso.devices.memory.MemoryChip;
import java.util.BitSet;

/**
 * The PC/SC Part 3 storage-card commands (class {@code FF}): READ BINARY {@code FF B0}, UPDATE BINARY
 * {@code FF D6}, VERIFY {@code FF 20 00 00 Lc code} answered {@code 90 00}, {@code 63 CX} (X tries left) or
 * {@code 69 83} (blocked, ISO/IEC 7816-4 §5.6); the tries are read with a VERIFY without data ({@code FF 20
 * 00 00}, ISO/IEC 7816-4 §11.5.6), answered {@code 63 CX}. The reader identifies the card itself (its ATR
 * carries the standard byte, notes §5.2), so there is no card-type selection. Part 3 has no protection-bit
 * or change-code command: those are refused as {@link MemoryCardException.Reason#UNSUPPORTED}.
 */
public final class Part3Dialect implements MemoryCardDialect {
  /** The one instance. */
  public static final Part3Dialect INSTANCE = new Part3Dialect();

  private Part3Dialect() {}

  @Override
  public String name() {
    return "pcsc-part3";
  }

  @Override
  public int maxChunk() {
    return AcsDialect.CHUNK;
  }

  @Override
  public void select(CardChannel channel, MemoryChip chip) {
    if (chip.size() > 65536) {
      throw unsupported("addresses above FFFF (" + chip.id() + ")");
    }
  }

  @Override
  public Bytes read(CardChannel channel, MemoryChip chip, int address, int length) {
    return Answers.expect(channel.transmit(CommandApdu.of(0xFF, 0xB0, address >>> 8 & 0xFF, address & 0xFF,
        Bytes.empty(), length)), "READ BINARY at " + address, length).data();
  }

  @Override
  public void write(CardChannel channel, MemoryChip chip, int address, Bytes data) {
    Answers.expect(channel.transmit(CommandApdu.of(0xFF, 0xD6, address >>> 8 & 0xFF, address & 0xFF, data)),
        "UPDATE BINARY at " + address, 0);
  }

  @Override
  public int triesLeft(CardChannel channel, MemoryChip chip) {
    ResponseApdu r = channel.transmit(CommandApdu.of(0xFF, 0x20, 0x00, 0x00));
    if (!r.data().isEmpty()) {
      throw Answers.bad("VERIFY (tries)", r);
    }
    if (r.sw1() == 0x63 && (r.sw2() & 0xF0) == 0xC0) {
      return r.sw2() & 0x0F;
    }
    if (r.sw().value() == 0x6983) {
      return 0;
    }
    if (r.sw().value() == 0x9000) {
      return chip.maxTries(); // verified already: a verified SLE counter is full
    }
    throw new CardStatusException("VERIFY (tries)", r.sw());
  }

  @Override
  public CodeAnswer presentCode(CardChannel channel, MemoryChip chip, SecretBytes code) {
    ResponseApdu r = code.apply(c -> channel.transmit(CommandApdu.of(0xFF, 0x20, 0x00, 0x00, Bytes.secret(c))));
    if (!r.data().isEmpty()) {
      throw Answers.bad("VERIFY", r);
    }
    if (r.sw().value() == 0x9000) {
      return new CodeAnswer(true, chip.maxTries());
    }
    if (r.sw1() == 0x63 && (r.sw2() & 0xF0) == 0xC0) {
      return new CodeAnswer(false, r.sw2() & 0x0F);
    }
    if (r.sw().value() == 0x6983) {
      return new CodeAnswer(false, 0);
    }
    throw new CardStatusException("VERIFY", r.sw());
  }

  @Override
  public BitSet readProtection(CardChannel channel, MemoryChip chip, int address, int length) {
    if (chip.family() == MemoryChip.Family.I2C) {
      return new BitSet();
    }
    throw unsupported("reading protection bits");
  }

  @Override
  public void writeProtection(CardChannel channel, MemoryChip chip, int address, Bytes data) {
    throw unsupported("writing protection bits");
  }

  @Override
  public void changeCode(CardChannel channel, MemoryChip chip, SecretBytes code) {
    throw unsupported("changing the code");
  }

  private static MemoryCardException unsupported(String what) {
    return new MemoryCardException(MemoryCardException.Reason.UNSUPPORTED, -1, "the pcsc-part3 dialect has no "
        + "command for " + what + "; use a reader with the acs dialect");
  }

  @Override
  public String toString() {
    return "pcsc-part3";
  }
}
