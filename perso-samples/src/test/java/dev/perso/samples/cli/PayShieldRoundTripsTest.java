package dev.perso.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import dev.perso.core.ValidationException;
import dev.perso.core.record.CardRecord;
import dev.perso.crypto.ClearKeyRef;
import dev.perso.crypto.KeyAlgorithm;
import dev.perso.crypto.KeyRef;
import dev.perso.crypto.KeyTemplate;
import dev.perso.crypto.KeyUsage;
import dev.perso.crypto.SoftwareBackend;
import dev.perso.crypto.payshield.PayShieldBackend;
import dev.perso.crypto.payshield.testing.TestPayShield;
import dev.perso.emv.card.VirtualEmvCard;
import dev.perso.emv.cps.ApplicationsSection;
import dev.perso.emv.cps.CardProfile;
import dev.perso.emv.cps.CpsPersonalizer;
import dev.perso.iso7813.Name;
import dev.perso.iso7813.StripeKeys;
import dev.perso.iso7813.StripeRecord;
import dev.perso.emv.prep.CardDataPreparation;
import dev.perso.emv.prep.Cardholder;
import dev.perso.emv.prep.IssuerKeys;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * HSM round trips of one EMV CPS personalization (vsdc-example, SCP02 i=55, C-MAC + C-DEC, DGI 8000 with
 * KCVs in 9000, sensitive DGIs under the transport KEK) through {@link PayShieldBackend}, counted per
 * command, and the set-up refusal of card types the backend cannot serve.
 */
class PayShieldRoundTripsTest {
  static final String IMK = "0123456789ABCDEFFEDCBA9876543210";
  static final String KMC = "404142434445464748494A4B4C4D4E4F";
  static final String KEK = "00112233445566778899AABBCCDDEEFF";
  static final String[] COMMANDS = {"XD", "XT", "XP", "A6", "M0", "M2", "M6", "M8", "BU"};

  static Map<String, Integer> counts(TestPayShield hsm) {
    Map<String, Integer> m = new TreeMap<>();
    for (String c : COMMANDS) {
      m.put(c, hsm.received(c));
    }
    return m;
  }

  static Map<String, Integer> minus(Map<String, Integer> a, Map<String, Integer> b) {
    Map<String, Integer> m = new TreeMap<>();
    a.forEach((k, v) -> {
      if (v - b.get(k) != 0) {
        m.put(k, v - b.get(k));
      }
    });
    return m;
  }

  /** Personalizes one virtual card through the HSM; @return the HSM round trips it took per command. */
  static Map<String, Integer> personalizeOne(boolean sessionKeysToHost) {
    try (TestPayShield hsm = TestPayShield.start();
         PayShieldBackend ps = PayShieldBackend.builder().address("127.0.0.1", hsm.port())
             .sessionKeysToHost(sessionKeysToHost).build();
         SoftwareBackend sw = new SoftwareBackend()) {
      ClearKeyRef clearKek = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.KEK, KEK);
      ClearKeyRef clearKmc = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.KMC, KMC);
      CardProfile profile = CardProfile.example("vsdc-example");
      CardDataPreparation prep = CardDataPreparation.builder(sw, new IssuerKeys(
          ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.IMK_AC, IMK),
          ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.IMK_SMI, IMK),
          ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.IMK_SMC, IMK),
          ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.CVK, IMK),
          ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.PVK, IMK), clearKek, "transport-kek")).build();
      CardRecord card = prep.prepare(new Cardholder("0001", StripeRecord.builder().pan("4761739001010010")
          .name(Name.of("Cardmember", "Test")).expiry("2912").serviceCode("201").pvki(1).pin("1234").build(), "01"));
      KeyRef kmc = ps.importClear(KeyTemplate.of("kmc", KeyAlgorithm.TDES_2KEY, KeyUsage.KMC), Bytes.fromHex(KMC));
      KeyRef kek = ps.importClear(KeyTemplate.of("kek", KeyAlgorithm.TDES_2KEY, KeyUsage.KEK), Bytes.fromHex(KEK));
      CpsPersonalizer personalizer = CpsPersonalizer.builder(ps).profile(profile, kmc).transportKey("transport-kek", kek)
          .build();
      VirtualEmvCard virtual = VirtualEmvCard.builder(sw, clearKmc, profile)
          .kdd(Bytes.fromHex("00000000000000000001")).build();
      virtual.reset();
      Map<String, Integer> before = counts(hsm);
      long trips = ps.roundTrips();
      personalizer.personalize(virtual::process, card.id(), ApplicationsSection.decode(card));
      Map<String, Integer> per = minus(counts(hsm), before);
      assertThat(per.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo((int) (ps.roundTrips() - trips));
      return per;
    }
  }

  @Test
  void sessionKeysOnTheHostTakeTwelveRoundTripsPerCard() {
    // 3 card keys from the KMC (EMV-CPS) + 4 SCP02 session keys (3 to the host, the DEK kept under the LMK)
    // + 3 KCVs of DGI 8000's keys under the KEK (A6) + DGI 8000 translated KEK -> session DEK (XT) + the
    // DGI 8010 PIN block, ISO format 1 under the KEK -> format 2 under the session DEK (XP);
    // C-MAC, ICV encryption and C-DEC run on the host
    Map<String, Integer> per = personalizeOne(true);
    assertThat(per).isEqualTo(Map.of("XD", 7, "A6", 3, "XT", 1, "XP", 1));
  }

  @Test
  void sessionKeysUnderTheLmkAreRefusedForIcvEncryption() {
    // i=55 encrypts the ICV with single DES under half the C-MAC session key: no host command does that
    assertThatThrownBy(() -> personalizeOne(false)).hasMessageContaining("ICV encryption");
  }

  @Test
  void aCardTypeTheHsmCannotServeIsRefusedAtSetUp() {
    try (TestPayShield hsm = TestPayShield.start();
         PayShieldBackend ps = PayShieldBackend.builder().address("127.0.0.1", hsm.port()).build()) {
      KeyRef aesKmc = ClearKeyRef.fromHex(KeyAlgorithm.AES_128, KeyUsage.KMC, KMC);
      // an SCP03 profile needs AES CMAC and the SCP03 KDF, which a variant-LMK payShield does not offer
      CardProfile scp03 = CardProfile.example("vsdc-example").newBuilder()
          .secureChannel(new dev.perso.emv.cps.SecureChannelProfile(dev.perso.gp.ScpVersion.of(3, 0x70), 0x33, 0, "kdf3")).build();
      assertThatThrownBy(() -> CpsPersonalizer.builder(ps).profile(scp03, aesKmc).build())
          .isInstanceOf(ValidationException.class).hasMessageContaining("MAC_CMAC")
          .hasMessageContaining("DERIVE_GP_SCP03").hasMessageContaining(ps.id());
      hsm.disable("CW");
      try (PayShieldBackend noCvv = PayShieldBackend.builder().address("127.0.0.1", hsm.port()).build()) {
        KeyRef cvk = PayShieldBackend.key("U9B4934384B19946B040CD702B4D58145", KeyUsage.CVK);
        assertThatThrownBy(() -> StripeKeys.of(noCvv, cvk, null)).isInstanceOf(ValidationException.class)
            .hasMessageContaining("CVV");
      }
    }
  }
}
