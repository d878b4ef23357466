package dev.perso.crypto;

import dev.perso.core.cardholder.Pan;
import dev.perso.core.cardholder.Expiry;
import dev.perso.crypto.internal.Digits;
import java.util.Objects;

/**
 * The data a CVV/CVC is computed over. CVV2 and iCVV are the same algorithm with service codes
 * {@code 000} and {@code 999}.
 *
 * <pre>{@code
 * CvvInput cvv  = CvvInput.of("4123456789012345", "8701", "101");
 * CvvInput cvv2 = cvv.cvv2();     // service code 000
 * CvvInput icvv = cvv.icvv();     // service code 999
 * }</pre>
 *
 * @param pan 8..19 digits (ISO/IEC 7812-1:2017, the same PAN rule as the tracks of perso-iso7813; the
 *     CVV data block PAN, expiry, service code fits 32 digits for any of them)
 * @param expiry expiry date as YYMM (always given year first; {@code expiryOrder} decides the order used)
 * @param serviceCode 3 digits
 * @param expiryOrder order of the expiry in the CVV data
 */
public record CvvInput(String pan, String expiry, String serviceCode, ExpiryOrder expiryOrder) {
  /** Checks the digits. */
  public CvvInput {
    Digits.require("pan", pan, 8, 19);
    Digits.require("expiry", expiry, 4, 4);
    Digits.require("serviceCode", serviceCode, 3, 3);
    Objects.requireNonNull(expiryOrder, "expiryOrder");
  }

  /**
   * @param pan PAN digits
   * @param expiryYymm expiry as YYMM
   * @param serviceCode 3 digits
   * @return input with the expiry in YYMM order
   */
  public static CvvInput of(String pan, String expiryYymm, String serviceCode) {
    return new CvvInput(pan, expiryYymm, serviceCode, ExpiryOrder.YYMM);
  }

  /**
   * @param pan the PAN
   * @param expiry the expiry
   * @param serviceCode 3 digits ({@code 000} for CVV2, {@code 999} for iCVV)
   * @return input with the expiry in YYMM order
   */
  public static CvvInput of(Pan pan, Expiry expiry, String serviceCode) {
    return of(pan.digits(), expiry.yymm(), serviceCode);
  }

  /** @return a builder */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the same input with service code 000 (CVV2/CVC2) */
  public CvvInput cvv2() {
    return new CvvInput(pan, expiry, "000", expiryOrder);
  }

  /** @return the same input with service code 999 (iCVV) */
  public CvvInput icvv() {
    return new CvvInput(pan, expiry, "999", expiryOrder);
  }

  /** @return PAN‖expiry (in the chosen order)‖service code, right-padded with 0 to 32 digits */
  public String dataDigits() {
    String exp = expiryOrder == ExpiryOrder.YYMM ? expiry : expiry.substring(2) + expiry.substring(0, 2);
    String d = pan + exp + serviceCode;
    return d + "0".repeat(32 - d.length());
  }

  @Override
  public String toString() {
    return "CvvInput[pan=" + pan.substring(0, 6) + "..." + pan.substring(pan.length() - 4)
        + " serviceCode=" + serviceCode + " " + expiryOrder + "]";
  }

  /** Builder for {@link CvvInput}; the expiry order defaults to YYMM. */
  public static final class Builder {
    private String pan;
    private String expiry;
    private String serviceCode;
    private ExpiryOrder expiryOrder = ExpiryOrder.YYMM;

    private Builder() {}

    /**
     * @param pan PAN digits
     * @return this
     */
    public Builder pan(String pan) {
      this.pan = pan;
      return this;
    }

    /**
     * @param expiryYymm expiry as YYMM
     * @return this
     */
    public Builder expiry(String expiryYymm) {
      this.expiry = expiryYymm;
      return this;
    }

    /**
     * @param serviceCode 3 digits
     * @return this
     */
    public Builder serviceCode(String serviceCode) {
      this.serviceCode = serviceCode;
      return this;
    }

    /**
     * @param order order of the expiry in the CVV data
     * @return this
     */
    public Builder expiryOrder(ExpiryOrder order) {
      this.expiryOrder = order;
      return this;
    }

    /** @return the checked input */
    public CvvInput build() {
      return new CvvInput(pan, expiry, serviceCode, expiryOrder);
    }
  }
}
