/** Perso SDK EMV CPS: GlobalPlatform secure channels, DGIs, CPS personalization, virtual GP/EMV card. */
module dev.perso.emv {
  requires transitive dev.perso.core;
  requires dev.perso.crypto;
  requires com.fasterxml.jackson.databind;

  exports dev.perso.emv.cps;
}
