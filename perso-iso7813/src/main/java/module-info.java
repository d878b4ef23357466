/**
 * Perso SDK ISO 7813: magnetic stripe tracks built from data-prep fields (ISO/IEC 7813 tracks 1 and 2,
 * ISO/IEC 4909 track 3), issuer discretionary-data layouts with CVV/iCVV/PVV through the crypto backend,
 * parity/LRC, raw bit streams for encoders, parsing back, and the magnetic-stripe step of card types.
 *
 * <pre>{@code
 * Track2 t2 = Track2.builder().pan("4111111111111111").expiry("2612").serviceCode("101").build();
 * Bytes raw = t2.encode(RawOptions.of(TrackType.TRACK_2, 8));
 * }</pre>
 */
module dev.perso.iso7813 {
  requires transitive dev.perso.core;
  requires transitive dev.perso.crypto;

  exports dev.perso.iso7813;
  exports dev.perso.iso7813.step;

  provides dev.perso.core.step.StepProvider with dev.perso.iso7813.step.MagStripeStepProvider,
      dev.perso.iso7813.step.MagStripeRewriteStepProvider;
}
