package dev.perso.core.cardholder;

import dev.perso.core.ValidationException;
import java.util.Objects;

/**
 * A primary account number (ISO/IEC 7812): 12 to 19 decimal digits whose last digit is the Luhn check
 * digit. The one place for the Luhn algorithm and for masking a PAN: {@link #toString()} and
 * {@link #mask(String)} show the last four digits only, so a PAN never reaches a log or an exception
 * whole. Errors name the rule, never the digits.
 *
 * <pre>{@code
 * Pan pan = Pan.of("4761739001010010");          // Luhn checked
 * pan.bin();                                     // "476173"
 * pan.toString();                                // "************0010"
 * Pan test = Pan.withoutLuhnCheck("12345678901234567");   // test cards only
 * String full = Pan.luhnComplete("476173900101001");      // appends the check digit
 * }</pre>
 */
public final class Pan {
  /** Shortest PAN, ISO/IEC 7812-1. */
  public static final int MIN_LENGTH = 12;
  /** Longest PAN, ISO/IEC 7812-1. */
  public static final int MAX_LENGTH = 19;

  private final String digits;
  private final boolean luhnChecked;

  private Pan(String digits, boolean luhnCheck) {
    requireDigits("pan", digits, MIN_LENGTH, MAX_LENGTH);
    if (luhnCheck && !luhnValid(digits)) {
      throw new ValidationException("pan", "Luhn check digit does not match (switch the check off only for test cards)");
    }
    this.digits = digits;
    this.luhnChecked = luhnCheck;
  }

  /**
   * @param digits 12 to 19 decimal digits, the last being a valid Luhn check digit
   * @return the PAN
   * @throws ValidationException naming the rule broken (never the digits)
   */
  public static Pan of(String digits) {
    return new Pan(digits, true);
  }

  /**
   * @param digits 12 to 19 decimal digits; the check digit is not verified (test cards)
   * @return the PAN
   */
  public static Pan withoutLuhnCheck(String digits) {
    return new Pan(digits, false);
  }

  /** @return the digits; handle them as cardholder data */
  public String digits() {
    return digits;
  }

  /** @return the number of digits */
  public int length() {
    return digits.length();
  }

  /** @return the issuer identification number: the first six digits (eight-digit BINs: {@link #bin(int)}) */
  public String bin() {
    return bin(6);
  }

  /**
   * @param length 6 or 8
   * @return the first {@code length} digits
   */
  public String bin(int length) {
    if (length != 6 && length != 8) {
      throw new ValidationException("bin length", "must be 6 or 8, was " + length);
    }
    return digits.substring(0, length);
  }

  /** @return the last four digits */
  public String lastFour() {
    return digits.substring(digits.length() - 4);
  }

  /**
   * @return the digits in groups of four separated by spaces, as embossed ({@code 4761 7390 0101 0010});
   *     cardholder data, never for logs
   */
  public String grouped() {
    StringBuilder s = new StringBuilder(digits.length() + digits.length() / 4);
    for (int i = 0; i < digits.length(); i += 4) {
      s.append(i == 0 ? "" : " ").append(digits, i, Math.min(digits.length(), i + 4));
    }
    return s.toString();
  }

  /** @return true when the check digit was verified when this PAN was made */
  public boolean luhnChecked() {
    return luhnChecked;
  }

  /** @return the masked PAN, e.g. {@code ************0010} */
  public String masked() {
    return mask(digits);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Pan && ((Pan) o).digits.equals(digits);
  }

  @Override
  public int hashCode() {
    return digits.hashCode();
  }

  /** @return {@link #masked()} */
  @Override
  public String toString() {
    return masked();
  }

  /**
   * The project's one masking rule for PANs and other card numbers: every character but the last four
   * becomes {@code *} (four or fewer characters are masked whole).
   *
   * @param pan a PAN, possibly malformed, or null
   * @return the masked text ({@code "null"} for null)
   */
  public static String mask(String pan) {
    if (pan == null) {
      return "null";
    }
    if (pan.length() <= 4) {
      return "*".repeat(pan.length());
    }
    return "*".repeat(pan.length() - 4) + pan.substring(pan.length() - 4);
  }

  /**
   * The ISO/IEC 7812-1 Annex B check (the Luhn formula).
   *
   * @param digits decimal digits, the last being the check digit
   * @return true when the check passes
   * @throws ValidationException when a character is not a decimal digit
   */
  public static boolean luhnValid(CharSequence digits) {
    Objects.requireNonNull(digits, "digits");
    return digits.length() > 0 && luhnSum(digits, false) % 10 == 0;
  }

  /**
   * @param payload decimal digits without the check digit
   * @return the Luhn check digit that completes them
   * @throws ValidationException when a character is not a decimal digit
   */
  public static char luhnDigit(CharSequence payload) {
    Objects.requireNonNull(payload, "payload");
    return (char) ('0' + (10 - luhnSum(payload, true) % 10) % 10);
  }

  /**
   * @param payload decimal digits without the check digit
   * @return the payload with its Luhn check digit appended
   */
  public static String luhnComplete(String payload) {
    return payload + luhnDigit(payload);
  }

  private static int luhnSum(CharSequence s, boolean doubleLast) {
    int sum = 0;
    boolean dbl = doubleLast;
    for (int i = s.length() - 1; i >= 0; i--) {
      int d = s.charAt(i) - '0';
      if (d < 0 || d > 9) {
        throw new ValidationException("digits", "character " + (i + 1) + " is not a decimal digit");
      }
      if (dbl) {
        d <<= 1;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      dbl = !dbl;
    }
    return sum;
  }

  static void requireDigits(String field, String s, int min, int max) {
    if (s == null) {
      throw new ValidationException(field, "is required");
    }
    if (s.length() < min || s.length() > max) {
      throw new ValidationException(field, "must be " + (min == max ? min : min + " to " + max) + " digits, was "
          + s.length());
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        throw new ValidationException(field, "character " + (i + 1) + " is not a decimal digit");
      }
    }
  }
}
