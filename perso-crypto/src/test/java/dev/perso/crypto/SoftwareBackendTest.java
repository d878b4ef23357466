package dev.perso.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import dev.perso.core.CryptoException;
import dev.perso.core.ValidationException;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.generators.KDFCounterBytesGenerator;
import org.bouncycastle.crypto.macs.CMac;
import org.bouncycastle.crypto.params.KDFCounterParameters;
import org.junit.jupiter.api.Test;

/** Behaviour of {@link SoftwareBackend} beyond the public vectors (see {@link VectorsTest}). */
class SoftwareBackendTest {
  final SoftwareBackend sw = new SoftwareBackend();
  static final String IMK = "0123456789ABCDEFFEDCBA9876543210";

  static ClearKeyRef tdes(String hex) {
    return tdes(hex, KeyUsage.DATA);
  }

  static ClearKeyRef tdes(String hex, KeyUsage usage) {
    return ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, usage, hex);
  }

  @Test
  void serviceLoaderFindsTheSoftwareBackend() {
    assertThat(ServiceLoader.load(CryptoBackend.class).stream().map(ServiceLoader.Provider::type))
        .contains(SoftwareBackend.class);
    assertThat(sw.capabilities()).containsAll(Set.of(Operation.values()));
  }

  @Test
  void unsupportedOperationNamesBackendAndOperation() {
    CryptoBackend minimal = new CryptoBackend() {
      @Override
      public String id() {
        return "minimal";
      }

      @Override
      public Set<Operation> capabilities() {
        return Set.of();
      }
    };
    assertThatThrownBy(() -> minimal.derive(tdes(IMK, KeyUsage.IMK_AC), Derivation.emvOptionB("12345678901234567", "01")))
        .isInstanceOf(CryptoException.class).hasMessage("backend 'minimal' does not support DERIVE_EMV_OPTION_B");
    assertThatThrownBy(() -> sw.cvv(TokenKeyRef.of("CVK", KeyAlgorithm.TDES_2KEY, KeyUsage.CVK),
        CvvInput.of("4123456789012345", "8701", "101"))).isInstanceOf(CryptoException.class)
        .hasMessageContaining("software").hasMessageContaining("CVK");
  }

  @Test
  void optionBEqualsOptionAUpTo16Digits() {
    // crypto-hsm.md §3.1: "For PAN <= 16 digits Option B equals Option A (pyemv)"
    KeyRef a = sw.derive(tdes(IMK, KeyUsage.IMK_AC), Derivation.emvOptionA("5413330089020011", "03"));
    KeyRef b = sw.derive(tdes(IMK, KeyUsage.IMK_AC), Derivation.emvOptionB("5413330089020011", "03"));
    assertThat(((ClearKeyRef) a).toSecretBytes()).isEqualTo(((ClearKeyRef) b).toSecretBytes());
  }

  @Test
  void mastercardSkdIsTheCommonSessionKeyOverAtcZeroZeroUn() {
    // M/Chip SKD: R = ATC || 0000 || UN (jPOS deriveSK_MK), then EMV A1.3.1
    KeyRef skd = sw.derive(tdes(IMK, KeyUsage.IMK_AC), Derivation.mastercardSkd(Bytes.fromHex("001C"), Bytes.fromHex("11223344")));
    KeyRef csk = sw.derive(tdes(IMK, KeyUsage.IMK_AC), Derivation.emvCommonSessionKey(Bytes.fromHex("001C000011223344")));
    assertThat(((ClearKeyRef) skd).toSecretBytes()).isEqualTo(((ClearKeyRef) csk).toSecretBytes());
  }

  @Test
  void scp03AndKdf3MatchBouncyCastlesCounterKdf() {
    byte[] key = Bytes.fromHex("404142434445464748494A4B4C4D4E4F").toByteArray();
    ClearKeyRef aes = ClearKeyRef.of(KeyAlgorithm.AES_128, KeyUsage.KMC, Bytes.of(key));
    Bytes context = Bytes.fromHex("00112233445566778899AABBCCDDEEFF");
    // GP Amendment D label: 00*11 || 06 (S-MAC) || 00 || 0080, counter, context (as GlobalPlatformPro GPCrypto.scp03_kdf)
    byte[] expected = bcKdf(key, Bytes.fromHex("0000000000000000000000060000 80".replace(" ", "")).toByteArray(),
        context.toByteArray(), 16);
    KeyRef sMac = sw.derive(aes, Derivation.gpScp03(Derivation.Scp03Key.S_MAC, context));
    assertThat(((ClearKeyRef) sMac).toSecretBytes()).isEqualTo(Bytes.of(expected));
    assertThat(sMac.usage()).isEqualTo(KeyUsage.MAC);
    // kdf3 template of GlobalPlatformPro PlaintextKeys: counter first, then 000000 || k || 00 || KDD
    Bytes kdd = Bytes.fromHex("00010203040506070809");
    byte[] kdf3 = bcKdf(key, new byte[0], Bytes.fromHex("00000002 00").concat(kdd).toByteArray(), 16);
    KeyRef mac = sw.derive(aes, Derivation.gpDiversification(Derivation.GpDiversification.Method.KDF3,
        Derivation.GpCardKey.MAC, kdd));
    assertThat(((ClearKeyRef) mac).toSecretBytes()).isEqualTo(Bytes.of(kdf3));
  }

  static byte[] bcKdf(byte[] key, byte[] before, byte[] after, int len) {
    KDFCounterBytesGenerator g = new KDFCounterBytesGenerator(new CMac(AESEngine.newInstance()));
    g.init(new KDFCounterParameters(key, before, after, 8));
    byte[] out = new byte[len];
    g.generateBytes(out, 0, len);
    return out;
  }

  @Test
  void aesKcvConventions() throws Exception {
    ClearKeyRef k = ClearKeyRef.fromHex(KeyAlgorithm.AES_128, KeyUsage.DATA, "2b7e151628aed2a6abf7158809cf4f3c");
    Cipher c = Cipher.getInstance("AES/ECB/NoPadding");
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(Bytes.fromHex("2b7e151628aed2a6abf7158809cf4f3c").toByteArray(), "AES"));
    Bytes zeros = Bytes.of(c.doFinal(new byte[16]));
    Bytes ones = Bytes.of(c.doFinal(Bytes.fromHex("01".repeat(16)).toByteArray()));
    assertThat(sw.kcv(k, KcvMethod.ENCRYPT_ZEROS).value()).isEqualTo(zeros.slice(0, 3));
    assertThat(sw.kcv(k, KcvMethod.GP_AES_ONES).value()).isEqualTo(ones.slice(0, 3));
    // CMAC of 16 zero bytes with the NIST key (BC CMac as the independent reference)
    CMac bc = new CMac(AESEngine.newInstance());
    bc.init(new org.bouncycastle.crypto.params.KeyParameter(Bytes.fromHex("2b7e151628aed2a6abf7158809cf4f3c").toByteArray()));
    bc.update(new byte[16], 0, 16);
    byte[] ref = new byte[16];
    bc.doFinal(ref, 0);
    assertThat(sw.kcv(k, KcvMethod.AES_CMAC_ZEROS).value()).isEqualTo(Bytes.of(ref).slice(0, 5));
    assertThatThrownBy(() -> sw.kcv(tdes(IMK), KcvMethod.AES_CMAC_ZEROS)).isInstanceOf(ValidationException.class);
  }

  @Test
  void componentImportChecksEveryKcvAndReportsTheResult() {
    Bytes c1 = Bytes.fromHex("11111111111111112222222222222222");
    Bytes c2 = Bytes.fromHex("33333333333333334444444444444444");
    Bytes c3 = Bytes.fromHex(IMK).xor(c1).xor(c2);
    KeyTemplate t = KeyTemplate.of("IMK-AC", KeyAlgorithm.TDES_2KEY, KeyUsage.IMK_AC);
    KeyRef k = sw.importComponents(t, List.of(comp(c1), comp(c2), comp(c3)));
    // #1 pyemv tools.py doctest: 08D7B4 for 0123..3210
    assertThat(k.kcv().orElseThrow().hex()).isEqualTo("08D7B4");
    assertThatThrownBy(() -> sw.importComponents(t, List.of(comp(c1)))).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> sw.importComponents(t, List.of(comp(c1), KeyComponent.of(c2, Bytes.fromHex("ABCDEF")))))
        .isInstanceOf(CryptoException.class).hasMessageContaining("component 2 of 2");
  }

  KeyComponent comp(Bytes c) {
    return KeyComponent.of(c, sw.kcv(ClearKeyRef.of(KeyAlgorithm.TDES_2KEY, KeyUsage.DATA, c), KcvMethod.ENCRYPT_ZEROS).value());
  }

  @Test
  void kekImportExportAndTranslate() {
    ClearKeyRef kek = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.KEK, "404142434445464748494A4B4C4D4E4F");
    ClearKeyRef key = tdes(IMK);
    Bytes under = sw.exportUnderKek(key, kek);
    KeyRef back = sw.importUnderKek(KeyTemplate.of("CVK", KeyAlgorithm.TDES_2KEY, KeyUsage.CVK), kek, under,
        Bytes.fromHex("08D7B4"));
    assertThat(((ClearKeyRef) back).toSecretBytes()).isEqualTo(Bytes.fromHex(IMK));
    assertThatThrownBy(() -> sw.importUnderKek(KeyTemplate.of("CVK", KeyAlgorithm.TDES_2KEY, KeyUsage.CVK), kek, under,
        Bytes.fromHex("000000"))).isInstanceOf(CryptoException.class).hasMessageContaining("check value");
    Bytes data = Bytes.fromHex("00112233445566778899AABBCCDDEEFF");
    Bytes underKek = sw.encrypt(kek, CipherSpec.ecb(), data);
    Bytes translated = sw.translate(kek, CipherSpec.ecb(), key, CipherSpec.cbcZeroIv(), underKek);
    assertThat(sw.decrypt(key, CipherSpec.cbcZeroIv(), translated)).isEqualTo(data);
  }

  @Test
  void masterKeyModeKeepsImportedKeysAsCryptograms() {
    ClearKeyRef lmk = ClearKeyRef.fromHex(KeyAlgorithm.TDES_3KEY, KeyUsage.KEK,
        "0123456789ABCDEFFEDCBA987654321089ABCDEF01234567");
    SoftwareBackend hsm = SoftwareBackend.withMasterKey(lmk);
    KeyRef cvk = hsm.importClear(KeyTemplate.of("CVK", KeyAlgorithm.TDES_2KEY, KeyUsage.CVK), Bytes.fromHex(IMK));
    assertThat(cvk).isInstanceOf(CryptogramKeyRef.class);
    assertThat(((CryptogramKeyRef) cvk).cryptogram().toHex()).doesNotContain(IMK);
    // C1 ilya-dubinsky/cfpp:c/test/test_magstripe.c (classic): 561
    assertThat(hsm.cvv(cvk, CvvInput.of("4123456789012345", "8701", "101"))).isEqualTo("561");
    assertThatThrownBy(() -> sw.cvv(cvk, CvvInput.of("4123456789012345", "8701", "101")))
        .isInstanceOf(CryptoException.class).hasMessageContaining("no master key");
  }

  @Test
  void cvvVariantsAndSecondDecimalizationPass() throws Exception {
    ClearKeyRef cvk = tdes(IMK, KeyUsage.CVK);
    CvvInput in = CvvInput.of("4123456789012345", "8701", "101");
    assertThat(sw.cvv(cvk, in.cvv2())).isEqualTo(reference(IMK, in.cvv2()));
    assertThat(sw.cvv(cvk, in.icvv())).isEqualTo(reference(IMK, in.icvv()));
    CvvInput mmyy = CvvInput.builder().pan("4123456789012345").expiry("8701").serviceCode("101")
        .expiryOrder(ExpiryOrder.MMYY).build();
    assertThat(mmyy.dataDigits()).startsWith("41234567890123450187101");
    assertThat(sw.cvv(cvk, mmyy)).isEqualTo(reference(IMK, mmyy));
    // crypto-hsm / magstripe-surface §2.2 test-design note: find a 19-digit PAN whose 3DES output has fewer
    // than three decimal digits, and check it against the independent SunJCE reference below.
    int found = 0;
    for (long n = 0; n < 400_000 && found < 2; n++) {
      String pan = String.format("4%018d", n);
      CvvInput x = CvvInput.of(pan, "2612", "101");
      String ref = reference(IMK, x);
      if (ref.startsWith("*")) {
        found++;
        assertThat(sw.cvv(cvk, x)).isEqualTo(ref.substring(1));
      }
    }
    assertThat(found).isPositive();
  }

  /** Independent CVV: SunJCE DES + DESede, decimalization written separately; '*' marks a second pass. */
  static String reference(String key, CvvInput in) throws Exception {
    byte[] k = Bytes.fromHex(key).toByteArray();
    byte[] data = Bytes.fromHex(in.dataDigits()).toByteArray();
    Cipher des = Cipher.getInstance("DES/ECB/NoPadding");
    des.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k, 0, 8, "DES"));
    byte[] r = des.doFinal(data, 0, 8);
    for (int i = 0; i < 8; i++) {
      r[i] ^= data[8 + i];
    }
    byte[] k24 = new byte[24];
    System.arraycopy(k, 0, k24, 0, 16);
    System.arraycopy(k, 0, k24, 16, 8);
    Cipher tdes = Cipher.getInstance("DESede/ECB/NoPadding");
    tdes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k24, "DESede"));
    String hex = Bytes.of(tdes.doFinal(r)).toHex();
    String digits = hex.replaceAll("[A-F]", "");
    if (digits.length() >= 3) {
      return digits.substring(0, 3);
    }
    String letters = hex.replaceAll("[0-9]", "");
    StringBuilder sb = new StringBuilder(digits);
    for (char c : letters.toCharArray()) {
      sb.append((char) ('0' + c - 'A'));
    }
    return "*" + sb.substring(0, 3);
  }

  @Test
  void validationNamesFieldAndRule() {
    assertThatThrownBy(() -> CvvInput.of("4123456", "8701", "101")).isInstanceOf(ValidationException.class)
        .extracting(e -> ((ValidationException) e).field()).isEqualTo("pan");
    assertThatThrownBy(() -> ClearKeyRef.fromHex(KeyAlgorithm.AES_128, KeyUsage.DATA, "00"))
        .isInstanceOf(ValidationException.class).hasMessageContaining("AES_128 needs 16 bytes");
    assertThatThrownBy(() -> sw.encrypt(tdes(IMK), CipherSpec.ecb(), Bytes.fromHex("0011")))
        .isInstanceOf(ValidationException.class).hasMessageContaining("multiple of 8");
    assertThatThrownBy(() -> sw.mac(tdes(IMK), MacAlgorithm.CMAC, Padding.METHOD_2, Bytes.empty()))
        .isInstanceOf(ValidationException.class).hasMessageContaining("Padding.NONE");
    ClearKeyRef closed = tdes(IMK);
    closed.close();
    assertThat(closed.toString()).contains("wiped").doesNotContain("0123");
    assertThatThrownBy(() -> sw.kcv(closed, KcvMethod.ENCRYPT_ZEROS)).isInstanceOf(CryptoException.class);
  }

  @Test
  void ibm3624OffsetArithmetic() {
    assertThat(Ibm3624.offsetFor("4524", "1234")).isEqualTo("7710");
    assertThat(Ibm3624.applyOffset("4524", "7710")).isEqualTo("1234");
    assertThat(Ibm3624.validationDataFromPan("4111111111111111", 4, 11, 'F')).isEqualTo("11111111111FFFFF");
  }
}
