package dev.perso.core.apdu;

import dev.perso.core.internal.Hex;
import dev.perso.core.ValidationException;
import java.util.Map;

/**
 * A two-byte status word (SW1 SW2) with its meaning from ISO/IEC 7816-4 §5.1.3 (tables 5–6), plus
 * the GlobalPlatform (Card Spec 2.3, §11) and EMV (Book 3 §6.3.5, CPS v1.1 §5) values a personalizer meets.
 *
 * <pre>{@code
 * StatusWord sw = StatusWord.of(0x6A88);
 * sw.meaning();        // "referenced data not found"
 * sw.category();       // CHECKING_ERROR
 * StatusWord.of(0x63C2).meaning();   // "verification failed, 2 retries left"
 * }</pre>
 *
 * @param value the status word, 0x0000..0xFFFF
 */
public record StatusWord(int value) {

  /** 9000: normal processing, no further qualification. */
  public static final StatusWord SUCCESS = new StatusWord(0x9000);

  /** Broad class of a status word per ISO/IEC 7816-4 table 5. */
  public enum Category {
    /** 9000 and 61XX. */
    NORMAL,
    /** 62XX, 63XX: processing completed with a warning. */
    WARNING,
    /** 64XX–66XX: execution error. */
    EXECUTION_ERROR,
    /** 67XX–6FXX: checking error. */
    CHECKING_ERROR,
    /** Anything else, including proprietary 9XXX values. */
    PROPRIETARY
  }

  // Exact-match meanings. Sources: ISO/IEC 7816-4:2013 tables 5–6; GP Card Spec 2.3 §11.1.3 and the
  // per-command tables of §11; EMV Book 3 v4.4 §6.3.5; EMV CPS v1.1 §5.
  private static final Map<Integer, String> MEANINGS = Map.ofEntries(
      Map.entry(0x9000, "success"),
      Map.entry(0x6200, "warning: state of non-volatile memory unchanged"),
      Map.entry(0x6281, "warning: part of returned data may be corrupted"),
      Map.entry(0x6282, "warning: end of file or record reached before reading Ne bytes"),
      Map.entry(0x6283, "warning: selected file or application invalidated (blocked)"),
      Map.entry(0x6284, "warning: FCI not formatted per ISO 7816-4"),
      Map.entry(0x6285, "warning: selected file in termination state"),
      Map.entry(0x6286, "warning: no input data available from a sensor"),
      Map.entry(0x6300, "warning: state of non-volatile memory changed; authentication failed"),
      Map.entry(0x6310, "warning: more data available (GP GET STATUS)"),
      Map.entry(0x6381, "warning: file filled up by the last write"),
      Map.entry(0x6400, "execution error: state of non-volatile memory unchanged"),
      Map.entry(0x6401, "execution error: immediate response required by the card"),
      Map.entry(0x6500, "execution error: state of non-volatile memory changed"),
      Map.entry(0x6581, "memory failure"),
      Map.entry(0x6600, "security-related issue"),
      Map.entry(0x6700, "wrong length"),
      Map.entry(0x6800, "functions in CLA not supported"),
      Map.entry(0x6881, "logical channel not supported"),
      Map.entry(0x6882, "secure messaging not supported"),
      Map.entry(0x6883, "last command of the chain expected"),
      Map.entry(0x6884, "command chaining not supported"),
      Map.entry(0x6900, "command not allowed"),
      Map.entry(0x6981, "command incompatible with file structure"),
      Map.entry(0x6982, "security status not satisfied (secure channel or authentication missing)"),
      Map.entry(0x6983, "authentication method blocked (key set or PIN locked)"),
      Map.entry(0x6984, "reference data not usable (invalidated)"),
      Map.entry(0x6985, "conditions of use not satisfied"),
      Map.entry(0x6986, "command not allowed (no current EF)"),
      Map.entry(0x6987, "expected secure messaging data objects missing"),
      Map.entry(0x6988, "incorrect secure messaging data objects (MAC or cryptogram wrong)"),
      Map.entry(0x6A00, "wrong parameters P1-P2"),
      Map.entry(0x6A80, "incorrect parameters in the command data field"),
      Map.entry(0x6A81, "function not supported"),
      Map.entry(0x6A82, "file or application not found"),
      Map.entry(0x6A83, "record not found"),
      Map.entry(0x6A84, "not enough memory space"),
      Map.entry(0x6A85, "Nc inconsistent with TLV structure"),
      Map.entry(0x6A86, "incorrect parameters P1-P2"),
      Map.entry(0x6A87, "Nc inconsistent with parameters P1-P2"),
      Map.entry(0x6A88, "referenced data not found"),
      Map.entry(0x6A89, "file already exists"),
      Map.entry(0x6A8A, "DF name already exists"),
      Map.entry(0x6B00, "wrong parameters P1-P2 (offset outside the EF)"),
      Map.entry(0x6D00, "instruction code not supported or invalid"),
      Map.entry(0x6E00, "class not supported"),
      Map.entry(0x6F00, "no precise diagnosis"),
      Map.entry(0x9484, "algorithm not supported (GP)"),
      Map.entry(0x9485, "invalid key check value (GP)"));

