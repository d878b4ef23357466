/**
 * EMV Card Personalization Specification: personalizing a chip application with STORE DATA under a
 * GlobalPlatform secure channel, from per-card DGIs and a card profile.
 *
 * <p>Where to start:
 * <ul>
 *   <li>The card type's chip data rules: {@link dev.perso.emv.cps.CardProfile} (secure channel, DGI
 *       encryption and padding, KCV DGIs, pre- and post-commands), as JSON or from code.</li>
 *   <li>A card's data: the record's {@code applications} section ({@link dev.perso.emv.cps.ApplicationsSection},
 *       {@link dev.perso.emv.cps.ApplicationData}, {@link dev.perso.emv.cps.InputDgi}: clear, under the
 *       transport KEK, or a PIN block under it), or a DGI script ({@link dev.perso.emv.cps.DgiScript}).</li>
 *   <li>Personalizing one card: {@link dev.perso.emv.cps.CpsPersonalizer}; checking it afterwards:
 *       {@link dev.perso.emv.cps.CardVerifier}.</li>
 *   <li>On a production line: {@link dev.perso.emv.cps.CpsStep}, the card-type step.</li>
 * </ul>
 *
 * <pre>{@code
 * CpsPersonalizer perso = CpsPersonalizer.builder(crypto)
 *     .profile(CardProfile.example("vsdc-example"), kmc)
 *     .transportKey("transport-kek", kek)
 *     .build();
 * PersoResult r = perso.personalize(reader, record);
 * CardVerifier.builder(crypto, imkAc).build().verify(reader, record);
 * }</pre>
 */
package dev.perso.emv.cps;
