package dev.perso.core;

/**
 * Root of every error the SDK throws. Unchecked; the message names what failed and where, and
 * never contains a secret (key, PIN, CVV, full PAN or track data).
 *
 * <pre>{@code
 * try {
 *   channel.transmit(command);
 * } catch (CardStatusException e) {
 *   journal.rejected(cardId, e.getMessage());   // e.g. "SELECT failed: 6A82 (file or application not found)"
 * }
 * }</pre>
 */
public class PersoException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message that names what failed.
   *
   * @param message what failed and where; never a secret
   */
  public PersoException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and the underlying cause.
   *
   * @param message what failed and where; never a secret
   * @param cause the underlying cause
   */
  public PersoException(String message, Throwable cause) {
    super(message, cause);
  }
}