  /**
   * @throws ValidationException if {@code value} is outside 0x0000..0xFFFF
   */
  public StatusWord {
    if (value < 0 || value > 0xFFFF) {
      throw new ValidationException("sw", "must be 0000..FFFF, was " + Integer.toHexString(value));
    }
  }

  /**
   * @param value the status word, e.g. {@code 0x9000}
   * @return the status word
   */
  public static StatusWord of(int value) {
    return value == 0x9000 ? SUCCESS : new StatusWord(value);
  }

  /**
   * @param sw1 first byte
   * @param sw2 second byte
   * @return the status word
   */
  public static StatusWord of(int sw1, int sw2) {
    if (sw1 < 0 || sw1 > 0xFF) {
      throw new ValidationException("sw1", "must be 0..255, was " + sw1);
    }
    if (sw2 < 0 || sw2 > 0xFF) {
      throw new ValidationException("sw2", "must be 0..255, was " + sw2);
    }
    return of((sw1 << 8) | sw2);
  }

  /** @return SW1 */
  public int sw1() {
    return value >>> 8;
  }

  /** @return SW2 */
  public int sw2() {
    return value & 0xFF;
  }

  /** @return true for 9000 */
  public boolean isSuccess() {
    return value == 0x9000;
  }

  /** @return the ISO 7816-4 category */
  public Category category() {
    int sw1 = sw1();
    if (value == 0x9000 || sw1 == 0x61) {
      return Category.NORMAL;
    }
    if (sw1 == 0x62 || sw1 == 0x63) {
      return Category.WARNING;
    }
    if (sw1 >= 0x64 && sw1 <= 0x66) {
      return Category.EXECUTION_ERROR;
    }
    if (sw1 >= 0x67 && sw1 <= 0x6F) {
      return Category.CHECKING_ERROR;
    }
    return Category.PROPRIETARY;
  }

  /** @return the meaning in words, or a category-level description when the exact value is unknown */
  public String meaning() {
    String exact = MEANINGS.get(value);
    if (exact != null) {
      return exact;
    }
    int sw1 = sw1();
    int sw2 = sw2();
    if (sw1 == 0x61) {
      return sw2 == 0 ? "response bytes still available (256 or more); send GET RESPONSE"
          : sw2 + " response bytes still available; send GET RESPONSE";
    }
    if (sw1 == 0x6C) {
      return "wrong Le; exact length is " + (sw2 == 0 ? 256 : sw2);
    }
    if (sw1 == 0x63 && (sw2 & 0xF0) == 0xC0) {
      int n = sw2 & 0x0F;
      return "verification failed, " + n + (n == 1 ? " retry left" : " retries left");
    }
    if (sw1 == 0x62 && sw2 >= 0x02 && sw2 <= 0x80) {
      return "warning: triggering by the card (" + sw2 + " bytes)";
    }
    if (sw1 == 0x64 && sw2 >= 0x02 && sw2 <= 0x80) {
      return "execution error: triggering by the card (" + sw2 + " bytes)";
    }
    switch (category()) {
      case WARNING:
        return "warning (unknown qualifier)";
      case EXECUTION_ERROR:
        return "execution error (unknown qualifier)";
      case CHECKING_ERROR:
        return "checking error (unknown qualifier)";
      default:
        return "proprietary status";
    }
  }

  /** @return four hex digits, e.g. {@code 6A88} */
  public String toHex() {
    return Hex.byteToHex(sw1()) + Hex.byteToHex(sw2());
  }

  /** @return e.g. {@code 6A88 (referenced data not found)} */
  @Override
  public String toString() {
    return toHex() + " (" + meaning() + ")";
  }
}
