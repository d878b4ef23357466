package dev.perso.crypto;

import org.junit.jupiter.api.AfterAll;

/** {@link PaymentVectorsContract} on {@link SoftwareBackend} with clear keys. */
class SoftwarePaymentVectorsTest extends PaymentVectorsContract {
  static final SoftwareBackend SW = new SoftwareBackend();

  @AfterAll
  static void close() {
    SW.close();
  }

  @Override
  CryptoBackend backend() {
    return SW;
  }

  @Override
  KeyRef key(String hex, KeyUsage usage) {
    return ClearKeyRef.fromHex(KeyAlgorithm.desForLength(hex.length() / 2), usage, hex);
  }
}
