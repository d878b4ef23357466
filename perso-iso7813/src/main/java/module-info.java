/** Perso SDK ISO 7813: magnetic stripe tracks, raw encoding, card security codes. */
module dev.perso.iso7813 {
  requires transitive dev.perso.core;
  requires dev.perso.crypto;
}
