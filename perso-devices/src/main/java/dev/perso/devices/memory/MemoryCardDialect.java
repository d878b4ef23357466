package dev.perso.devices.memory;

import dev.perso.core.Bytes;
import dev.perso.core.SecretBytes;
import dev.perso.core.ValidationException;
import dev.perso.core.channel.CardChannel;
import dev.perso.devices.memory.internal.AcsDialect;
import dev.perso.devices.memory.internal.Part3Dialect;
import java.util.BitSet;

/**
 * How one family of PC/SC readers exposes memory cards: each operation is one reader command (a pseudo-APDU)
 * and its answer decoded exactly as the reader's manual gives it. {@link #acs()} is the ACS dialect (class
 * {@code FF} pseudo-APDUs of the ACR38/ACR39 family, notes/transports.md §5.2); {@link #pcscPart3()} is the
 * PC/SC Part 3 storage-card subset (READ/UPDATE BINARY, VERIFY) of readers such as Omnikey/HID. Each call is one
 * reader command (the ACS {@link #select} of an I2C card adds SELECT_PAGE_SIZE); the safety rules are
 * {@link MemoryCard}'s.
 *
 * <pre>{@code
 * MemoryCardDialect acs = MemoryCardDialect.named("acs");
 * acs.select(channel, MemoryChip.SLE4442);                      // FF A4 00 00 01 06
 * Bytes b = acs.read(channel, MemoryChip.SLE4442, 0x20, 16);      // FF B0 00 20 10
 * }</pre>
 */
public interface MemoryCardDialect {

  /**
   * The answer to a code presentation.
   *
   * @param verified whether the code matched
   * @param triesLeft the tries the error counter shows after the presentation
   */
  record CodeAnswer(boolean verified, int triesLeft) {}

  /** @return the ACS pseudo-APDU dialect */
  static MemoryCardDialect acs() {
    return AcsDialect.INSTANCE;
  }

  /** @return the PC/SC Part 3 storage-card dialect */
  static MemoryCardDialect pcscPart3() {
    return Part3Dialect.INSTANCE;
  }

  /**
   * @param name {@code acs} or {@code pcsc-part3}
   * @return the dialect
   * @throws ValidationException for another name
   */
  static MemoryCardDialect named(String name) {
    if ("acs".equals(name)) {
      return acs();
    }
    if ("pcsc-part3".equals(name)) {
      return pcscPart3();
    }
    throw new ValidationException("dialect", "unknown memory-card dialect '" + name + "' (known: [acs, pcsc-part3])");
  }

  /** @return the dialect's name, {@code acs} or {@code pcsc-part3} */
  String name();

  /** @return the most bytes one read or write command carries */
  int maxChunk();

  /**
   * Tells the reader which chip is inserted (and, for I2C, the write page size), where the dialect needs it.
   *
   * @param channel the reader's channel
   * @param chip the chip
   */
  void select(CardChannel channel, MemoryChip chip);

  /**
   * @param channel the reader's channel
   * @param chip the chip
   * @param address first byte
   * @param length 1..{@link #maxChunk()}
   * @return exactly {@code length} bytes
   */
  Bytes read(CardChannel channel, MemoryChip chip, int address, int length);

  /**
   * @param channel the reader's channel
   * @param chip the chip
   * @param address first byte
   * @param data 1..{@link #maxChunk()} bytes
   */
  void write(CardChannel channel, MemoryChip chip, int address, Bytes data);

  /**
   * @param channel the reader's channel
   * @param chip a chip with a code
   * @return the tries the error counter shows
   */
  int triesLeft(CardChannel channel, MemoryChip chip);

  /**
   * Presents the code once.
   *
   * @param channel the reader's channel
   * @param chip a chip with a code
   * @param code the code
   * @return the decoded answer
   */
  CodeAnswer presentCode(CardChannel channel, MemoryChip chip, SecretBytes code);

  /**
   * @param channel the reader's channel
   * @param chip the chip
   * @param address first byte
   * @param length how many bytes, 1..{@link #maxChunk()}
   * @return bit i set iff byte {@code address + i} is protected
   */
  BitSet readProtection(CardChannel channel, MemoryChip chip, int address, int length);

  /**
   * Sends the protection write: the chip protects each byte whose data equals the stored byte.
   *
   * @param channel the reader's channel
   * @param chip the chip
   * @param address first byte
   * @param data the bytes as stored
   */
  void writeProtection(CardChannel channel, MemoryChip chip, int address, Bytes data);

  /**
   * @param channel the reader's channel
   * @param chip a chip with a code
   * @param code the new code
   */
  void changeCode(CardChannel channel, MemoryChip chip, SecretBytes code);
}
