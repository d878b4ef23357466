package dev.perso.emv.prep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perso.core.Bytes;
import dev.perso.core.tlv.Tag;
import dev.perso.core.tlv.Tlv;
import dev.perso.crypto.CipherSpec;
import dev.perso.crypto.ClearKeyRef;
import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.KeyAlgorithm;
import dev.perso.crypto.KeyUsage;
import dev.perso.crypto.PinBlock;
import dev.perso.crypto.SoftwareBackend;
import dev.perso.core.record.CardRecord;
import dev.perso.core.record.JsonLinesRecords;
import dev.perso.emv.cps.ApplicationsSection;
import dev.perso.emv.cps.InputDgi;
import dev.perso.iso7813.IssuerLayout;
import dev.perso.iso7813.MagStripe;
import dev.perso.iso7813.Name;
import dev.perso.iso7813.StripeKeys;
import dev.perso.iso7813.StripeRecord;
import dev.perso.iso7813.step.MagStripeStep;
import java.util.Set;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CardDataPreparationTest {
  private static final CryptoBackend CRYPTO = new SoftwareBackend();
  // IMK of pyemv's kd.derive_icc_mk_a doctest (knovichikhin/pyemv), used for all three IMKs here.
  private static final String IMK = "0123456789ABCDEFFEDCBA9876543210";
  private static final String KEK = "00112233445566778899AABBCCDDEEFF";

  private static ClearKeyRef key(String hex, KeyUsage usage) {
    return ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, usage, hex);
  }

  private static IssuerKeys issuerKeys() {
    return new IssuerKeys(key(IMK, KeyUsage.IMK_AC), key(IMK, KeyUsage.IMK_SMI), key(IMK, KeyUsage.IMK_SMC),
        key(IMK, KeyUsage.CVK), key(IMK, KeyUsage.PVK), key(KEK, KeyUsage.KEK), "transport-kek");
  }

  private static CardRecord prepare() {
    // PAN and PSN of pyemv's kd.derive_icc_mk_a doctest: 12345678901234567 / 01 (Luhn off: a test PAN).
    StripeRecord stripe = StripeRecord.builder().pan("12345678901234567").luhnCheck(false)
        .name(Name.of("Cardmember", "Test")).expiry("2812").serviceCode("201").pvki(1).pin("1234").build();
    // A 17-digit PAN leaves room on track 2 for the shorter example layout only.
    return CardDataPreparation.builder(CRYPTO, issuerKeys()).layout(IssuerLayout.EXAMPLE_CVV).build()
        .prepare(new Cardholder("0001", stripe, "01"));
  }

  private static Map<String, InputDgi> dgis(CardRecord card) {
    return ApplicationsSection.decode(card).get(0).dgis().stream()
        .collect(Collectors.toMap(d -> d.dgi().idHex(), Function.identity()));
  }

  @Test
  void iccMasterKeysAreOptionADerivedAndTravelUnderTheKek() {
    Map<String, InputDgi> dgis = dgis(prepare());
    InputDgi keys = dgis.get("8000");
    assertThat(keys.transportKey()).contains("transport-kek");
    Bytes clear = CRYPTO.decrypt(key(KEK, KeyUsage.DATA), CipherSpec.ecb(), keys.dgi().value());
    // pyemv kd.derive_icc_mk_a doctest: ICC MK = 73AD54688CEF2934B0979857E3C719F1
    assertThat(clear.slice(0, 16).toHex()).isEqualTo("73AD54688CEF2934B0979857E3C719F1");
    assertThat(clear.length()).isEqualTo(48);
    // 9000 holds the three KCVs, each DES(K, 00x8)[0:3].
    Bytes kcv = CRYPTO.encrypt(key(clear.slice(0, 16).toHex(), KeyUsage.DATA), CipherSpec.ecb(), Bytes.of(new byte[8]));
    assertThat(dgis.get("9000").dgi().value().slice(0, 3)).isEqualTo(kcv.slice(0, 3));
  }

  @Test
  void pinBlockTravelsAsFormat1UnderTheKekAndEqualPinsGiveDifferentCryptograms() {
    InputDgi pin = dgis(prepare()).get("8010");
    assertThat(pin.pinBlockFormat()).contains(PinBlock.Format.ISO_1);
    assertThat(pin.transportKey()).contains("transport-kek");
    Bytes clear = CRYPTO.decrypt(key(KEK, KeyUsage.DATA), CipherSpec.ecb(), pin.dgi().value());
    // ISO 9564-1 format 1: control 1, length 4, the PIN, then random fill (PCI PIN allows formats 0, 1, 3 and 4
    // in transit; format 2 only inside the ICC, where the personalizer's translation puts it).
    assertThat(clear.toHex()).startsWith("141234");
    assertThat(PinBlock.decode(PinBlock.Format.ISO_1, clear, null)).isEqualTo("1234");
    // Before issue 11 item 9, format 2 under the KEK in ECB made these two equal.
    assertThat(dgis(prepare()).get("8010").dgi().value()).isNotEqualTo(pin.dgi().value());
  }

  @Test
  void recordsCarryTrack2EquivalentAndPanAndTheStripeHasBothTracks() {
    CardRecord card = prepare();
    Map<String, InputDgi> dgis = dgis(card);
    Tlv record1 = Tlv.parseAll(dgis.get("0101").dgi().value()).get(0);
    String t2eq = record1.find(Tag.of(0x57)).orElseThrow().value().toHex();
    assertThat(t2eq).startsWith("12345678901234567D2812201").endsWith("F");
    Tlv record2 = Tlv.parseAll(dgis.get("0102").dgi().value()).get(0);
    assertThat(record2.find(Tag.of(0x5A)).orElseThrow().value().toHex()).isEqualTo("12345678901234567F");
    assertThat(record2.find(Tag.of(0x5F24)).orElseThrow().value().toHex()).isEqualTo("281231");
    // The stripe step builds the tracks from the magstripe section, with the CVV from the same CVK.
    MagStripe stripe = MagStripeStep.builder(IssuerLayout.EXAMPLE_CVV, StripeKeys.of(CRYPTO, key(IMK, KeyUsage.CVK), null))
        .luhnCheck(false).build().tracks(card);
    assertThat(stripe.track2().orElseThrow().text()).startsWith(";12345678901234567=2812201");
    assertThat(stripe.track1().orElseThrow().text()).startsWith("%B12345678901234567^CARDMEMBER/TEST^2812201");
    // The chip carries the iCVV, the stripe the CVV: the discretionary data differ.
    String stripeDd = stripe.track2().orElseThrow().text().substring(";12345678901234567=2812201".length());
    assertThat(t2eq.substring("12345678901234567D2812201".length())).doesNotStartWith(stripeDd.replace("?", ""));
  }

  @Test
  void roundTripsThroughJsonLinesAndNeverPrintsSecrets() {
    CardRecord card = prepare();
    assertThat(JsonLinesRecords.parseLine(JsonLinesRecords.toJsonLine(card), "x:1")).isEqualTo(card);
    assertThat(card.toString()).doesNotContain("12345678901234567").doesNotContain("1234FFFF");
    assertThat(card.sectionNames()).containsExactly("applications", "magstripe");
    // The stripe fields travel without the PIN.
    assertThat(card.section("magstripe").orElseThrow().has("pin")).isFalse();
    assertThat(JsonLinesRecords.toJsonLine(card)).doesNotContain("\"1234\"");
  }

  @Test
  void onlyTheSectionsAskedForAreProduced() {
    StripeRecord stripe = StripeRecord.builder().pan("12345678901234567").luhnCheck(false)
        .name(Name.of("Cardmember", "Test")).expiry("2812").serviceCode("201").pvki(1).pin("1234").build();
    CardRecord chipOnly = CardDataPreparation.builder(CRYPTO, issuerKeys()).layout(IssuerLayout.EXAMPLE_CVV)
        .sections(Set.of("applications")).build().prepare(new Cardholder("0002", stripe, "01"));
    assertThat(chipOnly.sectionNames()).containsExactly("applications");
    CardRecord all = CardDataPreparation.builder(CRYPTO, issuerKeys()).layout(IssuerLayout.EXAMPLE_CVV)
        .sections(Set.of("applications", "magstripe", "surface")).build().prepare(new Cardholder("0003", stripe, "01"));
    assertThat(all.section("surface").orElseThrow().get("expiry").asText()).isEqualTo("2812");
    assertThat(all.section("surface").orElseThrow().get("cvv2").asText()).matches("\\d{3}");
    assertThat(all.section("surface").orElseThrow().get("name").asText()).isEqualTo("TEST CARDMEMBER");
  }

  /** Issue 12 §2: the KCV format of DGI 9000 comes from the card profile, not a hidden convention. */
  @Test
  void theProfileSaysTheKcvFormatAndTheAid() {
    dev.perso.emv.cps.CardProfile fourByteKcvs = dev.perso.emv.cps.CardProfile.example("vsdc-example").newBuilder()
        .kcv(0x9000, new dev.perso.emv.cps.KcvRule(0x8000, KeyAlgorithm.TDES_2KEY,
            dev.perso.crypto.KcvMethod.ENCRYPT_ZEROS, 4)).build();
    StripeRecord stripe = StripeRecord.builder().pan("4761739001010010").name(Name.of("Cardmember", "Test"))
        .expiry("2812").serviceCode("201").pvki(1).pin("1234").build();
    CardRecord card = CardDataPreparation.builder(CRYPTO, issuerKeys()).profile(fourByteKcvs).build()
        .prepare(new Cardholder("0002", stripe, "01"));
    assertThat(dgis(card).get("9000").dgi().value().length()).isEqualTo(12);   // 3 keys x 4 bytes
    assertThat(ApplicationsSection.decode(card).get(0).aid().toHex()).isEqualTo("A0000000031010");
    assertThat(ApplicationsSection.decode(card).get(0).profile()).isEqualTo("vsdc-example");
  }
}
