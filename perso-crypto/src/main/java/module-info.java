/**
 * Perso SDK crypto: the crypto SPI ({@link dev.perso.crypto.CryptoBackend}, {@link dev.perso.crypto.KeyRef}),
 * a software backend and a PKCS#11 backend, and the payment algorithms personalization needs.
 *
 * <pre>{@code
 * CryptoBackend crypto = ServiceLoader.load(CryptoBackend.class).findFirst().orElseThrow();
 * }</pre>
 */
module dev.perso.crypto {
  requires transitive dev.perso.core;
  requires org.bouncycastle.provider;
  requires org.slf4j;

  exports dev.perso.crypto;
  exports dev.perso.crypto.payshield;

  uses dev.perso.crypto.CryptoBackend;

  provides dev.perso.crypto.CryptoBackend with dev.perso.crypto.SoftwareBackend;
}
