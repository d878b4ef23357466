package dev.perso.emv.prep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import dev.perso.core.PersoException;
import dev.perso.core.SecureChannelException;
import dev.perso.core.ValidationException;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.card.VirtualCard;
import dev.perso.core.channel.CardChannel;
import dev.perso.core.record.CardRecord;
import dev.perso.crypto.ClearKeyRef;
import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.KeyAlgorithm;
import dev.perso.crypto.KeyRef;
import dev.perso.crypto.KeyUsage;
import dev.perso.crypto.SoftwareBackend;
import dev.perso.emv.card.VirtualEmvCard;
import dev.perso.emv.cps.ApplicationData;
import dev.perso.emv.cps.ApplicationProfile;
import dev.perso.emv.cps.ApplicationsSection;
import dev.perso.emv.cps.CardProfile;
import dev.perso.emv.cps.CardVerifier;
import dev.perso.emv.cps.CpsPersonalizer;
import dev.perso.emv.cps.PersoResult;
import dev.perso.iso7813.Name;
import dev.perso.iso7813.StripeRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: a two-application card whose applications sit in different Security Domains, with different
 * secure channels (SCP02 i=55 under the ISD, SCP03 i=70 in a Supplementary Security Domain), different
 * KMCs and different issuer keys, prepared, personalized and verified with the library API alone.
 *
 * <p>No expected bytes are hard-coded: the verifier recomputes every ARQC from the issuer keys (EMV option
 * A and the common session key through the backend), and each Security Domain's card cryptogram is checked
 * by the host against keys diversified from that SD's own KMC.
 */
