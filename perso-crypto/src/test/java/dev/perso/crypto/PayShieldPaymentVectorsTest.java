package dev.perso.crypto;

import dev.perso.core.Bytes;
import dev.perso.crypto.internal.Algorithms;
import dev.perso.crypto.payshield.PayShieldBackend;
import dev.perso.crypto.payshield.internal.ProjectDefined;
import dev.perso.crypto.payshield.testing.TestLmk;
import dev.perso.crypto.payshield.testing.TestPayShield;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link PaymentVectorsContract} through {@link PayShieldBackend} against the test HSM on loopback: each
 * clear test key is encrypted under the Thales test LMK with the key type the operation's command takes
 * (CVK 402, PVK 002; the AC session keys and the MAC keys as TAKs 003, as M6 takes them). DES ignores
 * parity bits, so keys are given odd parity first, as an HSM requires (it answers 10 otherwise).
 */
class PayShieldPaymentVectorsTest extends PaymentVectorsContract {
  static TestPayShield hsm;
  static PayShieldBackend backend;

  @BeforeAll
  static void start() {
    hsm = TestPayShield.start();
    backend = PayShieldBackend.builder().address("127.0.0.1", hsm.port()).connections(2).build();
  }

  @AfterAll
  static void stop() {
    backend.close();
    hsm.close();
  }

  @Override
  CryptoBackend backend() {
    return backend;
  }

  static String typeFor(KeyUsage usage) {
    return usage == KeyUsage.IMK_AC || usage == KeyUsage.DATA ? ProjectDefined.TAK : ProjectDefined.keyType(usage);
  }

  /**
   * @param hex clear key
   * @param type LMK key type
   * @return its wire form under the test LMK
   */
  static String underTestLmk(String hex, String type) {
    byte[] k = Algorithms.adjustParity(Bytes.fromHex(hex).toByteArray());
    String c = TestLmk.encrypt(type, Bytes.of(k)).toHex();
    return (k.length == 16 ? "U" : k.length == 24 ? "T" : "") + c;
  }

  @Override
  KeyRef key(String hex, KeyUsage usage) {
    String type = typeFor(usage);
    return PayShieldBackend.key(underTestLmk(hex, type), usage, type);
  }
}
