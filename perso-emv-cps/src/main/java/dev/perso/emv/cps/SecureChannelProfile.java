package dev.perso.emv.cps;

import dev.perso.core.Bytes;
import dev.perso.core.ValidationException;
import dev.perso.core.internal.Hex;
import dev.perso.core.channel.CardChannel;
import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.KeyRef;
import dev.perso.gp.Diversification;
import dev.perso.gp.GpKeys;
import dev.perso.gp.GpOptions;
import dev.perso.gp.GpSecureChannel;
import dev.perso.gp.ScpVersion;
import dev.perso.gp.SecurityLevel;

/**
 * The GlobalPlatform secure channel a card type is personalized under, as profile data.
 *
 * <pre>{@code
 * SecureChannelProfile scp02 = SecureChannelProfile.of(ScpVersion.of(2, 0x55), 0x03, 0x00, "emv");   // C-MAC + C-DEC
 * SecureChannelProfile scp03 = SecureChannelProfile.of(ScpVersion.of(3, 0x70), 0x33, 0x30, "kdf3");
 *
 * // opening a channel by hand from a card type's profile is one line:
 * try (GpSecureChannel secure = profile.secureChannel().open(reader, kmc, crypto, selectedAid)) { ... }
 * }</pre>
 *
 * @param version the protocol: SCP02 with its variant ("i" 05, 15, 45 or 55) or SCP03 with its "i"
 *     ({@link ScpVersion#of}); it knows its block size, challenge lengths and how to open
 * @param securityLevel the EXTERNAL AUTHENTICATE P1, e.g. {@code 0x03} C-MAC + C-DEC
 * @param keyVersion the INITIALIZE UPDATE P1: key version number, {@code 0} for the first available
 * @param diversification how card keys come from the KMC: {@code none}, {@code emv}, {@code visa2} or
 *     {@code kdf3}, checked when the profile is made
 */
public record SecureChannelProfile(ScpVersion version, int securityLevel, int keyVersion, String diversification) {
  /** Validates the ranges. */
  public SecureChannelProfile {
    java.util.Objects.requireNonNull(version, "version");
    check("securityLevel", securityLevel);
    try {
      version.requireLevel(SecurityLevel.fromP1(securityLevel));   // a level the protocol offers, checked at load
    } catch (ValidationException e) {
      throw new ValidationException("securityLevel", e.rule());
    }
    check("keyVersion", keyVersion);
    if (diversification == null || diversification.isBlank()) {
      throw new ValidationException("diversification", "must be none, emv, visa2 or kdf3");
    }
    try {
      Diversification.named(diversification);   // an unknown name fails when the profile loads, not at the first card
    } catch (ValidationException e) {
      throw new ValidationException("diversification", e.rule());
    }
  }

  /**
   * @param version the protocol
   * @param securityLevel the EXTERNAL AUTHENTICATE P1
   * @param keyVersion the key version number, {@code 0} for the first available
   * @param diversification {@code none}, {@code emv}, {@code visa2} or {@code kdf3}
   * @return the secure channel profile
   * @throws ValidationException naming the field and the rule
   */
  public static SecureChannelProfile of(ScpVersion version, int securityLevel, int keyVersion, String diversification) {
    return new SecureChannelProfile(version, securityLevel, keyVersion, diversification);
  }

  /**
   * @param value the key version number to open with
   * @return this profile with another key version (e.g. after a key rotation)
   */
  public SecureChannelProfile withKeyVersion(int value) {
    return new SecureChannelProfile(version, securityLevel, value, diversification);
  }

  /**
   * @param value {@code none}, {@code emv}, {@code visa2} or {@code kdf3}
   * @return this profile with another key diversification
   */
  public SecureChannelProfile withDiversification(String value) {
    return new SecureChannelProfile(version, securityLevel, keyVersion, value);
  }

  /**
   * @param kmc the card type's key management (master) key
   * @return the card's static keys: diversified from {@code kmc} as {@link #diversification()} says, at
   *     {@link #keyVersion()}
   */
  public GpKeys keys(KeyRef kmc) {
    return GpKeys.diversified(kmc, Diversification.named(diversification)).withKeyVersion(keyVersion);
  }

  /**
   * @param crypto the backend the channel computes with
   * @param selectedAid the AID selected before INITIALIZE UPDATE (the pseudo-random card challenge is
   *     checked for it)
   * @return options for this profile's security level, SCP02 variant or SCP03 mode; add a fixed host
   *     challenge or other choices before {@code build()}
   */
  public GpOptions.Builder options(CryptoBackend crypto, Bytes selectedAid) {
    return version().configure(GpOptions.builder(crypto).level(SecurityLevel.fromP1(securityLevel)).aid(selectedAid));
  }

  /**
   * Opens this profile's secure channel on a card whose application or security domain is selected.
   *
   * @param card the card channel
   * @param kmc the key management key
   * @param options from {@link #options}
   * @return the open channel
   */
  public GpSecureChannel open(CardChannel card, KeyRef kmc, GpOptions options) {
    return open(card, keys(kmc), options);
  }

  /**
   * Opens this profile's secure channel with keys other than the profile's own (e.g. an issuer's keys
   * after a rotation).
   *
   * @param card the card channel
   * @param keys the card's static keys
   * @param options from {@link #options}
   * @return the open channel
   */
  public GpSecureChannel open(CardChannel card, GpKeys keys, GpOptions options) {
    return version().open(card, keys, options);
  }

  /**
   * Opens this profile's secure channel with its default options.
   *
   * @param card the card channel
   * @param kmc the key management key
   * @param crypto the backend
   * @param selectedAid the AID selected before
   * @return the open channel
   */
  public GpSecureChannel open(CardChannel card, KeyRef kmc, CryptoBackend crypto, Bytes selectedAid) {
    return open(card, kmc, options(crypto, selectedAid).build());
  }

  private static void check(String field, int v) {
    if (v < 0 || v > 0xFF) {
      throw new ValidationException(field, "must be 00..FF, was " + v);
    }
  }

  /** @return e.g. {@code SCP02 i=55 level=03 KVN=00 diversification=emv} */
  @Override
  public String toString() {
    return version + " level=" + Hex.byteToHex(securityLevel) + " KVN="
        + Hex.byteToHex(keyVersion) + " diversification=" + diversification;
  }
}
