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

}
