package dev.perso.core;

/**
 * The path to the card or device failed: reader gone, card removed, timeout, link error.
 *
 * <pre>{@code
 * throw new TransportException("reader 'ACS ACR39U 00': card removed during transmit");
 * }</pre>
 */
public class TransportException extends PersoException {
  private static final long serialVersionUID = 1L;

  /** @param message what failed and on which link */
  public TransportException(String message) {
    super(message);
  }

  /**
   * @param message what failed and on which link
   * @param cause the underlying I/O or PC/SC error
   */
  public TransportException(String message, Throwable cause) {
    super(message, cause);
  }
}
