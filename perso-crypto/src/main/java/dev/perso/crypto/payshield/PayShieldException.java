package dev.perso.crypto.payshield;

import dev.perso.core.CryptoException;

/**
 * The HSM answered a host command with an error code (payShield host protocol: the 2-digit error code
 * that follows the response code). The message names the command, the code and its meaning, never
 * key or card data.
 *
 * <pre>{@code
 * try { hsm.cvv(cvk, input); } catch (PayShieldException e) { if (e.errorCode().equals("27")) ... }
 * }</pre>
 */
public class PayShieldException extends CryptoException {
  private static final long serialVersionUID = 1L;

  private final String command;
  private final String errorCode;

  /**
   * @param command the 2-character command code, e.g. {@code CW}
   * @param errorCode the 2-character error code, e.g. {@code 10}
   * @param detail what it means
   */
  public PayShieldException(String command, String errorCode, String detail) {
    super("payShield " + command + " answered error " + errorCode + ": " + detail);
    this.command = command;
    this.errorCode = errorCode;
  }

  /** @return the command code */
  public String command() {
    return command;
  }

  /** @return the HSM's error code */
  public String errorCode() {
    return errorCode;
  }
}
