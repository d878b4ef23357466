package dev.perso.core.cardholder;

/**
 * A cardholder PIN: 4 to 12 decimal digits (ISO 9564-1), held as wipeable secret bytes. It prints as
 * {@code Pin[****]} and never says its digits in an error.
 *
 * <pre>{@code
 * try (Pin pin = Pin.of("1234")) {
 *   Bytes block = PinBlock.encode(PinBlock.Format.ISO_1, pin.reveal(), null);
 * }
 * }</pre>
 */
public final class Pin extends SecretDigits {
  private Pin(String digits) {
    super("pin", digits, 4, 12);
  }

  /**
   * @param digits 4 to 12 decimal digits
   * @return the PIN
   * @throws dev.perso.core.ValidationException naming the rule (never the digits)
   */
  public static Pin of(String digits) {
    return new Pin(digits);
  }
}
