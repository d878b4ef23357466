package dev.perso.emv.cps;

import dev.perso.core.Hex;
import dev.perso.core.ValidationException;

/**
 * The GlobalPlatform secure channel a card type is personalized under, as profile data.
 *
 * <pre>{@code
 * SecureChannelProfile scp02 = new SecureChannelProfile(2, 0x55, 0x03, 0x00, "emv");   // C-MAC + C-DEC, EMV CPS keys
 * SecureChannelProfile scp03 = new SecureChannelProfile(3, 0x70, 0x33, 0x30, "kdf3");
 * }</pre>
 *
 * @param scp 2 (SCP02) or 3 (SCP03)
 * @param i the "i" parameter, e.g. {@code 0x55} (SCP02) or {@code 0x70} (SCP03)
 * @param securityLevel the EXTERNAL AUTHENTICATE P1, e.g. {@code 0x03} C-MAC + C-DEC
 * @param keyVersion the INITIALIZE UPDATE P1: key version number, {@code 0} for the first available
 * @param diversification how card keys come from the KMC: {@code none}, {@code emv}, {@code visa2},
 *     {@code kdf3} or a template name
 */
public record SecureChannelProfile(int scp, int i, int securityLevel, int keyVersion, String diversification) {
  /** Validates the ranges. */
  public SecureChannelProfile {
    if (scp != 2 && scp != 3) {
      throw new ValidationException("scp", "must be 02 or 03, was " + scp);
    }
    check("i", i);
    check("securityLevel", securityLevel);
    check("keyVersion", keyVersion);
    if (diversification == null || diversification.isBlank()) {
      throw new ValidationException("diversification", "must be none, emv, visa2, kdf3 or a template name");
    }
  }

  private static void check(String field, int v) {
    if (v < 0 || v > 0xFF) {
      throw new ValidationException(field, "must be 00..FF, was " + v);
    }
  }

  /** @return e.g. {@code SCP02 i=55 level=03 KVN=00 diversification=emv} */
  @Override
  public String toString() {
    return "SCP0" + scp + " i=" + Hex.byteToHex(i) + " level=" + Hex.byteToHex(securityLevel) + " KVN="
        + Hex.byteToHex(keyVersion) + " diversification=" + diversification;
  }
}
