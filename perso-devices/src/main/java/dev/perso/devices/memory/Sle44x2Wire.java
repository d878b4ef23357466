package dev.perso.devices.memory;

import dev.perso.core.Bytes;
import dev.perso.core.SecretBytes;
import dev.perso.core.ValidationException;
import java.util.Objects;

/**
 * An SLE 4432/4442 (5532/5542) card on a raw {@link TwoWireBus}: the chip's commands (notes/transports.md
 * §5.1, after DangerousPrototypes/BusPirate5-firmware {@code sle4442.c}) and the PSC verification sequence.
 * This is the low level: it does what it is told. The safety rules (try floor, protection checked before a
 * write, verified code before a change) are {@link MemoryCard}'s; reader firmware and bus stations build on
 * this class.
 *
 * <table>
 *   <caption>commands</caption>
 *   <tr><td>{@code 30 addr --}</td><td>read main memory from addr (outgoing data)</td></tr>
 *   <tr><td>{@code 38 addr data}</td><td>update main memory (processing)</td></tr>
 *   <tr><td>{@code 31 -- --}</td><td>read security memory: EC, PSC1..3 (PSC reads 00 until verified)</td></tr>
 *   <tr><td>{@code 39 addr data}</td><td>update security memory (EC: only clears bits until verified)</td></tr>
 *   <tr><td>{@code 34 -- --}</td><td>read protection memory, 4 bytes, bit = 0 protected</td></tr>
 *   <tr><td>{@code 3C addr data}</td><td>write protection memory (protects iff data equals the byte)</td></tr>
 *   <tr><td>{@code 33 addr data}</td><td>compare verification data (PSC byte addr 1..3)</td></tr>
 * </table>
 *
 * <pre>{@code
 * Sle44x2Wire card = new Sle44x2Wire(bus);
 * int ec = card.presentCode(code);      // 0x07: verified; fewer bits: a try was spent
 * card.update(0x40, Bytes.fromHex("CAFE"));
 * }</pre>
 */
public final class Sle44x2Wire {
  /** Read main memory. */
  public static final int READ_MAIN = 0x30;
  /** Update main memory. */
  public static final int UPDATE_MAIN = 0x38;
  /** Read security memory. */
  public static final int READ_SECURITY = 0x31;
  /** Update security memory. */
  public static final int UPDATE_SECURITY = 0x39;
  /** Read protection memory. */
  public static final int READ_PROTECTION = 0x34;
  /** Write protection memory. */
  public static final int WRITE_PROTECTION = 0x3C;
  /** Compare verification data. */
  public static final int COMPARE = 0x33;

  private final TwoWireBus bus;

  /** @param bus the bus the card is on */
  public Sle44x2Wire(TwoWireBus bus) {
    this.bus = Objects.requireNonNull(bus, "bus");
  }

  /** @return the 4 ATR bytes after a reset */
  public Bytes reset() {
    return bus.answerToReset();
  }

  /**
   * @param address first byte, 0..255
   * @param length how many, up to the end of memory
   * @return the bytes
   */
  public Bytes readMain(int address, int length) {
    check(address, length, 256);
    return bus.outgoing(READ_MAIN, address, 0, length);
  }

  /**
   * Updates bytes one by one (erase and write each). The chip ignores bytes that are protected, and every
   * byte of an SLE4442 before the PSC was verified: read back to know.
   *
   * @param address first byte
   * @param data the bytes
   */
  public void update(int address, Bytes data) {
    check(address, data.length(), 256);
    for (int i = 0; i < data.length(); i++) {
      bus.processing(UPDATE_MAIN, address + i, data.getUnsigned(i));
    }
  }

  /** @return the 32 protection bits as 4 bytes, bit x of byte n for address 8n+x, 0 = protected */
  public Bytes readProtection() {
    return bus.outgoing(READ_PROTECTION, 0, 0, 4);
  }

  /**
   * Protects bytes: for each, the chip clears its protection bit if the data equals the stored byte.
   *
   * @param address first byte, 0..31
   * @param data the bytes as stored
   */
  public void writeProtection(int address, Bytes data) {
    check(address, data.length(), 32);
    for (int i = 0; i < data.length(); i++) {
      bus.processing(WRITE_PROTECTION, address + i, data.getUnsigned(i));
    }
  }

  /** @return the error counter (3 bits; {@code 07} = 3 tries left) */
  public int errorCounter() {
    return bus.outgoing(READ_SECURITY, 0, 0, 4).getUnsigned(0);
  }

  /**
   * The PSC verification sequence: read the error counter, clear one of its bits, compare the three PSC
   * bytes, try to erase the counter (the chip allows it only after a matching compare), read it again. One
   * try, never repeated. A locked card (counter 0) is not touched.
   *
   * @param code the 3-byte PSC
   * @return the error counter after the attempt: {@code 07} verified, fewer bits a failed try, 0 locked
   */
  public int presentCode(SecretBytes code) {
    if (code.length() != 3) {
      throw new ValidationException("code", "an SLE4442 PSC is 3 bytes, was " + code.length());
    }
    int ec = errorCounter() & 0x07;
    if (ec == 0) {
      return 0;
    }
    int spent = ec & (ec - 1); // the lowest set bit cleared: 07 -> 06, 06 -> 04, 04 -> 00
    bus.processing(UPDATE_SECURITY, 0, spent);
    byte[] c = code.copy();
    try {
      for (int i = 0; i < 3; i++) {
        bus.processing(COMPARE, i + 1, c[i] & 0xFF);
      }
    } finally {
      java.util.Arrays.fill(c, (byte) 0);
    }
    bus.processing(UPDATE_SECURITY, 0, 0xFF);
    return errorCounter() & 0x07;
  }

  /**
   * Writes a new PSC into security memory bytes 1..3; the chip takes it only after a verified presentation.
   *
   * @param code the new 3-byte PSC
   */
  public void changeCode(SecretBytes code) {
    if (code.length() != 3) {
      throw new ValidationException("code", "an SLE4442 PSC is 3 bytes, was " + code.length());
    }
    byte[] c = code.copy();
    try {
      for (int i = 0; i < 3; i++) {
        bus.processing(UPDATE_SECURITY, i + 1, c[i] & 0xFF);
      }
    } finally {
      java.util.Arrays.fill(c, (byte) 0);
    }
  }

  private static void check(int address, int length, int limit) {
    if (address < 0 || length < 0 || address + length > limit) {
      throw new ValidationException("address", "bytes " + address + ".." + (address + length - 1) + " are outside 0.."
          + (limit - 1));
    }
  }
}
