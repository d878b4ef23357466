package dev.perso.devices.memory;

import dev.perso.core.internal.OwnedBytes;
import dev.perso.core.Bytes;
import dev.perso.core.SecretBytes;
import dev.perso.core.ValidationException;
import dev.perso.core.channel.CardChannel;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;

/**
 * A memory card in a PC/SC reader, driven through the reader's {@link MemoryCardDialect} with the rules that
 * keep the card alive:
 *
 * <ul>
 *   <li>a code is never presented when the error counter shows fewer tries than the floor (default 2), and a
 *       failed presentation is never repeated: it throws {@link MemoryCardException.Reason#WRONG_CODE} with the
 *       tries left;
 *   <li>writes to protected bytes are refused before anything is sent, and every write is read back;
 *   <li>protection is irreversible: {@link #protect} is the only way to it, and it reads the protection bits
 *       back;
 *   <li>the code is changed only after a verified presentation in this session, and the new code is
 *       confirmed by presenting it.
 * </ul>
 *
 * Codes are {@link SecretBytes}: they are never printed, logged or put in a message.
 *
 * <pre>{@code
 * MemoryCard card = MemoryCard.builder(channel, MemoryChip.SLE4442).build();   // FF A4 00 00 01 06
 * int left = card.triesLeft();                                                 // 3
 * card.presentCode(transportCode);                                             // refused below the floor
 * card.write(0x20, image);                                                     // checked, sent, read back
 * card.protect(0x00, 32);                                                      // verified by reading the bits
 * card.changeCode(cardCode);                                                   // then presented to confirm
 * }</pre>
 */
public final class MemoryCard {
  private final CardChannel channel;
  private final MemoryChip chip;
  private final MemoryCardDialect dialect;
  private final int floor;
  private boolean verified;

  private MemoryCard(Builder b) {
    this.channel = b.channel;
    this.chip = b.chip;
    this.dialect = b.dialect;
    this.floor = b.floor;
    this.verified = !chip.hasCode();
  }

  /**
   * @param channel the reader's channel to the card
   * @param chip the chip that is inserted
   * @return a builder: ACS dialect, try floor 2
   */
  public static Builder builder(CardChannel channel, MemoryChip chip) {
    return new Builder(channel, chip);
  }

  /** @return the chip */
  public MemoryChip chip() {
    return chip;
  }

  /** @return the reader dialect */
  public MemoryCardDialect dialect() {
    return dialect;
  }

  /** @return the try floor: no code is presented with fewer tries left */
  public int tryFloor() {
    return floor;
  }

  /** @return whether a code was verified in this session (always true for chips without a code) */
  public boolean verified() {
    return verified;
  }

  static void checkRange(MemoryChip chip, int address, int length, int limit) {
    if (length < 0) {
      throw new ValidationException("length", "must not be negative, was " + length);
    }
    if (address < 0 || address > limit - length) {
      throw new ValidationException("address", "bytes " + address + ".." + ((long) address + length - 1)
          + " are outside " + chip.id() + "'s 0.." + (limit - 1));
    }
  }

  /**
   * @param address first byte
   * @param length how many bytes
   * @return the bytes, read in chunks the dialect allows
   */
  public Bytes read(int address, int length) {
    checkRange(chip, address, length, chip.size());
    byte[] out = new byte[length];
    int done = 0;
    int chunk = dialect.maxChunk();
    while (done < length) {
      int a = address + done;
      int n = Math.min(length - done, chunk - (a % chunk));
      dialect.read(channel, chip, a, n).copyTo(out, done);
      done += n;
    }
    return OwnedBytes.wrap(out);
  }

  /** @return the whole memory */
  public Bytes readAll() {
    return read(0, chip.size());
  }

  /**
   * @return the tries the error counter shows
   * @throws MemoryCardException UNSUPPORTED for a chip without a code
   */
  public int triesLeft() {
    requireCode("read the error counter");
    return dialect.triesLeft(channel, chip);
  }

