package dev.perso.core.cardholder;

/**
 * A card security code (CVV, CVC, iCVV, CVV2; 3 to 5 digits), held as wipeable secret bytes. It prints
 * as {@code Cvv[***]}.
 *
 * <pre>{@code
 * Cvv cvv2 = Cvv.of(crypto.cvv(cvk, CvvInput.cvv2(pan, expiry)));
 * cvv2.matches(Cvv.of(typed));
 * }</pre>
 */
public final class Cvv extends SecretDigits {
  private Cvv(String digits) {
    super("cvv", digits, 3, 5);
  }

  /**
   * @param digits 3 to 5 decimal digits
   * @return the security code
   */
  public static Cvv of(String digits) {
    return new Cvv(digits);
  }
}
