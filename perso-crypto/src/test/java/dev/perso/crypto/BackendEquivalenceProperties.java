package dev.perso.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perso.core.Bytes;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/**
 * For random keys and data, {@link SoftwareBackend} (clear key) and {@link Pkcs11Backend} (the same key
 * imported into SoftHSM2) give identical results for every operation both support.
 */
@Tag("softhsm2")
@net.jqwik.api.lifecycle.AddLifecycleHook(SoftHsm.Required.class)
class BackendEquivalenceProperties {
  final SoftwareBackend sw = new SoftwareBackend();

  @Provide
  Arbitrary<byte[]> key16() {
    return Arbitraries.bytes().array(byte[].class).ofSize(16);
  }

  @Property(tries = 50)
  void tdesOperationsAgree(@ForAll("key16") byte[] key, @ForAll @Size(max = 40) byte[] data,
      @ForAll @NumericChars @StringLength(min = 13, max = 19) String pan,
      @ForAll @NumericChars @StringLength(4) String pin, @ForAll @IntRange(max = 9) int pvki) {
    // the halves policy: ISO 9797-1 alg 3, ARQC and CVV of token keys need K1 in the JVM
    Pkcs11Backend hsm = SoftHsm.backendWithHalves();
    Bytes k = Bytes.of(key);
    ClearKeyRef clear = ClearKeyRef.of(KeyAlgorithm.TDES_2KEY, KeyUsage.DATA, k);
    String label = SoftHsm.label("eq");
    Map<KeyUsage, KeyRef> tokens = new EnumMap<>(KeyUsage.class);
    // one token object per usage (a label's usage is pinned), the same key bytes in each
    Function<KeyUsage, KeyRef> token = u -> tokens.computeIfAbsent(u, x -> hsm.importClear(
        KeyTemplate.of(label + "-" + x, KeyAlgorithm.TDES_2KEY, x), k));
    Function<KeyUsage, KeyRef> soft = clear::withUsage;
    try {
      Bytes d = Bytes.of(data);
      Bytes blocks = Padding.METHOD_2.apply(d, 8);
      for (CipherSpec spec : new CipherSpec[] {CipherSpec.ecb(), CipherSpec.cbc(Bytes.fromHex("0102030405060708"))}) {
        assertThat(hsm.encrypt(token.apply(KeyUsage.DATA), spec, blocks)).isEqualTo(sw.encrypt(clear, spec, blocks));
        assertThat(hsm.decrypt(token.apply(KeyUsage.DATA), spec, blocks)).isEqualTo(sw.decrypt(clear, spec, blocks));
      }
      for (Padding p : new Padding[] {Padding.METHOD_1, Padding.METHOD_2, Padding.METHOD_3}) {
        assertThat(hsm.mac(token.apply(KeyUsage.DATA), MacAlgorithm.ISO9797_1_ALG1, p, d)).isEqualTo(sw.mac(clear, MacAlgorithm.ISO9797_1_ALG1, p, d));
        assertThat(hsm.mac(token.apply(KeyUsage.DATA), MacAlgorithm.ISO9797_1_ALG3, p, d)).isEqualTo(sw.mac(clear, MacAlgorithm.ISO9797_1_ALG3, p, d));
      }
      assertThat(hsm.mac(token.apply(KeyUsage.DATA), MacAlgorithm.CMAC, Padding.NONE, d)).isEqualTo(sw.mac(clear, MacAlgorithm.CMAC, Padding.NONE, d));
      assertThat(hsm.kcv(token.apply(KeyUsage.DATA), KcvMethod.ENCRYPT_ZEROS, 8)).isEqualTo(sw.kcv(clear, KcvMethod.ENCRYPT_ZEROS, 8));
      assertThat(hsm.arqc(token.apply(KeyUsage.IMK_AC), Padding.VISA, d)).isEqualTo(sw.arqc(soft.apply(KeyUsage.IMK_AC), Padding.VISA, d));
      Bytes arqc = blocks.slice(0, 8);
      assertThat(hsm.arpc(token.apply(KeyUsage.IMK_AC), arqc, Bytes.fromHex("3030"))).isEqualTo(sw.arpc(soft.apply(KeyUsage.IMK_AC), arqc, Bytes.fromHex("3030")));
      assertThat(hsm.cvv(token.apply(KeyUsage.CVK), CvvInput.of(pan, "2612", "101"))).isEqualTo(sw.cvv(soft.apply(KeyUsage.CVK), CvvInput.of(pan, "2612", "101")));
      assertThat(hsm.pvv(token.apply(KeyUsage.PVK), pan, pvki, pin)).isEqualTo(sw.pvv(soft.apply(KeyUsage.PVK), pan, pvki, pin));
      Ibm3624 ibm = Ibm3624.of(Ibm3624.validationDataFromPan(pan, 0, 12, 'F'), "0123456789012345", 4);
      assertThat(hsm.ibm3624Offset(token.apply(KeyUsage.PVK), ibm, pin)).isEqualTo(sw.ibm3624Offset(soft.apply(KeyUsage.PVK), ibm, pin));
      Derivation[] derivations = {
        Derivation.emvOptionA(pan, "01"),
        Derivation.emvOptionB(pan, "00"),
        Derivation.emvCommonSessionKey(arqc),
        Derivation.mastercardSkd(Bytes.fromHex("0012"), Bytes.fromHex("A1B2C3D4")),
        Derivation.gpScp02(Derivation.Scp02Key.DEK, Bytes.fromHex("0042")),
        Derivation.gpDiversification(Derivation.GpDiversification.Method.EMV_CPS, Derivation.GpCardKey.MAC,
            Bytes.fromHex("00010203040506070809")),
        Derivation.gpDiversification(Derivation.GpDiversification.Method.VISA2, Derivation.GpCardKey.DEK,
            Bytes.fromHex("00010203040506070809")),
      };
      for (Derivation dv : derivations) {
        KeyUsage master = dv.operation().name().startsWith("DERIVE_GP") ? KeyUsage.KMC : KeyUsage.IMK_AC;
        try (ClearKeyRef a = (ClearKeyRef) hsm.derive(token.apply(master), dv);
             ClearKeyRef b = (ClearKeyRef) sw.derive(soft.apply(master), dv)) {
          assertThat(a.toSecretBytes()).as(dv.toString()).isEqualTo(b.toSecretBytes());
          // a derived per-card key exported under the token key (CPS: key under the transport KEK)
          assertThat(hsm.exportUnderKek(a, token.apply(KeyUsage.KEK))).isEqualTo(sw.exportUnderKek(b, soft.apply(KeyUsage.KEK)));
        }
      }
      // TR-31 B: a block made by either backend imports on the other to the same key
      ClearKeyRef cardKey = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.DEK, "0123456789ABCDEFFEDCBA9876543210");
      Tr31Header h = Tr31Header.builder().version(Tr31Header.Version.B).keyUsage("D0").algorithm('T').modeOfUse('B').build();
      String fromSw = sw.exportTr31(cardKey, soft.apply(KeyUsage.KEK), h);
      String fromHsm = hsm.exportTr31(cardKey, token.apply(KeyUsage.KEK), h);
      KeyTemplate t = KeyTemplate.of(SoftHsm.label("tr31"), KeyAlgorithm.TDES_2KEY, KeyUsage.DEK);
      KeyRef onToken = hsm.importTr31(t, token.apply(KeyUsage.KEK), fromSw);
      try {
        assertThat(onToken.kcv()).isEqualTo(sw.importTr31(t, soft.apply(KeyUsage.KEK), fromHsm).kcv());
      } finally {
        hsm.delete(((TokenKeyRef) onToken).label());
      }
      Bytes underToken = hsm.encrypt(token.apply(KeyUsage.KEK), CipherSpec.ecb(), blocks);
      ClearKeyRef other = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.DEK, "404142434445464748494A4B4C4D4E4F");
      assertThat(hsm.translate(token.apply(KeyUsage.KEK), CipherSpec.ecb(), other, CipherSpec.cbcZeroIv(), underToken))
          .isEqualTo(sw.translate(soft.apply(KeyUsage.KEK), CipherSpec.ecb(), other, CipherSpec.cbcZeroIv(), underToken));
    } finally {
      tokens.keySet().forEach(u -> hsm.delete(label + "-" + u));
    }
  }

  @Property(tries = 50)
  void aesOperationsAgree(@ForAll("key16") byte[] key, @ForAll @Size(max = 70) byte[] data,
      @ForAll @Size(min = 10, max = 10) byte[] kdd) {
    Pkcs11Backend hsm = SoftHsm.backend();
    Bytes k = Bytes.of(key);
    ClearKeyRef clear = ClearKeyRef.of(KeyAlgorithm.AES_128, KeyUsage.DATA, k);
    String label = SoftHsm.label("eqa");
    KeyRef token = hsm.importClear(KeyTemplate.of(label, KeyAlgorithm.AES_128, KeyUsage.DATA), k);
    String kmcLabel = SoftHsm.label("eqa-kmc");
    KeyRef kmc = hsm.importClear(KeyTemplate.of(kmcLabel, KeyAlgorithm.AES_128, KeyUsage.KMC), k);
    try {
      Bytes d = Bytes.of(data);
      Bytes blocks = Padding.METHOD_2.apply(d, 16);
      for (CipherSpec spec : new CipherSpec[] {CipherSpec.ecb(), CipherSpec.cbcZeroIv()}) {
        assertThat(hsm.encrypt(token, spec, blocks)).isEqualTo(sw.encrypt(clear, spec, blocks));
        assertThat(hsm.decrypt(token, spec, blocks)).isEqualTo(sw.decrypt(clear, spec, blocks));
      }
      assertThat(hsm.mac(token, MacAlgorithm.CMAC, Padding.NONE, d)).isEqualTo(sw.mac(clear, MacAlgorithm.CMAC, Padding.NONE, d));
      assertThat(hsm.mac(token, MacAlgorithm.ISO9797_1_ALG1, Padding.METHOD_2, d))
          .isEqualTo(sw.mac(clear, MacAlgorithm.ISO9797_1_ALG1, Padding.METHOD_2, d));
      for (KcvMethod m : KcvMethod.values()) {
        assertThat(hsm.kcv(token, m)).isEqualTo(sw.kcv(clear, m));
      }
      Derivation[] derivations = {
        Derivation.gpScp03(Derivation.Scp03Key.S_MAC, Bytes.of(kdd).concat(Bytes.fromHex("0102030405060708"))),
        Derivation.gpDiversification(Derivation.GpDiversification.Method.KDF3, Derivation.GpCardKey.ENC, Bytes.of(kdd)),
      };
      for (Derivation dv : derivations) {
        try (ClearKeyRef a = (ClearKeyRef) hsm.derive(kmc, dv);
             ClearKeyRef b = (ClearKeyRef) sw.derive(clear.withUsage(KeyUsage.KMC), dv)) {
          assertThat(a.toSecretBytes()).isEqualTo(b.toSecretBytes());
        }
      }
    } finally {
      hsm.delete(label);
      hsm.delete(kmcLabel);
    }
  }
}
