package dev.perso.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import dev.perso.core.CryptoException;
import dev.perso.core.ValidationException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link Pkcs11Backend} on a fresh SoftHSM2 token: public vectors with master keys inside the token. */
@Tag("softhsm2")
class Pkcs11BackendTest {
  Pkcs11Backend hsm;

  @BeforeEach
  void token() {
    hsm = SoftHsm.backend();
  }

  TokenKeyRef imported(String hex, KeyAlgorithm alg, KeyUsage usage) {
    return (TokenKeyRef) hsm.importClear(KeyTemplate.of(SoftHsm.label(usage.name()), alg, usage), Bytes.fromHex(hex));
  }

  TokenKeyRef tdes(String hex) {
    return tdes(hex, KeyUsage.DATA);
  }

  TokenKeyRef tdes(String hex, KeyUsage usage) {
    return imported(hex, KeyAlgorithm.desForLength(hex.length() / 2), usage);
  }

  /** Imported into the backend with the opt-in key-halves policy (alg 3, ARQC, CVV). */
  TokenKeyRef withHalves(String hex, KeyUsage usage) {
    return (TokenKeyRef) SoftHsm.backendWithHalves().importClear(KeyTemplate.of(SoftHsm.label(usage.name()),
        KeyAlgorithm.desForLength(hex.length() / 2), usage), Bytes.fromHex(hex));
  }

  @Test
  void doubleLengthKeyIsOneTokenObjectAndHalvesAreNeverAddressable() {
    TokenKeyRef imk = imported("0123456789ABCDEFFEDCBA9876543210", KeyAlgorithm.TDES_2KEY, KeyUsage.IMK_AC);
    assertThat(hsm.contains(imk.label())).isTrue();
    assertThat(hsm.contains(imk.label() + "#K1")).isFalse();
    assertThat(hsm.contains(imk.label() + "#K2")).isFalse();
    assertThatThrownBy(() -> hsm.key(imk.label() + "#K1", KeyAlgorithm.DES, KeyUsage.DATA))
        .isInstanceOf(CryptoException.class).hasMessageContaining("never usable by label");
    assertThatThrownBy(() -> hsm.encrypt(TokenKeyRef.of(imk.label() + "#K2", KeyAlgorithm.DES, KeyUsage.DATA),
        CipherSpec.ecb(), Bytes.fromHex("0000000000000000"))).isInstanceOf(CryptoException.class);
  }

  @Test
  void retailMacOfOneBlockUsesTheWholeKeyAndLongerMessagesNeedTheOptInPolicy() {
    TokenKeyRef mac = tdes("0123456789ABCDEFFEDCBA9876543210");
    // #29 pyemv sm.py doctest (generate_command_mac): one padded block = the token's 3DES, no halves
    assertThat(hsm.mac(mac, MacAlgorithm.ISO9797_1_ALG3, Padding.METHOD_2, Bytes.fromHex("8424000008")).toHex())
        .isEqualTo("0BFFF5DF3FAA24E1");
    assertThat(hsm.keyHalvesPolicy()).isEmpty();
    assertThatThrownBy(() -> hsm.mac(mac, MacAlgorithm.ISO9797_1_ALG3, Padding.METHOD_2, Bytes.fromHex("8424000008AA")
        .concat(Bytes.fromHex("0102030405")))).isInstanceOf(CryptoException.class)
        .hasMessageContaining("allowKeyHalvesInJvm(MAC_ISO9797_1_ALG3)");
    TokenKeyRef cvk = tdes("0123456789ABCDEFFEDCBA9876543210", KeyUsage.CVK);
    assertThatThrownBy(() -> hsm.cvv(cvk, CvvInput.of("4123456789012345", "8701", "101")))
        .isInstanceOf(CryptoException.class).hasMessageContaining("allowKeyHalvesInJvm(CVV)");
    assertThatThrownBy(() -> Pkcs11Backend.builder().allowKeyHalvesInJvm(java.util.Set.of(Operation.DECRYPT)))
        .isInstanceOf(ValidationException.class);
    // with the policy: C1 ilya-dubinsky/cfpp:c/test/test_magstripe.c (classic)
    assertThat(SoftHsm.backendWithHalves().cvv(withHalves("0123456789ABCDEFFEDCBA9876543210", KeyUsage.CVK),
        CvvInput.of("4123456789012345", "8701", "101"))).isEqualTo("561");
    // ... but only for keys imported through it: a key from elsewhere has no halves in this JVM
    assertThatThrownBy(() -> SoftHsm.backendWithHalves().cvv(cvk, CvvInput.of("4123456789012345", "8701", "101")))
        .isInstanceOf(CryptoException.class).hasMessageContaining("imported through it");
  }

