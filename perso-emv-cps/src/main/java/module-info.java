/**
 * Perso SDK EMV CPS: GlobalPlatform secure channels SCP02 and SCP03 (host side in {@code dev.perso.gp}, card
 * side in {@code dev.perso.gp.card}), key diversification and offline key identification.
 *
 * <pre>{@code
 * try (GpSecureChannel secure = Scp02.open(reader, GpKeys.diversified(kmc, Diversification.EMV_CPS),
 *     GpOptions.builder(crypto).level(SecurityLevel.C_MAC_C_DEC).build())) {
 *   secure.transmit(storeData);
 * }
 * }</pre>
 */
module dev.perso.emv {
  requires transitive dev.perso.core;
  requires transitive dev.perso.crypto;
  requires transitive dev.perso.iso7813;
  requires com.fasterxml.jackson.databind;

  exports dev.perso.emv.cps;
  exports dev.perso.emv.card;
  exports dev.perso.emv.prep;
  exports dev.perso.gp;
  exports dev.perso.gp.card;   // the card side (virtual cards, tests), named apart from the host side

  provides dev.perso.core.step.StepProvider with dev.perso.emv.cps.CpsStepProvider,
      dev.perso.emv.cps.IdentifyStepProvider;
}
