package dev.perso.iso7813.internal;

import dev.perso.core.ValidationException;
import dev.perso.core.cardholder.Pan;
import dev.perso.iso7813.TrackType;

/** Field checks shared by the track builders. Messages name the field and rule, never the value. */
public final class Checks {
  /** The shortest PAN, in digits (ISO/IEC 7812-1:2017). */
  public static final int MIN_PAN_DIGITS = 8;

  private Checks() {}

  /**
   * @param field field name
   * @param value text
   * @param min minimum length
   * @param max maximum length
   * @return {@code value}
   */
  public static String digits(String field, String value, int min, int max) {
    if (value == null) {
      throw new ValidationException(field, "must not be null");
    }
    int n = value.length();
    if (n < min || n > max) {
      throw new ValidationException(field, (min == max ? "must be " + min : "must be " + min + ".." + max)
          + " digits, was " + n);
    }
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        throw new ValidationException(field, "must be decimal digits only (position " + i + " is not)");
      }
    }
    return value;
  }

  /**
   * Checks the PAN: 8..19 digits (ISO/IEC 7812-1:2017: a PAN is 8 to 19 digits with a 6-digit IIN, at least
   * 10 with an 8-digit IIN; the SDK's one PAN rule, shared with perso-crypto's CVV) and, when asked, the
   * Luhn check digit.
   *
   * @param pan the PAN
   * @param luhn whether to check the Luhn digit
   * @return {@code pan}
   */
  public static String pan(String pan, boolean luhn) {
    digits("pan", pan, MIN_PAN_DIGITS, 19);
    if (luhn && !Pan.luhnValid(pan)) {
      throw new ValidationException("pan", "Luhn check digit does not match (switch the check off only for test cards)");
    }
    return pan;
  }

  /**
   * Checks a YYMM expiry (month 01..12).
   *
   * @param field field name
   * @param yymm the expiry
   * @return {@code yymm}
   */
  public static String yymm(String field, String yymm) {
    digits(field, yymm, 4, 4);
    int mm = (yymm.charAt(2) - '0') * 10 + (yymm.charAt(3) - '0');
    if (mm < 1 || mm > 12) {
      throw new ValidationException(field, "must be YYMM with month 01..12, month was " + mm);
    }
    return yymm;
  }

  /**
   * Checks that every character may appear inside a field of the track (in the character set, not a
   * sentinel).
   *
   * @param field field name
   * @param value text
   * @param type the track
   * @param alsoForbidden one more forbidden character (e.g. the field separator), or 0
   * @return {@code value}
   */
  public static String chars(String field, String value, TrackType type, char alsoForbidden) {
    if (value == null) {
      throw new ValidationException(field, "must not be null");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!type.isDataCharacter(c) || (alsoForbidden != 0 && c == alsoForbidden)) {
        throw new ValidationException(field, "character at position " + i + " is not allowed on track "
            + type.number() + (c >= 0x20 && c < 0x7F && type.code(c) < 0 ? " (outside the character set)" : ""));
      }
    }
    return value;
  }

  /**
   * Checks the total length including SS, ES and LRC.
   *
   * @param type the track
   * @param lengthWithSentinels characters from SS to ES inclusive
   */
  public static void length(TrackType type, int lengthWithSentinels) {
    int total = lengthWithSentinels + 1;
    if (total > type.maxLength()) {
      throw new ValidationException("track" + type.number(), "is " + total
          + " characters including sentinels and LRC, " + (total - type.maxLength()) + " over the maximum of "
          + type.maxLength());
    }
  }

}
