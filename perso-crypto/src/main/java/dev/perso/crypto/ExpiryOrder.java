package dev.perso.crypto;

/**
 * The order in which the expiry date enters the CVV data (issuer-specific; YYMM is the usual).
 *
 * <pre>{@code
 * CvvInput.builder().pan(pan).expiry("2612").serviceCode("101").expiryOrder(ExpiryOrder.MMYY).build();
 * }</pre>
 */
public enum ExpiryOrder {
  /** Year then month, as on track 2. */
  YYMM,
  /** Month then year. */
  MMYY
}
