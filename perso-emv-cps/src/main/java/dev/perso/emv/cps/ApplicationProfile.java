package dev.perso.emv.cps;

import dev.perso.core.Bytes;
import dev.perso.core.ValidationException;
import java.util.Objects;
import java.util.Optional;

/**
 * One application of a card type: its AID, how it is reached for personalization, and optionally its
 * own secure channel and DGI rules.
 *
 * <p>{@link Target#APPLICATION}: SELECT the application and open the secure channel to it (the applet
 * forwards to its Security Domain), as public VSDC/PBOC perso scripts do. {@link Target#SECURITY_DOMAIN}:
 * SELECT the Security Domain, open the channel, then INSTALL [for personalization] the application
 * (GP Card Spec 2.3.1 §11.5.2.3) so STORE DATA reaches it.
 *
 * <pre>{@code
 * ApplicationProfile visa = ApplicationProfile.application(Bytes.fromHex("A0000000031010"), "VSDC");
 * ApplicationProfile viaSd = ApplicationProfile.viaSecurityDomain(Bytes.fromHex("A0000000041010"), "M/Chip",
 *     Bytes.fromHex("A000000151000000"));
 * }</pre>
 *
 * @param aid the application's AID, 5..16 bytes
 * @param label a human name for the audit trail
 * @param target how the application is reached
 * @param securityDomain the Security Domain's AID for {@link Target#SECURITY_DOMAIN}, otherwise empty
 * @param secureChannel the application's own secure channel, or empty for the card profile's
 * @param dgiRules the application's own DGI rules, or empty for the card profile's
 */
public record ApplicationProfile(Bytes aid, String label, Target target, Bytes securityDomain,
    Optional<SecureChannelProfile> secureChannel, Optional<DgiRules> dgiRules) {

  /** How STORE DATA reaches the application. */
  public enum Target {
    /** SELECT the application itself. */
    APPLICATION,
    /** SELECT the Security Domain, then INSTALL [for personalization]. */
    SECURITY_DOMAIN
  }

  /** Validates. */
  public ApplicationProfile {
    Objects.requireNonNull(aid, "aid");
    if (aid.length() < 5 || aid.length() > 16) {
      throw new ValidationException("aid", "must be 5..16 bytes, was " + aid.length());
    }
    Objects.requireNonNull(target, "target");
    label = label == null ? aid.toHex() : label;
    if (target == Target.SECURITY_DOMAIN && (securityDomain == null || securityDomain.length() < 5)) {
      throw new ValidationException("securityDomain", "an AID of 5..16 bytes is needed to personalize through the SD");
    }
    securityDomain = target == Target.APPLICATION ? Bytes.empty() : securityDomain;
    secureChannel = secureChannel == null ? Optional.empty() : secureChannel;
    dgiRules = dgiRules == null ? Optional.empty() : dgiRules;
  }

  /**
   * An application under the card profile's secure channel and DGI rules.
   *
   * @param aid the application's AID, 5..16 bytes
   * @param label a human name for the audit trail
   * @param target how the application is reached
   * @param securityDomain the Security Domain's AID for {@link Target#SECURITY_DOMAIN}, otherwise empty
   */
  public ApplicationProfile(Bytes aid, String label, Target target, Bytes securityDomain) {
    this(aid, label, target, securityDomain, Optional.empty(), Optional.empty());
  }

  /**
   * @param channel the secure channel of this application's Security Domain
   * @return this application personalized under its own secure channel (and its own KMC)
   */
  public ApplicationProfile withSecureChannel(SecureChannelProfile channel) {
    return new ApplicationProfile(aid, label, target, securityDomain, Optional.of(Objects.requireNonNull(channel, "channel")), dgiRules);
  }

  /**
   * @param rules this application's DGI table, STORE DATA format bit and KCV DGIs
   * @return this application with its own DGI rules instead of the card profile's
   */
  public ApplicationProfile withDgiRules(DgiRules rules) {
    return new ApplicationProfile(aid, label, target, securityDomain, secureChannel, Optional.of(Objects.requireNonNull(rules, "rules")));
  }

  /** @return whether the application has a secure channel or DGI rules of its own */
  public boolean hasOwnRules() {
    return secureChannel.isPresent() || dgiRules.isPresent();
  }

  /** @return this application under the card profile's secure channel and DGI rules */
  ApplicationProfile withoutOwnRules() {
    return new ApplicationProfile(aid, label, target, securityDomain);
  }

  /**
   * @param aid the application's AID
   * @param label its name
   * @return an application selected directly
   */
  public static ApplicationProfile application(Bytes aid, String label) {
    return new ApplicationProfile(aid, label, Target.APPLICATION, Bytes.empty());
  }

  /**
   * @param aid the application's AID
   * @param label its name
   * @param securityDomain the Security Domain to select and authenticate to
   * @return an application personalized through INSTALL [for personalization]
   */
  public static ApplicationProfile viaSecurityDomain(Bytes aid, String label, Bytes securityDomain) {
    return new ApplicationProfile(aid, label, Target.SECURITY_DOMAIN, securityDomain);
  }

  /** @return the Security Domain's AID when the target is the SD */
  public Optional<Bytes> securityDomainAid() {
    return target == Target.SECURITY_DOMAIN ? Optional.of(securityDomain) : Optional.empty();
  }
}