  @Test
  void aTokenKeysUsageIsPinnedSoAReferenceCannotClaimAnother() {
    TokenKeyRef kek = tdes("404142434445464748494A4B4C4D4E4F", KeyUsage.KEK);
    assertThatThrownBy(() -> hsm.decrypt(kek, CipherSpec.ecb(), Bytes.fromHex("0000000000000000")))
        .isInstanceOf(CryptoException.class).hasMessageContaining("'" + kek.label() + "'")
        .hasMessageContaining("KEK").hasMessageContaining("DECRYPT");
    TokenKeyRef asDek = TokenKeyRef.of(kek.label(), KeyAlgorithm.TDES_2KEY, KeyUsage.DEK);
    assertThatThrownBy(() -> hsm.decrypt(asDek, CipherSpec.ecb(), Bytes.fromHex("0000000000000000")))
        .isInstanceOf(CryptoException.class).hasMessageContaining("has usage KEK");
  }

  @Test
  void importedKeyIsATokenObjectWithKcv() {
    // #1 pyemv tools.py doctest: KCV 08D7B4
    TokenKeyRef imk = imported("0123456789ABCDEFFEDCBA9876543210", KeyAlgorithm.TDES_2KEY, KeyUsage.IMK_AC);
    assertThat(imk.kcv()).hasValueSatisfying(k -> assertThat(k.hex()).isEqualTo("08D7B4"));
    assertThat(hsm.kcv(imk, KcvMethod.ENCRYPT_ZEROS).hex()).isEqualTo("08D7B4");
    assertThat(hsm.contains(imk.label())).isTrue();
    assertThat(hsm.key(imk.label(), KeyAlgorithm.TDES_2KEY, KeyUsage.IMK_AC)).isEqualTo(TokenKeyRef.of(imk.label(),
        KeyAlgorithm.TDES_2KEY, KeyUsage.IMK_AC));
    assertThat(imk.toString()).doesNotContain("0123456789ABCDEF");
    // non-extractable: export of a token key is refused
    TokenKeyRef kek = tdes("404142434445464748494A4B4C4D4E4F", KeyUsage.KEK);
    assertThatThrownBy(() -> hsm.exportUnderKek(imk, kek)).isInstanceOf(CryptoException.class)
        .hasMessageContaining("not extractable");
  }

  @ParameterizedTest(name = "#{0} ICC MK option {1} in token")
  @CsvSource({
    // #6 pyemv kd.derive_icc_mk_a doctest
    "6, A, 12345678901234567, 01, 73AD54688CEF2934B0979857E3C719F1",
    // #7 pyemv kd module doctest
    "7, A, 99012345678901234, 45, 67F8292358083E5EA7AB7FDA58D53B6B",
    // #8 pyemv kd.derive_icc_mk_b doctest
    "8, B, 12345678901234567, 01, AD406D7F6D7570916D75E5DCAB8CF737",
  })
  void iccMasterKey(int row, String option, String pan, String psn, String expected) {
    TokenKeyRef imk = imported("0123456789ABCDEFFEDCBA9876543210", KeyAlgorithm.TDES_2KEY, KeyUsage.IMK_AC);
    Derivation d = option.equals("A") ? Derivation.emvOptionA(pan, psn) : Derivation.emvOptionB(pan, psn);
    try (ClearKeyRef mk = (ClearKeyRef) hsm.derive(imk, d)) {
      assertThat(mk.toSecretBytes().toHex()).isEqualTo(expected);
    }
  }

