package dev.perso.gp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.gp.card.ScpCard;
import dev.perso.gp.card.VirtualIsd;
import dev.perso.core.Bytes;
import dev.perso.core.SecureChannelException;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.card.VirtualCard;
import dev.perso.core.testing.RealComponent;
import dev.perso.crypto.ClearKeyRef;
import dev.perso.crypto.KeyAlgorithm;
import dev.perso.crypto.KeyRef;
import dev.perso.crypto.KeyTemplate;
import dev.perso.crypto.KeyUsage;
import dev.perso.crypto.Pkcs11Backend;
import dev.perso.crypto.SoftwareBackend;
import dev.perso.crypto.TokenKeyRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Integration: the KMC lives in a SoftHSM2 token (non-extractable) and the host opens SCP02 and SCP03
 * against the software card side. Skipped without softhsm2; required under {@code PERSO_REQUIRE_IT=1}.
 * (A minimal token fixture; perso-crypto's SoftHsm helper is not in a test-jar yet.)
 */
@Tag("softhsm2")
class Pkcs11ChannelTest {
  static final Path LIBRARY = Path.of("/usr/lib/softhsm/libsofthsm2.so");
  static final String K40 = "404142434445464748494A4B4C4D4E4F";
  static Pkcs11Backend hsm;
  static int labels;

  @BeforeAll
  static void token() throws IOException, InterruptedException {
    RealComponent.require("softhsm2", Files.isReadable(LIBRARY) && Files.isExecutable(Path.of("/usr/bin/softhsm2-util")),
        "apt-get install softhsm2");
    String conf = System.getenv("SOFTHSM2_CONF");
    RealComponent.require("SOFTHSM2_CONF", conf != null, "run through Maven: perso-emv-cps/pom.xml sets it for surefire");
    Path dir = Files.createTempDirectory("perso-gp-softhsm");
    Path tokens = Files.createDirectories(dir.resolve("tokens"));
    Files.createDirectories(Path.of(conf).getParent());
    Files.writeString(Path.of(conf), "directories.tokendir = " + tokens + "\nobjectstore.backend = file\n"
        + "log.level = ERROR\nslots.removable = false\n", StandardCharsets.UTF_8);
    ProcessBuilder pb = new ProcessBuilder("softhsm2-util", "--init-token", "--free", "--label", "perso-gp",
        "--so-pin", "12345678", "--pin", "1234").redirectErrorStream(true);
    pb.environment().put("SOFTHSM2_CONF", conf);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0).as(out).isTrue();
    hsm = Pkcs11Backend.builder().name("SoftHSM-gp").library(LIBRARY).slotListIndex(0).pin("1234"::toCharArray).build();
  }

  static TokenKeyRef kmc(KeyAlgorithm alg, String hex) {
    return (TokenKeyRef) hsm.importClear(KeyTemplate.of("KMC-" + (++labels), alg, KeyUsage.KMC), Bytes.fromHex(hex));
  }

  @Test
  void scp02WithTheKmcInTheToken() {
    TokenKeyRef kmc = kmc(KeyAlgorithm.TDES_2KEY, K40);
    KeyRef clear = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.KMC, K40);
    List<CommandApdu> received = new ArrayList<>();
    try (SoftwareBackend sw = new SoftwareBackend()) {
      ScpCard card = ScpCard.builder(sw, GpKeys.diversified(clear, Diversification.EMV_CPS)).scp02(Scp02Variant.I_55)
          .application(c -> {
            received.add(c);
            return ResponseApdu.of(Bytes.fromHex("9F3602001C"), 0x9000);
          }).build();
      GpOptions options = GpOptions.builder(hsm).level(SecurityLevel.C_MAC_C_DEC_R_MAC).scp02Variant(Scp02Variant.I_55).build();
      try (GpSecureChannel s = Scp02.open(VirtualCard.connect(card), GpKeys.diversified(kmc, Diversification.EMV_CPS), options)) {
        CommandApdu store = CommandApdu.of(0x80, 0xE2, 0x60, 0x00, s.encryptSensitiveData(Bytes.fromHex("241234FFFFFFFFFF")));
        ResponseApdu r = s.transmit(store);
        assertThat(r.data().toHex()).isEqualTo("9F3602001C");
        assertThat(card.decryptSensitiveData(received.get(0).data()).toHex()).isEqualTo("241234FFFFFFFFFF");
      }
      // the token KMC used as static keys without diversification: session keys derived inside the token
      ScpCard plain = ScpCard.builder(sw, GpKeys.single(clear)).build();
      try (GpSecureChannel s = Scp02.open(VirtualCard.connect(plain), GpKeys.single(kmc),
          GpOptions.builder(hsm).level(SecurityLevel.C_MAC_C_DEC).build())) {
        assertThat(s.transmit(CommandApdu.of(0x80, 0xE2, 0x80, 0x00, Bytes.fromHex("01020304"))).isSuccess()).isTrue();
      }
      // a wrong diversification with the token KMC: named alternative, nothing sent after INITIALIZE UPDATE
      assertThatThrownBy(() -> Scp02.open(VirtualCard.connect(card), GpKeys.diversified(kmc, Diversification.VISA2),
          options.newBuilder().alternatives(List.of(GpKeys.diversified(kmc, Diversification.EMV_CPS))).build()))
          .isInstanceOf(SecureChannelException.class).hasMessageContaining("would match: KMC emv");
    }
  }

  @Test
  void scp03WithTheKmcInTheToken() {
    for (String hex : List.of(K40, K40 + "5051525354555657", K40 + K40)) {
      KeyAlgorithm alg = KeyAlgorithm.aesForLength(hex.length() / 2);
      TokenKeyRef kmc = kmc(alg, hex);
      try (SoftwareBackend sw = new SoftwareBackend()) {
        ScpCard card = ScpCard.builder(sw, GpKeys.diversified(ClearKeyRef.fromHex(alg, KeyUsage.KMC, hex), Diversification.KDF3))
            .scp03(0x70).build();
        try (GpSecureChannel s = Scp03.open(VirtualCard.connect(card), GpKeys.diversified(kmc, Diversification.KDF3),
            GpOptions.builder(hsm).level(SecurityLevel.C_MAC_C_DEC_R_MAC_R_ENC).build())) {
          assertThat(s.challengeStatus()).isEqualTo(ChallengeStatus.VERIFIED);
          assertThat(s.transmit(CommandApdu.of(0x80, 0xCA, 0x00, 0x66, Bytes.empty(), 256)).isSuccess()).isTrue();
        }
      }
    }
  }
  @Test
  void keyRotationWithTransportAndIssuerKmcsInTheToken() {
    // PUT KEY (SCP02) and STORE DATA key loading (SCP03) through the PKCS#11 backend: the new keys are derived
    // from a token KMC and wrapped with CryptoBackend.exportUnderKek; the software card side decrypts them.
    String issuerHex = "505152535455565758595A5B5C5D5E5F";
    TokenKeyRef transport = kmc(KeyAlgorithm.TDES_2KEY, K40);
    TokenKeyRef issuer = kmc(KeyAlgorithm.TDES_2KEY, issuerHex);
    try (SoftwareBackend sw = new SoftwareBackend()) {
      VirtualIsd isd = VirtualIsd.builder(sw).build();
      ScpCard card = ScpCard.builder(sw, GpKeys.diversified(ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.KMC,
          K40), Diversification.EMV_CPS)).scp02(Scp02Variant.I_15).application(isd::process).build();
      isd.attach(card);
      GpOptions options = GpOptions.builder(hsm).level(SecurityLevel.C_MAC_C_DEC).scp02Variant(Scp02Variant.I_15).build();
      try (GpSecureChannel s = Scp02.open(VirtualCard.connect(card), GpKeys.diversified(transport,
          Diversification.EMV_CPS), options)) {
        GpCardManager.builder(s, hsm).build().putKeys(GpKeys.diversified(issuer, Diversification.EMV_CPS), 0x02);
      }
      assertThat(isd.keyVersions()).containsExactly(0x02);
      try (GpSecureChannel s = Scp02.open(VirtualCard.connect(card), GpKeys.diversified(issuer,
          Diversification.EMV_CPS).withKeyVersion(2), options)) {
        assertThat(s.initializeUpdateResponse().keyVersion()).isEqualTo(2);
      }

      TokenKeyRef aesTransport = kmc(KeyAlgorithm.AES_128, K40);
      TokenKeyRef aesIssuer = kmc(KeyAlgorithm.AES_256, K40 + issuerHex);
      VirtualIsd isd3 = VirtualIsd.builder(sw).build();
      ScpCard card3 = ScpCard.builder(sw, GpKeys.diversified(ClearKeyRef.fromHex(KeyAlgorithm.AES_128, KeyUsage.KMC, K40),
          Diversification.KDF3)).scp03(0x00).application(isd3::process).build();
      isd3.attach(card3);
      GpOptions options3 = GpOptions.builder(hsm).level(SecurityLevel.C_MAC).build();
      try (GpSecureChannel s = Scp03.open(VirtualCard.connect(card3), GpKeys.diversified(aesTransport,
          Diversification.KDF3), options3)) {
        // AES-256 keys: two blocks chained in CBC under the static DEK (Amendment D §6.2.8)
        GpCardManager.builder(s, hsm).build().storeDataKeys(GpKeys.diversified(aesIssuer, Diversification.KDF3), 0x31);
      }
      try (GpSecureChannel s = Scp03.open(VirtualCard.connect(card3), GpKeys.diversified(aesIssuer,
          Diversification.KDF3).withKeyVersion(0x31), options3)) {
        assertThat(s.initializeUpdateResponse().keyVersion()).isEqualTo(0x31);
      }
    }
  }
}
