package dev.perso.iso7813;

import dev.perso.core.ValidationException;

/**
 * The three-digit service code of tracks 1 and 2, checked digit by digit, with its meaning in words.
 *
 * <pre>{@code
 * ServiceCode sc = ServiceCode.of("201");
 * sc.interchange();   // "international interchange, IC chip: use the chip when feasible"
 * sc.describe();      // all three digits in words
 * ServiceCode.of("301");   // ValidationException: serviceCode: digit 1 value 3 is reserved
 * }</pre>
 *
 * @param digits the three digits
 */
public record ServiceCode(String digits) {

  /** The code used for CVV2/CVC2 computation. */
  public static final String CVV2 = "000";
  /** The code used for iCVV computation (the chip's track 2 equivalent). */
  public static final String ICVV = "999";

  private static final String[] D1 = {null, "international interchange", "international interchange, IC chip: use the chip when feasible",
      null, null, "national interchange only", "national interchange only, IC chip: use the chip when feasible",
      "no interchange except under bilateral agreement (private)", null, "test card"};
  private static final String[] D2 = {"normal authorization", null, "by issuer: online authorization", null,
      "by issuer unless explicit bilateral agreement applies", null, null, null, null, null};
  private static final String[] D3 = {"no restrictions, PIN required", "no restrictions",
      "goods and services only (no cash)", "ATM only, PIN required", "cash only",
      "goods and services only (no cash), PIN required", "no restrictions, prompt for PIN if PIN pad present",
      "goods and services only (no cash), prompt for PIN if PIN pad present", null, null};
  private static final String[][] TABLES = {D1, D2, D3};

  /** Checks each digit against ISO/IEC 7813; reserved values are rejected. */
  public ServiceCode {
    if (digits == null || digits.length() != 3) {
      throw new ValidationException("serviceCode", "must be 3 digits");
    }
    for (int i = 0; i < 3; i++) {
      char c = digits.charAt(i);
      if (c < '0' || c > '9') {
        throw new ValidationException("serviceCode", "digit " + (i + 1) + " must be 0..9");
      }
      if (TABLES[i][c - '0'] == null) {
        throw new ValidationException("serviceCode", "digit " + (i + 1) + " value " + c + " is reserved");
      }
    }
  }

  /**
   * @param digits three digits
   * @return the checked code
   */
  public static ServiceCode of(String digits) {
    return new ServiceCode(digits);
  }

  /**
   * @param digits three digits
   * @return true when every digit has an assigned meaning
   */
  public static boolean isValid(String digits) {
    if (digits == null || digits.length() != 3) {
      return false;
    }
    for (int i = 0; i < 3; i++) {
      char c = digits.charAt(i);
      if (c < '0' || c > '9' || TABLES[i][c - '0'] == null) {
        return false;
      }
    }
    return true;
  }

  /** @return digit 1 in words: interchange and technology */
  public String interchange() {
    return D1[digits.charAt(0) - '0'];
  }

  /** @return digit 2 in words: authorization processing */
  public String authorization() {
    return D2[digits.charAt(1) - '0'];
  }

  /** @return digit 3 in words: allowed services and PIN requirements */
  public String services() {
    return D3[digits.charAt(2) - '0'];
  }

  /** @return the three meanings, separated by "; " */
  public String describe() {
    return interchange() + "; " + authorization() + "; " + services();
  }

  /** @return true when digit 1 says the card has a chip (2 or 6) */
  public boolean hasChip() {
    char c = digits.charAt(0);
    return c == '2' || c == '6';
  }

  @Override
  public String toString() {
    return digits;
  }
}
