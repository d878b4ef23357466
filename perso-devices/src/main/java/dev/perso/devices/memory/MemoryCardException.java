package dev.perso.devices.memory;

import dev.perso.core.PersoException;
import java.util.Objects;

/**
 * A memory-card operation was refused or failed for a reason that protects the card: the error counter is
 * at the floor, the code was wrong, bytes are protected, protection did not read back, or the reader
 * answered something its dialect does not allow. The message names the reason and the numbers (tries
 * left, addresses), never a code.
 *
 * <pre>{@code
 * try {
 *   card.presentCode(code);
 * } catch (MemoryCardException e) {
 *   if (e.reason() == MemoryCardException.Reason.TRY_FLOOR) ...   // nothing was sent to the card
 *   e.triesLeft();                                                // e.g. 1
 * }
 * }</pre>
 */
public class MemoryCardException extends PersoException {
  private static final long serialVersionUID = 1L;

  /** Why the operation was refused or failed. */
  public enum Reason {
    /** The error counter shows fewer tries than the configured floor; no code was presented. */
    TRY_FLOOR,
    /** The code was presented and was wrong; the card counted a failed try. */
    WRONG_CODE,
    /** The error counter is at zero: the card is locked for good. */
    LOCKED,
    /** The operation needs a verified code presentation first (write, protect, change code). */
    NOT_VERIFIED,
    /** The bytes to write are protected; nothing was sent. */
    PROTECTED,
    /** What was read back (data or protection bits) differs from what was written. */
    READ_BACK_MISMATCH,
    /** The chip or the reader dialect has no such operation. */
    UNSUPPORTED,
    /** The reader's answer does not fit the dialect (length, status). */
    BAD_ANSWER
  }

  private final Reason reason;
  private final int triesLeft;

  /**
   * @param reason why
   * @param triesLeft the tries the error counter shows, or -1 if not known or not relevant
   * @param message what was refused and why, with addresses and counts; never a code
   */
  public MemoryCardException(Reason reason, int triesLeft, String message) {
    super(Objects.requireNonNull(message, "message"));
    this.reason = Objects.requireNonNull(reason, "reason");
    this.triesLeft = triesLeft;
  }

  /** @return why */
  public Reason reason() {
    return reason;
  }

  /** @return the tries the error counter shows, or -1 if not known or not relevant */
  public int triesLeft() {
    return triesLeft;
  }
}