class MultiApplicationCardTest {
  private static final CryptoBackend CRYPTO = new SoftwareBackend();
  private static final CardProfile TWO_APPS = CardProfile.example("two-app-example");
  private static final Bytes DEBIT = Bytes.fromHex("A0000000031010");
  private static final Bytes CREDIT = Bytes.fromHex("A0000000041010");
  private static final Bytes SSD = Bytes.fromHex("A000000151535344");
  // GP test key 404142..4F (GlobalPlatformPro's TestPlaintextKeys): the ISD's TDES KMC.
  private static final KeyRef ISD_KMC = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.KMC,
      "404142434445464748494A4B4C4D4E4F");
  // The SSD's own AES-128 KMC: other bytes than the ISD's (test key 000102..0F, the AES key of FIPS-197 C.1).
  private static final KeyRef SSD_KMC = ClearKeyRef.fromHex(KeyAlgorithm.AES_128, KeyUsage.KMC,
      "000102030405060708090A0B0C0D0E0F");
  // Issuer keys: the debit application's IMKs are pyemv's kd.derive_icc_mk_a doctest IMK; the credit
  // application's are another double-length test key (the GP test key bytes with another usage).
  private static final String DEBIT_IMK = "0123456789ABCDEFFEDCBA9876543210";
  private static final String CREDIT_IMK = "404142434445464748494A4B4C4D4E4F";
  private static final KeyRef KEK = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.KEK, "00112233445566778899AABBCCDDEEFF");
  private static final KeyRef CREDIT_KEK = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.KEK,
      "FFEEDDCCBBAA99887766554433221100");

  private static IssuerKeys keys(String imk, KeyRef kek, String kekName) {
    return new IssuerKeys(tdes(imk, KeyUsage.IMK_AC), tdes(imk, KeyUsage.IMK_SMI), tdes(imk, KeyUsage.IMK_SMC),
        tdes(imk, KeyUsage.CVK), tdes(imk, KeyUsage.PVK), kek, kekName);
  }

  private static KeyRef tdes(String hex, KeyUsage usage) {
    return ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, usage, hex);
  }

  private static CardRecord prepare() {
    return CardDataPreparation.builder(CRYPTO, keys(DEBIT_IMK, KEK, "debit-kek")).profile(TWO_APPS).label("DEBIT")
        .application(TWO_APPS, CREDIT, "CREDIT", keys(CREDIT_IMK, CREDIT_KEK, "credit-kek")).build()
        .prepare(new Cardholder("0001", StripeRecord.builder().pan("4761739001010010").name(Name.of("Lovelace", "Ada"))
            .expiry("2912").serviceCode("201").pvki(1).pin("1234").build(), "01"));
  }

  private static VirtualEmvCard blankCard() {
    return VirtualEmvCard.builder(CRYPTO, ISD_KMC, TWO_APPS).applicationKmc(CREDIT, SSD_KMC)
        .kdd(Bytes.fromHex("00000000000000000007")).build();
  }

  private static CpsPersonalizer personalizer(KeyRef ssdKmc) {
    return CpsPersonalizer.builder(CRYPTO).profile(TWO_APPS, ISD_KMC).applicationKmc(TWO_APPS, CREDIT, ssdKmc)
        .transportKey("debit-kek", KEK).transportKey("credit-kek", CREDIT_KEK).build();
  }

  /** The card's channel, keeping every INITIALIZE UPDATE answer. */
  private static CardChannel traced(VirtualEmvCard card, List<ResponseApdu> initializeUpdates) {
    CardChannel inner = VirtualCard.connect(card);
    return c -> {
      ResponseApdu r = inner.transmit(c);
      if (c.ins() == 0x50) {
        initializeUpdates.add(r);
      }
      return r;
    };
  }

  @Test
  void twoApplicationsWithDifferentScpsKmcsAndIssuerKeysArePersonalizedAndVerifiedInOneCall() {
    CardRecord data = prepare();
    List<ApplicationData> apps = ApplicationsSection.decode(data);
    assertThat(apps).extracting(ApplicationData::aid).containsExactly(DEBIT, CREDIT);
    assertThat(apps.get(1).dgis().stream().filter(d -> d.dgi().id() == 0x8000).findFirst().orElseThrow().transportKey())
        .contains("credit-kek");

    VirtualEmvCard card = blankCard();
    List<ResponseApdu> initializeUpdates = new ArrayList<>();
    PersoResult result = personalizer(SSD_KMC).personalize(traced(card, initializeUpdates), data);

    assertThat(result.applications()).containsExactly(DEBIT.toHex(), CREDIT.toHex());
    assertThat(card.state(DEBIT)).isEqualTo(VirtualEmvCard.LifeCycle.PERSONALIZED);
    assertThat(card.state(CREDIT)).isEqualTo(VirtualEmvCard.LifeCycle.PERSONALIZED);
    // INITIALIZE UPDATE answer: KDD (10) | key version | SCP identifier | (SCP03: i) ... (GP 2.3.1 Table 11-74,
    // Amd D Table 7-4). The debit application's channel is the ISD's SCP02; the credit one's is the SSD's SCP03 i=70.
    assertThat(initializeUpdates).hasSize(2);
    assertThat(initializeUpdates.get(0).data().getUnsigned(11)).isEqualTo(0x02);
    assertThat(initializeUpdates.get(1).data().getUnsigned(11)).isEqualTo(0x03);
    assertThat(initializeUpdates.get(1).data().getUnsigned(12)).isEqualTo(0x70);
    assertThat(initializeUpdates.get(1).data().getUnsigned(10)).isEqualTo(0x30);
    assertThat(String.join("\n", result.audit())).contains("SELECT " + SSD.toHex()).contains("INSTALL [for personalization] "
        + CREDIT.toHex());

    List<String> checks = CardVerifier.builder(CRYPTO, tdes(DEBIT_IMK, KeyUsage.IMK_AC))
        .imkAc(CREDIT, tdes(CREDIT_IMK, KeyUsage.IMK_AC)).build().verify(VirtualCard.connect(card), data);
    assertThat(checks).anyMatch(c -> c.contains(DEBIT.toHex()) && c.contains("ARQC verified"))
        .anyMatch(c -> c.contains(CREDIT.toHex()) && c.contains("ARQC verified"));
  }

  @Test
  void verifyingWithTheWrongIssuerKeyForOneApplicationFailsNamingThatApplication() {
    CardRecord data = prepare();
    VirtualEmvCard card = blankCard();
    personalizer(SSD_KMC).personalize(VirtualCard.connect(card), data);

    // the debit application's IMK for both: the credit application's ARQC does not verify
    CardVerifier wrong = CardVerifier.builder(CRYPTO, tdes(DEBIT_IMK, KeyUsage.IMK_AC)).build();
    assertThatThrownBy(() -> wrong.verify(VirtualCard.connect(card), data))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining(CREDIT.toHex()).hasMessageContaining("ARQC").hasMessageNotContaining(DEBIT_IMK);
  }

  @Test
  void theSupplementarySecurityDomainAnswersWithItsOwnKeysNotTheIsds() {
    CardRecord data = prepare();
    VirtualEmvCard card = blankCard();
    // another AES KMC for the SSD than the card's: the debit application (ISD, SCP02) is personalized, the
    // credit application's SD's card cryptogram does not verify and nothing is sent to it
    KeyRef otherAes = ClearKeyRef.fromHex(KeyAlgorithm.AES_128, KeyUsage.KMC, "404142434445464748494A4B4C4D4E4F");
    assertThatThrownBy(() -> personalizer(otherAes).personalize(VirtualCard.connect(card), data))
        .isInstanceOf(SecureChannelException.class);
    assertThat(card.state(DEBIT)).isEqualTo(VirtualEmvCard.LifeCycle.PERSONALIZED);
    assertThat(card.state(CREDIT)).isEqualTo(VirtualEmvCard.LifeCycle.SELECTABLE);
    assertThat(card.storedDgis(CREDIT)).isEmpty();
  }

  @Test
  void anApplicationWithItsOwnScp03ChannelNeedsAnAesKmcOfItsOwnAtSetUp() {
    assertThatThrownBy(() -> CpsPersonalizer.builder(CRYPTO).profile(TWO_APPS, ISD_KMC).build())
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("two-app-example").hasMessageContaining(CREDIT.toHex()).hasMessageContaining("AES");
  }

  @Test
  void applicationsOfOneCardMayNameDifferentProfiles() {
    // the same card split into two card profiles, one per application, each with its own channel and KMC
    CardProfile debit = CardProfile.builder("debit").secureChannel(TWO_APPS.secureChannel())
        .dgiRules(TWO_APPS.dgiRules()).application(ApplicationProfile.application(DEBIT, "DEBIT")).build();
    CardProfile credit = TWO_APPS.forApplication(CREDIT).newBuilder().build();
    CardProfile creditNamed = CardProfile.builder("credit").secureChannel(credit.secureChannel())
        .dgiRules(credit.dgiRules()).application(credit.applications().get(0)).build();
    List<ApplicationData> apps = ApplicationsSection.decode(prepare());
    List<ApplicationData> renamed = List.of(new ApplicationData(DEBIT, "debit", apps.get(0).dgis()),
        new ApplicationData(CREDIT, "credit", apps.get(1).dgis()));

    VirtualEmvCard card = blankCard();
    PersoResult result = CpsPersonalizer.builder(CRYPTO).profile(debit, ISD_KMC).profile(creditNamed, SSD_KMC)
        .transportKey("debit-kek", KEK).transportKey("credit-kek", CREDIT_KEK).build()
        .personalize(VirtualCard.connect(card), "0001", renamed);

    assertThat(result.applications()).containsExactly(DEBIT.toHex(), CREDIT.toHex());
    assertThat(CardVerifier.builder(CRYPTO, tdes(DEBIT_IMK, KeyUsage.IMK_AC)).imkAc(CREDIT, tdes(CREDIT_IMK, KeyUsage.IMK_AC))
        .build().verify(VirtualCard.connect(card), "0001", renamed)).hasSizeGreaterThan(6);
  }

  @Test
  void theIsdDoesNotInstallAnApplicationOfAnotherSecurityDomain() {
    // the credit application belongs to the SSD: personalizing it through the ISD is refused by the card
    CardProfile viaIsd = CardProfile.builder("via-isd").secureChannel(TWO_APPS.secureChannel())
        .dgiRules(TWO_APPS.dgiRules()).application(ApplicationProfile.viaSecurityDomain(CREDIT, "CREDIT",
            Bytes.fromHex("A000000151000000"))).build();
    List<ApplicationData> apps = ApplicationsSection.decode(prepare());
    VirtualEmvCard card = blankCard();
    assertThatThrownBy(() -> CpsPersonalizer.builder(CRYPTO).profile(viaIsd, ISD_KMC).transportKey("credit-kek", CREDIT_KEK)
        .build().personalize(VirtualCard.connect(card), "0001", List.of(new ApplicationData(CREDIT, "via-isd",
            apps.get(1).dgis()))))
        .isInstanceOf(PersoException.class).hasMessageContaining("INSTALL");
    assertThat(card.state(CREDIT)).isEqualTo(VirtualEmvCard.LifeCycle.SELECTABLE);
  }

  @Test
  void applicationsOfOneSupplementarySecurityDomainShareItsKmc() {
    // GP Card Spec 2.3.1 §7.2: one Security Domain, one key set; a second application in the SSD with another
    // KMC is a set-up error, not a KMC silently ignored
    ApplicationProfile credit = TWO_APPS.application(CREDIT).orElseThrow();
    Bytes maestro = Bytes.fromHex("A0000000043060");
    CardProfile oneSsd = TWO_APPS.newBuilder().application(ApplicationProfile.viaSecurityDomain(maestro, "MAESTRO", SSD)
        .withSecureChannel(credit.secureChannel().orElseThrow())).build();
    KeyRef otherAes = ClearKeyRef.fromHex(KeyAlgorithm.AES_128, KeyUsage.KMC, "0F0E0D0C0B0A09080706050403020100");

    assertThatThrownBy(() -> VirtualEmvCard.builder(CRYPTO, ISD_KMC, oneSsd).applicationKmc(CREDIT, SSD_KMC)
        .applicationKmc(maestro, otherAes).build())
        .isInstanceOf(ValidationException.class).hasMessageContaining(maestro.toHex()).hasMessageContaining("one key set");
    VirtualEmvCard same = VirtualEmvCard.builder(CRYPTO, ISD_KMC, oneSsd).applicationKmc(CREDIT, SSD_KMC)
        .applicationKmc(maestro, SSD_KMC).build();
    assertThat(same.state(maestro)).isEqualTo(VirtualEmvCard.LifeCycle.SELECTABLE);
  }
}
