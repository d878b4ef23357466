package dev.perso.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import dev.perso.core.CryptoException;
import java.util.Arrays;
import java.util.stream.Stream;
import dev.perso.crypto.payshield.PayShieldBackend;
import dev.perso.crypto.payshield.internal.ProjectDefined;
import dev.perso.crypto.payshield.testing.TestPayShield;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every key usage x every keyed operation, on the software backend, on SoftHSM2 and on the payShield
 * backend against its test HSM (operations the HSM does not offer are refused as unsupported): the operations
 * {@link KeyUsage#permits} allows run, every other one throws a {@link CryptoException} naming the key,
 * its usage and the operation.
 */
class KeyUsageMatrixTest {
  static final String TDES = "0123456789ABCDEFFEDCBA9876543210";
  static final String AES = "2B7E151628AED2A6ABF7158809CF4F3C";
  static final Bytes DATA16 = Bytes.fromHex("00112233445566778899AABBCCDDEEFF");
  static final Bytes DATA20 = Bytes.fromHex("00112233445566778899AABBCCDDEEFF01020304");

  static Stream<Arguments> matrix() {
    return Arrays.stream(KeyUsage.values()).flatMap(u -> Arrays.stream(Operation.values())
        .filter(Operation::usesKey).map(op -> Arguments.of(u, op)));
  }

  static KeyAlgorithm algorithmFor(Operation op) {
    return op == Operation.DERIVE_GP_SCP03 || op == Operation.DERIVE_GP_KDF3 ? KeyAlgorithm.AES_128
        : KeyAlgorithm.TDES_2KEY;
  }

  static String hexFor(KeyAlgorithm alg) {
    return alg.isAes() ? AES : TDES;
  }

  @Test
  void theTableCoversEveryUsageAndKcvIsAlwaysAllowed() {
    for (KeyUsage u : KeyUsage.values()) {
      assertThat(u.permitted()).contains(Operation.KCV);
      assertThat(u.permits(Operation.IMPORT_CLEAR)).isTrue();
    }
    assertThat(KeyUsage.KEK.permits(Operation.DECRYPT)).isFalse();
    assertThat(KeyUsage.KEK.permits(Operation.CVV)).isFalse();
    assertThat(KeyUsage.CVK.permitted()).containsExactlyInAnyOrder(Operation.CVV, Operation.KCV);
  }

  @ParameterizedTest(name = "software {0} x {1}")
  @MethodSource("matrix")
  void softwareBackend(KeyUsage usage, Operation op) {
    SoftwareBackend sw = new SoftwareBackend();
    KeyAlgorithm alg = algorithmFor(op);
    try (ClearKeyRef key = ClearKeyRef.fromHex(alg, usage, hexFor(alg))) {
      check(usage, op, key.toString(), () -> run(sw, key, op));
    }
  }

  @ParameterizedTest(name = "SoftHSM2 {0} x {1}")
  @MethodSource("matrix")
  @Tag("softhsm2")
  void pkcs11Backend(KeyUsage usage, Operation op) {
    Pkcs11Backend hsm = SoftHsm.backendWithHalves();
    KeyAlgorithm alg = algorithmFor(op);
    TokenKeyRef key = (TokenKeyRef) hsm.importClear(KeyTemplate.of(SoftHsm.label("m-" + usage), alg, usage),
        Bytes.fromHex(hexFor(alg)));
    try {
      check(usage, op, "'" + key.label() + "'", () -> run(hsm, key, op));
    } finally {
      hsm.delete(key.label());
    }
  }

  static TestPayShield payShieldHsm;
  static PayShieldBackend payShield;

  @AfterAll
  static void stopPayShield() {
    if (payShield != null) {
      payShield.close();
      payShieldHsm.close();
    }
  }

  /**
   * The LMK key type a bureau gives a key of this usage for this operation (the type the operation's
   * host command takes): MAC and AC keys as TAKs, data keys as DEKs, KEKs as ZMKs (ProjectDefined).
   */
  static String payShieldType(KeyUsage usage, Operation op) {
    switch (op) {
      case ARQC: case ARPC: case MAC_ISO9797_1_ALG1: case MAC_ISO9797_1_ALG3: return ProjectDefined.TAK;
      case ENCRYPT: case DECRYPT: return ProjectDefined.DEK;
      case TRANSLATE: case TRANSLATE_PIN_BLOCK: return usage == KeyUsage.KEK ? ProjectDefined.ZMK : ProjectDefined.DEK;
      case IMPORT_UNDER_KEK: case EXPORT_UNDER_KEK: case KCV_UNDER_KEK: return ProjectDefined.ZMK;
      case CVV: return "402";
      case PVV: case IBM3624: return "002";
      default: return ProjectDefined.keyType(usage);
    }
  }

  @ParameterizedTest(name = "payShield {0} x {1}")
  @MethodSource("matrix")
  void payShieldBackend(KeyUsage usage, Operation op) {
    if (payShield == null) {
      payShieldHsm = TestPayShield.start();
      payShield = PayShieldBackend.builder().address("127.0.0.1", payShieldHsm.port()).build();
    }
    KeyAlgorithm alg = KeyAlgorithm.TDES_2KEY;
    String type = payShieldType(usage, op);
    CryptogramKeyRef key = PayShieldBackend.key(PayShieldPaymentVectorsTest.underTestLmk(TDES, type), usage, type);
    if (!payShield.capabilities().contains(op)) {
      assertThatThrownBy(() -> runPayShield(key, op)).isInstanceOf(CryptoException.class)
          .hasMessageContaining("does not support " + op);
      return;
    }
    check(usage, op, key.toString(), () -> runPayShield(key, op));
  }

  static void runPayShield(CryptogramKeyRef key, Operation op) {
    CryptogramKeyRef dek = PayShieldBackend.key(PayShieldPaymentVectorsTest.underTestLmk(
        "404142434445464748494A4B4C4D4E4F", ProjectDefined.DEK), KeyUsage.DEK);
    switch (op) {
      case TRANSLATE:
        assertThat(payShield.translate(key, CipherSpec.ecb(), dek, CipherSpec.ecb(), DATA16)).isNotNull();
        break;
      case EXPORT_UNDER_KEK:
        assertThat(payShield.exportUnderKek(dek, key)).isNotNull();
        break;
      case TRANSLATE_PIN_BLOCK: {
        SoftwareBackend sw = new SoftwareBackend();
        Bytes underKey = sw.encrypt(ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.KEK, TDES), CipherSpec.ecb(),
            PinBlock.encode(PinBlock.Format.ISO_1, "1234", null));
        assertThat(payShield.translatePinBlock(PinBlockTranslation.from(key, PinBlock.Format.ISO_1)
            .to(dek, PinBlock.Format.ISO_2).build(), underKey)).isNotNull();
        break;
      }
      default:
        run(payShield, key, op);
    }
  }

  static void check(KeyUsage usage, Operation op, String keyName, Runnable call) {
    if (usage.permits(op)) {
      call.run();
    } else {
      assertThatThrownBy(call::run).isInstanceOf(CryptoException.class)
          .hasMessageContaining(keyName).hasMessageContaining("usage " + usage).hasMessageContaining(op.name());
    }
  }

  /** Runs {@code op} with {@code key} as the operation's (first) key and checks the result is there. */
  static void run(CryptoBackend b, KeyRef key, Operation op) {
    SoftwareBackend sw = new SoftwareBackend();
    ClearKeyRef same = ClearKeyRef.fromHex(key.algorithm(), KeyUsage.KEK, hexFor(key.algorithm()));
    ClearKeyRef other = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.DATA, "404142434445464748494A4B4C4D4E4F");
    Object result;
    switch (op) {
      case ENCRYPT: result = b.encrypt(key, CipherSpec.ecb(), DATA16); break;
      case DECRYPT: result = b.decrypt(key, CipherSpec.ecb(), DATA16); break;
      case TRANSLATE: result = b.translate(key, CipherSpec.ecb(), other, CipherSpec.ecb(), DATA16); break;
      case TRANSLATE_PIN_BLOCK: {
        Bytes underKey = sw.encrypt(same, CipherSpec.ecb(), PinBlock.encode(PinBlock.Format.ISO_1, "1234", null));
        try (ClearKeyRef dek = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.DEK, "404142434445464748494A4B4C4D4E4F")) {
          result = b.translatePinBlock(PinBlockTranslation.from(key, PinBlock.Format.ISO_1)
              .to(dek, PinBlock.Format.ISO_2).build(), underKey);
        }
        break;
      }
      case MAC_ISO9797_1_ALG1: result = b.mac(key, MacAlgorithm.ISO9797_1_ALG1, Padding.METHOD_2, DATA20); break;
      case MAC_ISO9797_1_ALG3: result = b.mac(key, MacAlgorithm.ISO9797_1_ALG3, Padding.METHOD_2, DATA20); break;
      case MAC_CMAC: result = b.mac(key, MacAlgorithm.CMAC, Padding.NONE, DATA20); break;
      case KCV: result = b.kcv(key, KcvMethod.ENCRYPT_ZEROS); break;
      case IMPORT_UNDER_KEK: {
        Bytes wrapped = sw.exportUnderKek(other, same);
        result = b.importUnderKek(KeyTemplate.of(SoftHsm.label("imp"), KeyAlgorithm.TDES_2KEY, KeyUsage.DATA), key,
            wrapped, sw.kcv(other, KcvMethod.ENCRYPT_ZEROS).value());
        break;
      }
      case EXPORT_UNDER_KEK: {
        // both modes go through the same usage check; CBC (GP SCP03 key wrapping) chains the second block
        Bytes cbc = b.exportUnderKek(other, key, CipherSpec.cbcZeroIv());
        result = b.exportUnderKek(other, key);
        assertThat(cbc).isEqualTo(sw.exportUnderKek(other, same, CipherSpec.cbcZeroIv()));
        assertThat(cbc.slice(0, 8)).isEqualTo(((Bytes) result).slice(0, 8));
        assertThat(cbc).isNotEqualTo(result);
        break;
      }
      case KCV_UNDER_KEK: {
        Bytes wrapped = sw.exportUnderKek(other, same);
        Kcv kcv = b.kcvUnderKek(key, KeyAlgorithm.TDES_2KEY, wrapped, KcvMethod.ENCRYPT_ZEROS, 3);
        assertThat(kcv).isEqualTo(sw.kcv(other, KcvMethod.ENCRYPT_ZEROS));
        result = kcv;
        break;
      }
      case TR31_EXPORT: result = b.exportTr31(other, key, header()); break;
      case TR31_IMPORT: result = b.importTr31(KeyTemplate.of(SoftHsm.label("tr31"), KeyAlgorithm.TDES_2KEY,
          KeyUsage.DATA), key, sw.exportTr31(other, same, header())); break;
      case DERIVE_EMV_OPTION_A: result = b.derive(key, Derivation.emvOptionA("5413330089020011", "03")); break;
      case DERIVE_EMV_OPTION_B: result = b.derive(key, Derivation.emvOptionB("5413330089020011", "03")); break;
      case DERIVE_EMV_COMMON_SK: result = b.derive(key, Derivation.emvCommonSessionKey(Bytes.fromHex("001C000000000000")));
        break;
      case DERIVE_MASTERCARD_SKD: result = b.derive(key, Derivation.mastercardSkd(Bytes.fromHex("001C"),
          Bytes.fromHex("11223344"))); break;
      case DERIVE_GP_SCP02: result = b.derive(key, Derivation.gpScp02(Derivation.Scp02Key.S_ENC, Bytes.fromHex("0007")));
        break;
      case DERIVE_GP_SCP03: result = b.derive(key, Derivation.gpScp03(Derivation.Scp03Key.S_ENC,
          Bytes.fromHex("00112233445566778899AABBCCDDEEFF"))); break;
      case DERIVE_GP_EMV_CPS: result = b.derive(key, Derivation.gpDiversification(
          Derivation.GpDiversification.Method.EMV_CPS, Derivation.GpCardKey.ENC, Bytes.fromHex("00010203040506070809")));
        break;
      case DERIVE_GP_VISA2: result = b.derive(key, Derivation.gpDiversification(
          Derivation.GpDiversification.Method.VISA2, Derivation.GpCardKey.ENC, Bytes.fromHex("00010203040506070809")));
        break;
      case DERIVE_GP_KDF3: result = b.derive(key, Derivation.gpDiversification(
          Derivation.GpDiversification.Method.KDF3, Derivation.GpCardKey.ENC, Bytes.fromHex("00010203040506070809")));
        break;
      case DERIVE_GP_TEMPLATE: result = b.derive(key, Derivation.gpTemplate(Derivation.GpCardKey.ENC,
          java.util.List.of(DATA16), false, KeyAlgorithm.TDES_2KEY)); break;
      case ARQC: result = b.arqc(key, Padding.EMV, DATA20); break;
      case ARPC: result = b.arpc(key, Bytes.fromHex("1234567890ABCDEF"), Bytes.fromHex("0000")); break;
      case CVV: result = b.cvv(key, CvvInput.of("4123456789012345", "8701", "101")); break;
      case PVV: result = b.pvv(key, "1122334455667788", 3, "4524"); break;
      case IBM3624: result = b.ibm3624NaturalPin(key, Ibm3624.of("1122334455667788", "1234567890123456", 4)); break;
      default: throw new AssertionError("no invocation for " + op + ": add one");
    }
    assertThat(result).isNotNull();
    if (result instanceof ClearKeyRef) {
      ((ClearKeyRef) result).close();
    } else if (result instanceof TokenKeyRef && b instanceof Pkcs11Backend) {
      ((Pkcs11Backend) b).delete(((TokenKeyRef) result).label());
    }
    same.close();
    other.close();
  }

  static Tr31Header header() {
    return Tr31Header.builder().version(Tr31Header.Version.B).keyUsage("D0").algorithm('T').modeOfUse('B').build();
  }
}
