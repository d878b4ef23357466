/** Perso SDK crypto: the crypto SPI, software and PKCS#11 backends, payment algorithms. */
module dev.perso.crypto {
  requires transitive dev.perso.core;
  requires org.bouncycastle.provider;
}
