package dev.perso.core;

/**
 * A cryptographic operation failed or is not supported by the crypto device.
 *
 * <pre>{@code
 * throw new CryptoException("backend 'pkcs11:softhsm' does not support DERIVE_EMV_OPTION_B");
 * }</pre>
 */
public class CryptoException extends PersoException {
  private static final long serialVersionUID = 1L;

  /** @param message the operation and key reference (label, never key bytes) */
  public CryptoException(String message) {
    super(message);
  }

  /**
   * @param message the operation and key reference (label, never key bytes)
   * @param cause the provider's error
   */
  public CryptoException(String message, Throwable cause) {
    super(message, cause);
  }
}
