/**
 * Magnetic stripe data: ISO/IEC 7813 tracks 1 and 2 and ISO/IEC 4909 track 3, built from fields,
 * checked, encoded to raw bit streams for an encoder, and parsed back.
 *
 * <p>Where to start:
 * <ul>
 *   <li>One track from its fields: {@link dev.perso.iso7813.Track2#builder()} (and {@code Track1},
 *       {@code Track3}); {@link dev.perso.iso7813.Track#text()} is what an encoder writes.</li>
 *   <li>An issuer's discretionary data with CVV, iCVV and PVV computed through a
 *       {@link dev.perso.crypto.CryptoBackend}: {@link dev.perso.iso7813.StripeRecord} (the cardholder's
 *       fields), {@link dev.perso.iso7813.IssuerLayout} and {@link dev.perso.iso7813.StripeKeys}.</li>
 *   <li>Raw bits for encoders (parity, LRC, leading zeros, density): {@link dev.perso.iso7813.RawCodec}
 *       with {@link dev.perso.iso7813.RawOptions}.</li>
 *   <li>Reading a swipe back: {@link dev.perso.iso7813.Tracks}.</li>
 *   <li>On a production line: {@code dev.perso.iso7813.step.MagStripeStep}, the card-type step that
 *       writes and checks the stripe.</li>
 * </ul>
 *
 * <pre>{@code
 * StripeRecord rec = StripeRecord.builder().pan("4761739001010010").name(Name.of("Lovelace", "Ada"))
 *     .expiry("2812").serviceCode("201").build();
 * SecurityCodes codes = IssuerLayout.EXAMPLE_CVV.codes(rec, StripeKeys.of(crypto, cvk, null), false);
 * Track2 t2 = IssuerLayout.EXAMPLE_CVV.track2(rec, codes);
 * }</pre>
 */
package dev.perso.iso7813;
