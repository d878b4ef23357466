package dev.perso.crypto;

import dev.perso.core.ValidationException;
import dev.perso.crypto.internal.Digits;

/**
 * Parameters of the IBM 3624 PIN method: validation data, decimalization table and PIN length, plus
 * the digit-wise offset arithmetic.
 *
 * <pre>{@code
 * Ibm3624 p = Ibm3624.of("1122334455667788", "0123456789012345", 4);
 * String natural = backend.ibm3624NaturalPin(pvk, p);
 * String offset  = backend.ibm3624Offset(pvk, p, "1234");
 * Ibm3624.applyOffset(natural, offset);   // "1234"
 * }</pre>
 *
 * @param validationData 16 hex digits
 * @param decimalizationTable 16 decimal digits
 * @param pinLength 4..12
 */
public record Ibm3624(String validationData, String decimalizationTable, int pinLength) {
  /** Checks the components. */
  public Ibm3624 {
    if (validationData == null || !validationData.matches("[0-9A-Fa-f]{16}")) {
      throw new ValidationException("validationData", "must be 16 hex digits");
    }
    validationData = validationData.toUpperCase(java.util.Locale.ROOT);
    Digits.require("decimalizationTable", decimalizationTable, 16, 16);
    if (pinLength < 4 || pinLength > 12) {
      throw new ValidationException("pinLength", "must be 4..12, was " + pinLength);
    }
  }

  /**
   * @param validationData 16 hex digits
   * @param decimalizationTable 16 decimal digits
   * @param pinLength 4..12
   * @return the parameters
   */
  public static Ibm3624 of(String validationData, String decimalizationTable, int pinLength) {
    return new Ibm3624(validationData, decimalizationTable, pinLength);
  }

  /**
   * Validation data taken from the PAN: {@code length} digits from {@code offset}, right-padded to 16
   * with {@code pad}.
   *
   * @param pan PAN digits
   * @param offset first digit
   * @param length number of digits (1..16)
   * @param pad pad character (hex digit, commonly 'F')
   * @return 16 hex digits
   */
  public static String validationDataFromPan(String pan, int offset, int length, char pad) {
    Digits.require("pan", pan, 12, 19);
    if (offset < 0 || length < 1 || length > 16 || offset + length > pan.length()) {
      throw new ValidationException("offset", "digits [" + offset + ", " + (offset + length) + ") outside the PAN");
    }
    if (Character.digit(pad, 16) < 0) {
      throw new ValidationException("pad", "must be a hex digit");
    }
    StringBuilder sb = new StringBuilder(pan.substring(offset, offset + length));
    while (sb.length() < 16) {
      sb.append(pad);
    }
    return sb.toString();
  }

  /**
   * Adds an offset to a natural PIN digit by digit, modulo 10.
   *
   * @param naturalPin digits
   * @param offset digits, same length
   * @return the customer PIN
   */
  public static String applyOffset(String naturalPin, String offset) {
    return digitwise(naturalPin, offset, +1);
  }

  /**
   * The offset that turns a natural PIN into the customer PIN: (pin - natural) mod 10 per digit.
   *
   * @param naturalPin digits
   * @param customerPin digits, same length
   * @return the offset
   */
  public static String offsetFor(String naturalPin, String customerPin) {
    return digitwise(customerPin, naturalPin, -1);
  }

  private static String digitwise(String a, String b, int sign) {
    Digits.require("pin", a, 4, 12);
    Digits.require("offset", b, a.length(), a.length());
    char[] out = new char[a.length()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (char) ('0' + Math.floorMod((a.charAt(i) - '0') + sign * (b.charAt(i) - '0'), 10));
    }
    return new String(out);
  }

  @Override
  public String toString() {
    return "Ibm3624[decimalizationTable=" + decimalizationTable + " pinLength=" + pinLength + "]";
  }
}
