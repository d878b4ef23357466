package dev.perso.core.cardholder;

import dev.perso.core.ValidationException;
import java.time.YearMonth;

/**
 * A card's expiry date, year and month, as cards carry it ({@code YYMM} on the stripe and in EMV tag
 * 5F24, {@code MM/YY} embossed).
 *
 * <pre>{@code
 * Expiry e = Expiry.ofYymm("2812");
 * e.yymm();          // "2812"
 * e.mmSlashYy();     // "12/28"
 * e.lastDay();       // "281231", EMV tag 5F24
 * }</pre>
 */
public final class Expiry {
  private final int year;   // 00..99
  private final int month;  // 1..12

  private Expiry(int year, int month) {
    this.year = year;
    this.month = month;
  }

  /**
   * @param yymm four digits, month 01..12
   * @return the expiry
   * @throws ValidationException naming the rule
   */
  public static Expiry ofYymm(String yymm) {
    Pan.requireDigits("expiry", yymm, 4, 4);
    int month = Integer.parseInt(yymm.substring(2));
    if (month < 1 || month > 12) {
      throw new ValidationException("expiry", "month must be 01 to 12 (YYMM)");
    }
    return new Expiry(Integer.parseInt(yymm.substring(0, 2)), month);
  }

  /** @return {@code YYMM} */
  public String yymm() {
    return String.format("%02d%02d", year, month);
  }

  /** @return {@code MMYY}, the order some CVV layouts use */
  public String mmyy() {
    return String.format("%02d%02d", month, year);
  }

  /** @return {@code MM/YY}, as embossed */
  public String mmSlashYy() {
    return String.format("%02d/%02d", month, year);
  }

  /** @return {@code YYMMDD} with the month's last day, the form of EMV tag 5F24 */
  public String lastDay() {
    return yymm() + String.format("%02d", YearMonth.of(2000 + year, month).lengthOfMonth());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Expiry && ((Expiry) o).year == year && ((Expiry) o).month == month;
  }

  @Override
  public int hashCode() {
    return year * 13 + month;
  }

  /** @return {@code YYMM} */
  @Override
  public String toString() {
    return yymm();
  }
}
