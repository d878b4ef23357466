package dev.perso.iso7813;

import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.ExpiryOrder;
import dev.perso.crypto.KeyRef;
import dev.perso.core.ValidationException;
import java.util.Objects;

/**
 * The crypto backend and key references used to compute CVV, iCVV and PVV for a layout.
 * Keys are references; their bytes never leave the backend.
 *
 * <pre>{@code
 * StripeKeys keys = StripeKeys.of(new SoftwareBackend(), cvk, pvk);
 * StripeKeys mmyy = keys.withExpiryOrder(ExpiryOrder.MMYY);   // issuer-specific CVV data order
 * }</pre>
 *
 * @param backend the crypto backend
 * @param cvk the CVK (A‖B), or null when the layout has no CVV/iCVV
 * @param pvk the PVK, or null when the layout has no PVV
 * @param expiryOrder order of the expiry in the CVV data
 */
public record StripeKeys(CryptoBackend backend, KeyRef cvk, KeyRef pvk, ExpiryOrder expiryOrder) {
  /** Checks for nulls where required. */
  public StripeKeys {
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(expiryOrder, "expiryOrder");
    // refuse at set-up a layout the backend cannot serve, not on the first card
    if (cvk != null && !backend.supports(dev.perso.crypto.Operation.CVV)) {
      throw new ValidationException("cvk", "backend '" + backend.id() + "' does not offer CVV, so it cannot serve this "
          + "stripe layout");
    }
    if (pvk != null && !backend.supports(dev.perso.crypto.Operation.PVV)) {
      throw new ValidationException("pvk", "backend '" + backend.id() + "' does not offer PVV, so it cannot serve this "
          + "stripe layout");
    }
  }

  /**
   * @param backend the crypto backend
   * @param cvk the CVK, or null
   * @param pvk the PVK, or null
   * @return keys with the expiry in YYMM order
   */
  public static StripeKeys of(CryptoBackend backend, KeyRef cvk, KeyRef pvk) {
    return new StripeKeys(backend, cvk, pvk, ExpiryOrder.YYMM);
  }

  /**
   * @param order order of the expiry in the CVV data
   * @return a copy with that order
   */
  public StripeKeys withExpiryOrder(ExpiryOrder order) {
    return new StripeKeys(backend, cvk, pvk, order);
  }
}