  /**
   * Presents a code once: the error counter is read first and the code is not sent when it shows fewer tries
   * than the floor. Never retried.
   *
   * @param code the code, {@link MemoryChip#codeLength()} bytes
   * @return the tries left after the verified presentation (the counter is full again)
   * @throws MemoryCardException TRY_FLOOR (nothing sent), LOCKED, or WRONG_CODE with the tries left
   */
  public int presentCode(SecretBytes code) {
    requireCode("present a code");
    checkCode("code", code);
    int before = dialect.triesLeft(channel, chip);
    if (before == 0) {
      throw new MemoryCardException(MemoryCardException.Reason.LOCKED, 0, chip.id() + ": the error counter is at 0: "
          + "the card is locked for good; no code was presented");
    }
    if (before < floor) {
      throw new MemoryCardException(MemoryCardException.Reason.TRY_FLOOR, before, chip.id() + ": " + before
          + " tries left, fewer than the floor of " + floor + "; no code was presented");
    }
    MemoryCardDialect.CodeAnswer a = dialect.presentCode(channel, chip, code);
    if (!a.verified()) {
      verified = false;
      throw new MemoryCardException(a.triesLeft() == 0 ? MemoryCardException.Reason.LOCKED
          : MemoryCardException.Reason.WRONG_CODE, a.triesLeft(), chip.id() + ": the code was wrong; "
          + a.triesLeft() + " tries left" + (a.triesLeft() == 0 ? ": the card is locked for good" : "")
          + " (not retried)");
    }
    verified = true;
    return a.triesLeft();
  }

  /**
   * The protection of a range: which bytes the chip will no longer change.
   *
   * @param address first byte
   * @param length how many bytes
   * @return bit i set iff byte {@code address + i} is protected
   */
  public BitSet protection(int address, int length) {
    checkRange(chip, address, length, chip.size());
    BitSet out = new BitSet(length);
    int from = address;
    int to = address + length;
    if (chip.family() == MemoryChip.Family.SLE44X2) {
      to = Math.min(to, 32);
    } else if (chip.family() == MemoryChip.Family.I2C) {
      return out;
    }
    int chunk = dialect.maxChunk();
    int a = from;
    while (a < to) {
      int n = Math.min(to - a, chunk - (a % chunk));
      BitSet part = dialect.readProtection(channel, chip, a, n);
      for (int i = part.nextSetBit(0); i >= 0 && i < n; i = part.nextSetBit(i + 1)) {
        out.set(a - address + i);
      }
      a += n;
    }
    return out;
  }

  /**
   * @return the protected ranges of the whole memory, e.g. {@code [[0, 7], [21, 26]]} (inclusive)
   */
  public List<int[]> protectedRanges() {
    BitSet p = protection(0, chip.size());
    List<int[]> out = new ArrayList<>();
    for (int i = p.nextSetBit(0); i >= 0; ) {
      int end = p.nextClearBit(i);
      out.add(new int[] {i, end - 1});
      i = p.nextSetBit(end);
    }
    return out;
  }

  /**
   * Writes bytes and reads them back. Refused before anything is sent when the range holds protected bytes,
   * the chip's code bytes, or when the chip has a code that was not verified in this session (the chip would
   * ignore the write).
   *
   * @param address first byte
   * @param data the bytes
   * @throws MemoryCardException NOT_VERIFIED, PROTECTED (naming the first protected address) or
   *     READ_BACK_MISMATCH (naming the first differing address)
   */
  public void write(int address, Bytes data) {
    checkRange(chip, address, data.length(), chip.dataSize());
    if (data.isEmpty()) {
      return;
    }
    requireVerified("write");
    BitSet p = protection(address, data.length());
    if (!p.isEmpty()) {
      throw new MemoryCardException(MemoryCardException.Reason.PROTECTED, -1, chip.id() + ": byte "
          + (address + p.nextSetBit(0)) + " is protected (" + p.cardinality() + " protected bytes in "
          + address + ".." + (address + data.length() - 1) + "); nothing was written");
    }
    int chunk = dialect.maxChunk();
    int done = 0;
    while (done < data.length()) {
      int a = address + done;
      int n = Math.min(data.length() - done, chunk - (a % chunk));
      dialect.write(channel, chip, a, data.slice(done, done + n));
      done += n;
    }
    Bytes back = read(address, data.length());
    for (int i = 0; i < data.length(); i++) {
      if (back.get(i) != data.get(i)) {
        throw new MemoryCardException(MemoryCardException.Reason.READ_BACK_MISMATCH, -1, chip.id() + ": byte "
            + (address + i) + " reads back different from what was written");
      }
    }
  }