  @Test
  void sessionKeysMacsAndCardValues() {
    TokenKeyRef mk = tdes("0123456789ABCDEFFEDCBA9876543210");
    TokenKeyRef imk = tdes("0123456789ABCDEFFEDCBA9876543210", KeyUsage.IMK_AC);
    TokenKeyRef pvk = tdes("0123456789ABCDEFFEDCBA9876543210", KeyUsage.PVK);
    Pkcs11Backend halves = SoftHsm.backendWithHalves();
    // #11 pyemv derive_common_sk doctest
    assertThat(((ClearKeyRef) hsm.derive(imk, Derivation.emvCommonSessionKey(Bytes.fromHex("001C000000000000"))))
        .toSecretBytes().toHex()).isEqualTo("E9FB384AF807B940FEDCEA613461B0C4");
    // #14 pyemv ac.py module doctest (session key held in the token here)
    assertThat(halves.arqc(withHalves("29B33180E567CE38EA4CBC9D753B0E61", KeyUsage.IMK_AC), Padding.EMV,
        Bytes.fromHex("0123456789ABCDEF0123456789ABCDEF")).toHex()).isEqualTo("FA624250B008B59A");
    // #15 pyemv generate_arpc_1 doctest
    assertThat(hsm.arpc(tdes("AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB", KeyUsage.IMK_AC), Bytes.fromHex("1234567890ABCDEF"),
        Bytes.fromHex("0000")).toHex()).isEqualTo("F5E6F44147E2F1B0");
    // #29 pyemv sm.py doctest (generate_command_mac)
    assertThat(hsm.mac(mk, MacAlgorithm.ISO9797_1_ALG3, Padding.METHOD_2, Bytes.fromHex("8424000008")).toHex())
        .isEqualTo("0BFFF5DF3FAA24E1");
    // #34 knovichikhin/psec generate_cbc_mac doctest
    assertThat(hsm.mac(mk, MacAlgorithm.ISO9797_1_ALG1, Padding.METHOD_2, Bytes.fromHex("1234567890ABCDEF")).toHex())
        .isEqualTo("925B1737EF681AD3");
    // #3 pyemv tools.encrypt_tdes_ecb doctest ("12345678")
    assertThat(hsm.encrypt(mk, CipherSpec.ecb(), Bytes.fromHex("3132333435363738")).toHex()).isEqualTo("41D2FFBA3CDC15FE");
    // C1 ilya-dubinsky/cfpp:c/test/test_magstripe.c (classic)
    assertThat(halves.cvv(withHalves("0123456789ABCDEFFEDCBA9876543210", KeyUsage.CVK),
        CvvInput.of("4123456789012345", "8701", "101"))).isEqualTo("561");
    // P1 knovichikhin/psec:psec/pin.py doctest
    assertThat(hsm.pvv(pvk, "1122334455667788", 3, "4524")).isEqualTo("4021");
    // X1 knovichikhin/psec:tests/test_pin.py
    assertThat(hsm.ibm3624NaturalPin(pvk, Ibm3624.of("1122334455667788", "1234567890123456", 4))).isEqualTo("4524");
  }

  @Test
  void aesAndCmacInToken() {
    TokenKeyRef nist = imported("2b7e151628aed2a6abf7158809cf4f3c", KeyAlgorithm.AES_128, KeyUsage.MAC);
    // #38 bcgit/bc-java CMacTest.java = NIST SP 800-38B D.1 Example 3 (40 bytes)
    assertThat(hsm.mac(nist, MacAlgorithm.CMAC, Padding.NONE, Bytes.fromHex(
        "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411")).toHex())
        .isEqualTo("DFA66747DE9AE63030CA32611497C827");
    // #5 knovichikhin/psec aes.py doctest, CBC IV 0 over FF*32
    TokenKeyRef aes = imported("0123456789ABCDEFFEDCBA9876543210", KeyAlgorithm.AES_128, KeyUsage.DATA);
    assertThat(hsm.encrypt(aes, CipherSpec.cbcZeroIv(), Bytes.fromHex("FF".repeat(32))).toHex())
        .isEqualTo("592373540AE1B202615E6D210D868A8C6593A91B63F201B28860C4DE39375EB4");
  }

