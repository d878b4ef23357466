package dev.perso.iso7813;

import dev.perso.iso7813.internal.Checks;

/**
 * The card security values a {@link DiscretionaryLayout} places into discretionary data. Usually
 * computed by {@link IssuerLayout#codes}, but an issuer with its own HSM flow can pass its values in.
 * Absent values are null. Secret: {@code toString} prints only which values are present.
 *
 * <pre>{@code
 * SecurityCodes codes = new SecurityCodes("1", "4021", "561", null);   // PVKI, PVV, CVV, no iCVV
 * layout.fill(codes);   // e.g. "14021561000"
 * }</pre>
 *
 * @param pvki PIN verification key index, 1 digit
 * @param pvv Visa PVV, 4 digits
 * @param cvv CVV/CVC computed with the track's service code, 3 digits
 * @param icvv iCVV (service code 999), 3 digits
 */
public record SecurityCodes(String pvki, String pvv, String cvv, String icvv) {
  /** Checks the digit counts of the values present. */
  public SecurityCodes {
    if (pvki != null) {
      Checks.digits("pvki", pvki, 1, 1);
    }
    if (pvv != null) {
      Checks.digits("pvv", pvv, 4, 4);
    }
    if (cvv != null) {
      Checks.digits("cvv", cvv, 3, 3);
    }
    if (icvv != null) {
      Checks.digits("icvv", icvv, 3, 3);
    }
  }

  @Override
  public String toString() {
    return "SecurityCodes[pvki=" + (pvki == null ? "-" : "*") + ", pvv=" + (pvv == null ? "-" : "****")
        + ", cvv=" + (cvv == null ? "-" : "***") + ", icvv=" + (icvv == null ? "-" : "***") + "]";
  }
}
