package dev.perso.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perso.core.Bytes;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every public vector of notes/crypto-hsm.md §3.2 and notes/magstripe-surface.md §2, against
 * {@link SoftwareBackend}. Row numbers are the notes' stable identifiers; each row cites its source.
 */
class VectorsTest {
  static final SoftwareBackend SW = new SoftwareBackend();

  @AfterAll
  static void close() {
    SW.close();
  }

  static ClearKeyRef tdes(String hex) {
    return tdes(hex, KeyUsage.DATA);
  }

  static ClearKeyRef tdes(String hex, KeyUsage usage) {
    return ClearKeyRef.fromHex(KeyAlgorithm.desForLength(hex.length() / 2), usage, hex);
  }

  static ClearKeyRef aes(String hex) {
    return ClearKeyRef.fromHex(KeyAlgorithm.aesForLength(hex.length() / 2), KeyUsage.DATA, hex);
  }

  static Bytes h(String hex) {
    return Bytes.fromHex(hex);
  }

  static Bytes ascii(String s) {
    return Bytes.of(s.getBytes(StandardCharsets.US_ASCII));
  }

  static String keyHex(KeyRef k) {
    return ((ClearKeyRef) k).toSecretBytes().toHex();
  }

  @ParameterizedTest(name = "#1 KCV length {1}")
  @CsvSource({
    // #1 pyemv tools.py doctest (knovichikhin/pyemv cf6b82d7); psec des.generate_kcv: 08D7
    "0123456789ABCDEFFEDCBA9876543210, 2, 08D7",
    // #1 same source, full ECB(0) = 08D7B4FB629D0885 (payShield/GP 3-byte convention)
    "0123456789ABCDEFFEDCBA9876543210, 3, 08D7B4",
    "0123456789ABCDEFFEDCBA9876543210, 8, 08D7B4FB629D0885",
  })
  void kcvEncryptZeros(String key, int length, String expected) {
    assertThat(SW.kcv(tdes(key), KcvMethod.ENCRYPT_ZEROS, length).hex()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "#3 TDES {1}")
  @CsvSource({
    // #3 pyemv tools.encrypt_tdes_ecb doctest: 41D2FFBA3CDC15FE
    "0123456789ABCDEFFEDCBA9876543210, ECB, 41D2FFBA3CDC15FE",
    // #3 pyemv tools.encrypt_tdes_cbc doctest (IV 0): 41D2FFBA3CDC15FE
    "0123456789ABCDEFFEDCBA9876543210, CBC, 41D2FFBA3CDC15FE",
  })
  void tdesAscii(String key, CipherMode mode, String expected) {
    CipherSpec spec = mode == CipherMode.ECB ? CipherSpec.ecb() : CipherSpec.cbcZeroIv();
    Bytes ct = SW.encrypt(tdes(key), spec, ascii("12345678"));
    assertThat(ct.toHex()).isEqualTo(expected);
    assertThat(SW.decrypt(tdes(key), spec, ct)).isEqualTo(ascii("12345678"));
  }

  @ParameterizedTest(name = "#{0} AES {1}")
  @CsvSource({
    // #4 knovichikhin/psec aes.py doctest: 592373540AE1B202615E6D210D868A8C
    "4, ECB, FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF, 592373540AE1B202615E6D210D868A8C",
    // #5 knovichikhin/psec aes.py doctest, IV 0
    "5, CBC, FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF, "
        + "592373540AE1B202615E6D210D868A8C6593A91B63F201B28860C4DE39375EB4",
  })
  void aesVectors(int row, CipherMode mode, String data, String expected) {
    ClearKeyRef k = aes("0123456789ABCDEFFEDCBA9876543210");
    CipherSpec spec = mode == CipherMode.ECB ? CipherSpec.ecb() : CipherSpec.cbcZeroIv();
    assertThat(SW.encrypt(k, spec, h(data)).toHex()).isEqualTo(expected);
    assertThat(SW.decrypt(k, spec, h(expected))).isEqualTo(h(data));
  }

  @ParameterizedTest(name = "#{0} ICC MK option {1}")
  @CsvSource({
    // #6 pyemv kd.derive_icc_mk_a doctest
    "6, A, 12345678901234567, 01, 73AD54688CEF2934B0979857E3C719F1",
    // #7 pyemv kd module doctest
    "7, A, 99012345678901234, 45, 67F8292358083E5EA7AB7FDA58D53B6B",
    // #8 pyemv kd.derive_icc_mk_b doctest
    "8, B, 12345678901234567, 01, AD406D7F6D7570916D75E5DCAB8CF737",
  })
  void iccMasterKey(int row, String option, String pan, String psn, String expected) {
    ClearKeyRef imk = tdes("0123456789ABCDEFFEDCBA9876543210").withUsage(KeyUsage.IMK_AC);
    Derivation d = option.equals("A") ? Derivation.emvOptionA(pan, psn) : Derivation.emvOptionB(pan, psn);
    KeyRef mk = SW.derive(imk, d);
    assertThat(mk.algorithm()).isEqualTo(KeyAlgorithm.TDES_2KEY);
    assertThat(mk.usage()).isEqualTo(KeyUsage.IMK_AC);
    assertThat(keyHex(mk)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "#11 common session key")
  @CsvSource({
    // #11 pyemv derive_common_sk doctest (parity-adjusted)
    "0123456789ABCDEFFEDCBA9876543210, 001C000000000000, E9FB384AF807B940FEDCEA613461B0C4",
  })
  void commonSessionKey(String mk, String r, String expected) {
    assertThat(keyHex(SW.derive(tdes(mk, KeyUsage.IMK_AC), Derivation.emvCommonSessionKey(h(r))))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "#14 ARQC")
  @CsvSource({
    // #14 pyemv ac.py module doctest, padding method 2 (EMV)
    "29B33180E567CE38EA4CBC9D753B0E61, 0123456789ABCDEF0123456789ABCDEF, FA624250B008B59A",
  })
  void arqc(String sk, String data, String expected) {
    assertThat(SW.arqc(tdes(sk, KeyUsage.IMK_AC), Padding.EMV, h(data)).toHex()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "#15 ARPC method 1")
  @CsvSource({
    // #15 pyemv generate_arpc_1 doctest
    "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB, 1234567890ABCDEF, 0000, F5E6F44147E2F1B0",
  })
  void arpc(String sk, String arqc, String arc, String expected) {
    assertThat(SW.arpc(tdes(sk, KeyUsage.IMK_AC), h(arqc), h(arc)).toHex()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "#{0} {1} {2}")
  @CsvSource({
    // #26 knovichikhin/psec tests/test_mac.py: alg 3, K=41.. K'=42.., 'hello world', pad 1
    "26, ISO9797_1_ALG3, METHOD_1, 41414141414141414242424242424242, 68656C6C6F20776F726C64, 3DDE5C5511661CBF",
    // #27 knovichikhin/psec tests/test_mac.py: same, pad 2
    "27, ISO9797_1_ALG3, METHOD_2, 41414141414141414242424242424242, 68656C6C6F20776F726C64, E16941032C3BC7D4",
    // #29 pyemv sm.py doctest (generate_command_mac)
    "29, ISO9797_1_ALG3, METHOD_2, 0123456789ABCDEFFEDCBA9876543210, 8424000008, 0BFFF5DF3FAA24E1",
    // #32 knovichikhin/psec tests/test_mac.py: alg 1 (3DES CBC-MAC), pad 1
    "32, ISO9797_1_ALG1, METHOD_1, AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB, 68656C6C6F20776F726C64, 68D9038F23360DF3",
    // #34 knovichikhin/psec generate_cbc_mac doctest, pad 2
    "34, ISO9797_1_ALG1, METHOD_2, 0123456789ABCDEFFEDCBA9876543210, 1234567890ABCDEF, 925B1737EF681AD3",
  })
  void iso9797Macs(int row, MacAlgorithm alg, Padding pad, String key, String data, String expected) {
    assertThat(SW.mac(tdes(key), alg, pad, h(data)).toHex()).isEqualTo(expected);
    assertThat(SW.verifyMac(tdes(key), alg, pad, h(data), h(expected).slice(0, 4))).isTrue();
    assertThat(SW.verifyMac(tdes(key), alg, pad, h(data), h("00000000"))).isFalse();
  }

  @ParameterizedTest(name = "#35 {1} over {0} (block {2})")
  @CsvSource({
    // #35 knovichikhin/psec tests/test_mac.py padding rows
    "1234, METHOD_1, 8, 1234000000000000",
    "1234, METHOD_2, 8, 1234800000000000",
    "1234, METHOD_3, 8, 00000000000000101234000000000000",
    "1234567890123456, METHOD_2, 8, 12345678901234568000000000000000",
    "'', METHOD_1, 4, 00000000",
    "'', METHOD_2, 4, 80000000",
  })
  void padding(String data, Padding pad, int block, String expected) {
    assertThat(pad.apply(h(data), block).toHex()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "#{0} CMAC")
  @CsvSource({
    // #36-39 bcgit/bc-java core/src/test/java/org/bouncycastle/crypto/test/CMacTest.java (2ef080ac) = NIST SP 800-38B D.1 Ex 1-4
    "36, 2b7e151628aed2a6abf7158809cf4f3c, 0, BB1D6929E95937287FA37D129B756746",
    "37, 2b7e151628aed2a6abf7158809cf4f3c, 16, 070A16B46B4D4144F79BDD9DD04A287C",
    "38, 2b7e151628aed2a6abf7158809cf4f3c, 40, DFA66747DE9AE63030CA32611497C827",
    "39, 2b7e151628aed2a6abf7158809cf4f3c, 64, 51F0BEBF7E3B9D92FC49741779363CFE",
    // #42 NIST SP 800-38B D.4 Examples 13-16 (TDEA 3-key), as quoted in public repos
    "42, 8aa83bf8cbda10620bc1bf19fbb6cd58bc313d4a371ca8b5, 0, B7A688E122FFAF95",
    "42, 8aa83bf8cbda10620bc1bf19fbb6cd58bc313d4a371ca8b5, 8, 8E8F293136283797",
    "42, 8aa83bf8cbda10620bc1bf19fbb6cd58bc313d4a371ca8b5, 20, 743DDBE0CE2DC2ED",
    "42, 8aa83bf8cbda10620bc1bf19fbb6cd58bc313d4a371ca8b5, 32, 33E6B1092400EAE5",
  })
  void cmac(int row, String key, int length, String expected) {
    String msg = "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
        + "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";
    ClearKeyRef k = key.length() == 32 ? aes(key) : tdes(key);
    Bytes data = h(msg).slice(0, length);
    assertThat(SW.mac(k, MacAlgorithm.CMAC, Padding.NONE, data).toHex()).isEqualTo(expected);
    // a second call runs on the cached engine and subkeys
    assertThat(SW.mac(k, MacAlgorithm.CMAC, Padding.NONE, data).toHex()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "#{0} SCP02 {1}")
  @CsvSource({
    // #46 miketlk/omfgp tests/omfgp/scp02_test.py
    "46, C_MAC, 0007, 7A227D376A9DBE23AB50B7DCB45B2093",
    // #47 miketlk/omfgp tests/omfgp/scp02_test.py
    "47, R_MAC, 0007, EF14C57DB4BB9015E88963D9D920A588",
    // #48 miketlk/omfgp tests/omfgp/scp02_test.py
    "48, S_ENC, 0007, A2268F71917EFE0F33CC6166E1154E27",
  })
  void scp02SessionKeys(int row, Derivation.Scp02Key key, String seq, String expected) {
    ClearKeyRef s = tdes("404142434445464748494A4B4C4D4E4F", KeyUsage.KMC);
    KeyRef k = SW.derive(s, Derivation.gpScp02(key, h(seq)));
    assertThat(keyHex(k)).isEqualTo(expected);
    assertThat(k.usage()).isEqualTo(key.usage());
  }

  @ParameterizedTest(name = "#49 SCP02 seq 0000 {0} KCV")
  @CsvSource({
    // #49 martinpaljak/GlobalPlatformPro TestPlaintextKeys.java testSessionKeys_SCP02 (236a610a)
    "S_ENC, F2DCDD",
    "C_MAC, 5FCC69",
    "DEK, 85272E",
    "R_MAC, 9F749A",
  })
  void scp02Kcvs(Derivation.Scp02Key key, String kcv) {
    KeyRef k = SW.derive(tdes("404142434445464748494A4B4C4D4E4F", KeyUsage.KMC), Derivation.gpScp02(key, h("0000")));
    assertThat(SW.kcv(k, KcvMethod.ENCRYPT_ZEROS).hex()).isEqualTo(kcv);
  }

  @ParameterizedTest(name = "#50 EMV-CPS diversification {0}")
  @CsvSource({
    // #50 martinpaljak/GlobalPlatformPro TestPlaintextKeys.java testDiversification_EMV_SCP02 (236a610a)
    "ENC, C33013",
    "MAC, 6F4CA6",
    "DEK, BB8179",
  })
  void emvCpsDiversification(Derivation.GpCardKey key, String kcv) {
    KeyRef k = SW.derive(tdes("404142434445464748494A4B4C4D4E4F", KeyUsage.KMC),
        Derivation.gpDiversification(Derivation.GpDiversification.Method.EMV_CPS, key, h("00010203040506070809")));
    assertThat(SW.kcv(k, KcvMethod.ENCRYPT_ZEROS).hex()).isEqualTo(kcv);
  }

  @ParameterizedTest(name = "{0} CVV")
  @CsvSource({
    // C1 ilya-dubinsky/cfpp:c/test/test_magstripe.c (classic); 3DES output 5B614982E03C97DD
    "C1, 0123456789ABCDEF, FEDCBA9876543210, 4123456789012345, 8701, 101, 561",
    // C5 knovichikhin/psec:psec/cvv.py (doctest); 3DES output B170E2B8F427BF99
    "C5, 0123456789ABCDEF, FEDCBA9876543210, 1234567890123456, 9912, 220, 170",
    // C6 knovichikhin/psec:tests/test_cvv.py; 3DES output 361119AD0519E4AF
    "C6, 9999999999999999, 8888888888888888, 2222222222222222, 3333, 111, 361",
  })
  void cvv(String row, String a, String b, String pan, String exp, String sc, String expected) {
    assertThat(SW.cvv(tdes(a + b, KeyUsage.CVK), CvvInput.of(pan, exp, sc))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} PVV")
  @CsvSource({
    // P1 knovichikhin/psec:psec/pin.py doctest (TSP 3344556677834524)
    "P1, 3, 4524, 1122334455667788, 4021",
    // P2 knovichikhin/psec:tests/test_pin.py (TSP 3344556677814524)
    "P2, 1, 4524, 1122334455667788, 8523",
    // P3 knovichikhin/psec:tests/test_pin.py (TSP 3344556677821912)
    "P3, 2, 1912, 1122334455667788, 3244",
  })
  void pvv(String row, int pvki, String pin, String pan, String expected) {
    assertThat(SW.pvv(tdes("0123456789ABCDEFFEDCBA9876543210", KeyUsage.PVK), pan, pvki, pin)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "X1 IBM 3624 offset {0} -> PIN {1}")
  @CsvSource({
    // X1 knovichikhin/psec:tests/test_pin.py: natural PIN 4524 (offset 0000) and the published pairs
    "0000, 4524",
    "1111, 5635",
    "6586, 0000",
    "7697, 1111",
    "7710, 1234",
  })
  void ibm3624(String offset, String pin) {
    ClearKeyRef pvk = tdes("0123456789ABCDEFFEDCBA9876543210", KeyUsage.PVK);
    Ibm3624 p = Ibm3624.of(Ibm3624.validationDataFromPan("1122334455667788", 0, 16, 'F'), "1234567890123456", 4);
    String natural = SW.ibm3624NaturalPin(pvk, p);
    assertThat(natural).isEqualTo("4524");
    assertThat(Ibm3624.applyOffset(natural, offset)).isEqualTo(pin);
    assertThat(SW.ibm3624Offset(pvk, p, pin)).isEqualTo(offset);
  }
}