  @Test
  void gpKeysInToken() {
    TokenKeyRef kmc = imported("404142434445464748494A4B4C4D4E4F", KeyAlgorithm.TDES_2KEY, KeyUsage.KMC);
    // #48 miketlk/omfgp tests/omfgp/scp02_test.py
    assertThat(((ClearKeyRef) hsm.derive(kmc, Derivation.gpScp02(Derivation.Scp02Key.S_ENC, Bytes.fromHex("0007"))))
        .toSecretBytes().toHex()).isEqualTo("A2268F71917EFE0F33CC6166E1154E27");
    // #50 martinpaljak/GlobalPlatformPro TestPlaintextKeys.java testDiversification_EMV_SCP02: ENC KCV C33013
    KeyRef enc = hsm.derive(kmc, Derivation.gpDiversification(Derivation.GpDiversification.Method.EMV_CPS,
        Derivation.GpCardKey.ENC, Bytes.fromHex("00010203040506070809")));
    assertThat(hsm.kcv(enc, KcvMethod.ENCRYPT_ZEROS).hex()).isEqualTo("C33013");
  }

  @Test
  void componentsAndKekImport() {
    SoftwareBackend sw = new SoftwareBackend();
    KeyTemplate t = KeyTemplate.of("x", KeyAlgorithm.TDES_2KEY, KeyUsage.CVK);
    Bytes c1 = Bytes.fromHex("11111111111111112222222222222222");
    Bytes c2 = Bytes.fromHex("0123456789ABCDEFFEDCBA9876543210").xor(c1);
    KeyComponent k1 = KeyComponent.of(c1, kcvOf(sw, c1));
    KeyComponent k2 = KeyComponent.of(c2, kcvOf(sw, c2));
    Pkcs11Backend halves = SoftHsm.backendWithHalves();
    KeyRef cvk = halves.importComponents(KeyTemplate.of(SoftHsm.label("CVK"), t.algorithm(), t.usage()), List.of(k1, k2));
    // #1 pyemv tools.py doctest: the formed key is 0123..3210, KCV 08D7B4
    assertThat(cvk.kcv().orElseThrow().hex()).isEqualTo("08D7B4");
    // C5 knovichikhin/psec:psec/cvv.py doctest with the formed key
    assertThat(halves.cvv(cvk, CvvInput.of("1234567890123456", "9912", "220"))).isEqualTo("170");
    KeyComponent bad = KeyComponent.of(c2, Bytes.fromHex("000000"));
    assertThatThrownBy(() -> hsm.importComponents(KeyTemplate.of(SoftHsm.label("CVK"), t.algorithm(), t.usage()),
        List.of(k1, bad))).isInstanceOf(CryptoException.class).hasMessageContaining("component 2");

    TokenKeyRef kek = tdes("404142434445464748494A4B4C4D4E4F", KeyUsage.KEK);
    Bytes cryptogram = sw.encrypt(ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.KEK,
        "404142434445464748494A4B4C4D4E4F"), CipherSpec.ecb(), Bytes.fromHex("0123456789ABCDEFFEDCBA9876543210"));
    KeyRef imported = hsm.importUnderKek(KeyTemplate.of(SoftHsm.label("PVK"), KeyAlgorithm.TDES_2KEY, KeyUsage.PVK),
        kek, cryptogram, Bytes.fromHex("08D7B4"));
    // P2 knovichikhin/psec:tests/test_pin.py
    assertThat(hsm.pvv(imported, "1122334455667788", 1, "4524")).isEqualTo("8523");
    assertThatThrownBy(() -> hsm.importClear(KeyTemplate.of(((TokenKeyRef) imported).label(), KeyAlgorithm.TDES_2KEY,
        KeyUsage.PVK), Bytes.fromHex("0123456789ABCDEFFEDCBA9876543210")))
        .isInstanceOf(ValidationException.class).hasMessageContaining("already exists");
  }

  static Bytes kcvOf(SoftwareBackend sw, Bytes key) {
    return sw.kcv(ClearKeyRef.of(KeyAlgorithm.TDES_2KEY, KeyUsage.CVK, key), KcvMethod.ENCRYPT_ZEROS).value();
  }
}
