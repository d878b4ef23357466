package dev.perso.iso7813;

import dev.perso.core.cardholder.Pan;
import dev.perso.core.ValidationException;
import dev.perso.iso7813.internal.Checks;
import java.util.List;

/** The field rules tracks 1 and 2 share (ISO/IEC 7813 §6.2 and §7.2 with ISO/IEC 7812). */
final class FieldRules {
  private FieldRules() {}

  /**
   * @param pan 8..19 digits (ISO/IEC 7812-1:2017)
   * @param countryCode 3 digits, present exactly when the PAN starts with 59
   * @param luhnCheck whether a wrong Luhn digit is an error
   * @param lenient where lenient parsing records what it tolerated, or null when strict
   */
  static void panAndCountryCode(String pan, String countryCode, boolean luhnCheck, List<String> lenient) {
    Checks.pan(pan, false);
    if (!Pan.luhnValid(pan) && luhnCheck) {
      Lenient.soft(lenient, new ValidationException("pan",
          "Luhn check digit does not match (switch the check off only for test cards)"));
    }
    boolean needsCc = pan.length() >= 2 && pan.charAt(0) == '5' && pan.charAt(1) == '9';
    if (needsCc && countryCode == null) {
      throw new ValidationException("countryCode", "required when the PAN starts with 59");
    }
    if (!needsCc && countryCode != null) {
      throw new ValidationException("countryCode", "only allowed when the PAN starts with 59");
    }
    if (countryCode != null) {
      Checks.digits("countryCode", countryCode, 3, 3);
    }
  }

  /**
   * @param expiry YYMM, or null when absent
   * @param serviceCode 3 digits, or null when absent; reserved digit values are soft errors
   * @param lenient where lenient parsing records what it tolerated, or null when strict
   */
  static void expiryAndServiceCode(String expiry, String serviceCode, List<String> lenient) {
    if (expiry != null) {
      Checks.yymm("expiry", expiry);
    }
    if (serviceCode != null) {
      Checks.digits("serviceCode", serviceCode, 3, 3);
      if (!ServiceCode.isValid(serviceCode)) {
        try {
          ServiceCode.of(serviceCode);
        } catch (ValidationException e) {
          Lenient.soft(lenient, e);
        }
      }
    }
  }
}
