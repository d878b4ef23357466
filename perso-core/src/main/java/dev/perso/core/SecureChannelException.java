package dev.perso.core;

/**
 * A secure channel could not be opened or kept: card cryptogram mismatch, MAC failure, locked key set.
 *
 * <pre>{@code
 * throw new SecureChannelException("card cryptogram does not match key set KVN 01 (EMV CPS diversification)");
 * }</pre>
 */
public class SecureChannelException extends PersoException {
  private static final long serialVersionUID = 1L;

  /** @param message what failed; never a key or session key value */
  public SecureChannelException(String message) {
    super(message);
  }

  /**
   * @param message what failed; never a key or session key value
   * @param cause the underlying cause
   */
  public SecureChannelException(String message, Throwable cause) {
    super(message, cause);
  }
}