  /**
   * Protects a range for good: the bytes are read, the protection write sends them (the chip protects a byte
   * only when the data equals it), and the protection bits are read back: every byte of the range must now be
   * protected.
   *
   * @param address first byte
   * @param length how many bytes
   * @throws MemoryCardException UNSUPPORTED (bytes without a protection bit), NOT_VERIFIED, READ_BACK_MISMATCH
   */
  public void protect(int address, int length) {
    checkRange(chip, address, length, chip.dataSize());
    if (length == 0) {
      return;
    }
    if (!chip.protectable(address) || !chip.protectable(address + length - 1)) {
      throw new MemoryCardException(MemoryCardException.Reason.UNSUPPORTED, -1, chip.id() + ": bytes " + address
          + ".." + (address + length - 1) + " have no protection bit"
          + (chip.family() == MemoryChip.Family.SLE44X2 ? " (only 0..31 do)" : ""));
    }
    requireVerified("protect");
    Bytes current = read(address, length);
    int chunk = dialect.maxChunk();
    int done = 0;
    while (done < length) {
      int a = address + done;
      int n = Math.min(length - done, chunk - (a % chunk));
      dialect.writeProtection(channel, chip, a, current.slice(done, done + n));
      done += n;
    }
    BitSet p = protection(address, length);
    int open = p.nextClearBit(0);
    if (open < length) {
      throw new MemoryCardException(MemoryCardException.Reason.READ_BACK_MISMATCH, -1, chip.id() + ": byte "
          + (address + open) + " is not protected after the protection write (" + (length - p.cardinality())
          + " of " + length + " bytes unprotected)");
    }
  }

  /**
   * Changes the code: only after a verified presentation in this session; then the new code is presented to
   * confirm it (under the same try floor).
   *
   * @param newCode the new code
   * @throws MemoryCardException NOT_VERIFIED, or the confirmation's failure (WRONG_CODE with tries left)
   */
  public void changeCode(SecretBytes newCode) {
    requireCode("change the code");
    checkCode("newCode", newCode);
    if (!verified) {
      throw new MemoryCardException(MemoryCardException.Reason.NOT_VERIFIED, -1, chip.id()
          + ": the code is changed only after a verified presentation in this session");
    }
    dialect.changeCode(channel, chip, newCode);
    verified = false;
    try {
      presentCode(newCode);
    } catch (MemoryCardException e) {
      throw new MemoryCardException(e.reason(), e.triesLeft(), chip.id() + ": the new code did not verify after the "
          + "change: " + e.getMessage());
    }
  }

  private void requireCode(String what) {
    if (!chip.hasCode()) {
      throw new MemoryCardException(MemoryCardException.Reason.UNSUPPORTED, -1, chip.id() + " has no code: cannot "
          + what);
    }
  }

  private void requireVerified(String what) {
    if (!verified) {
      throw new MemoryCardException(MemoryCardException.Reason.NOT_VERIFIED, -1, chip.id() + ": present the code "
          + "before you " + what + " (the chip ignores it otherwise); nothing was sent");
    }
  }

  private void checkCode(String field, SecretBytes code) {
    Objects.requireNonNull(code, field);
    if (code.length() != chip.codeLength()) {
      throw new ValidationException(field, chip.id() + "'s code is " + chip.codeLength() + " bytes, was "
          + code.length());
    }
  }

  @Override
  public String toString() {
    return "MemoryCard[" + chip.id() + ", " + dialect.name() + ", floor " + floor + (verified && chip.hasCode()
        ? ", verified" : "") + "]";
  }

  /** Configures a {@link MemoryCard}. */
  public static final class Builder {
    private final CardChannel channel;
    private final MemoryChip chip;
    private MemoryCardDialect dialect = MemoryCardDialect.acs();
    private int floor = 2;

    private Builder(CardChannel channel, MemoryChip chip) {
      this.channel = Objects.requireNonNull(channel, "channel");
      this.chip = Objects.requireNonNull(chip, "chip");
    }

    /**
     * @param value the reader's dialect (default ACS)
     * @return this
     */
    public Builder dialect(MemoryCardDialect value) {
      this.dialect = Objects.requireNonNull(value, "dialect");
      return this;
    }

    /**
     * @param value the fewest tries left with which a code is still presented, 1..the chip's tries (default 2;
     *     ignored for chips without a code)
     * @return this
     */
    public Builder tryFloor(int value) {
      if (value < 1 || (chip.hasCode() && value > chip.maxTries())) {
        throw new ValidationException("tryFloor", "must be 1.." + Math.max(1, chip.maxTries()) + " for " + chip.id()
            + ", was " + value);
      }
      this.floor = value;
      return this;
    }

    /**
     * Selects the card type (and page size) in the reader and returns the card.
     *
     * @return the card
     */
    public MemoryCard build() {
      dialect.select(channel, chip);
      return new MemoryCard(this);
    }
  }
}
