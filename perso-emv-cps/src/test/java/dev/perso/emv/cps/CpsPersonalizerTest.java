package dev.perso.emv.cps;

import static dev.perso.emv.cps.TestCards.CRYPTO;
import static dev.perso.emv.cps.TestCards.IMK;
import static dev.perso.emv.cps.TestCards.KEK;
import static dev.perso.emv.cps.TestCards.KMC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import dev.perso.core.record.CardRecord;
import dev.perso.core.CardStatusException;
import dev.perso.core.PersoException;
import dev.perso.core.SecureChannelException;
import dev.perso.core.TransportException;
import dev.perso.core.ValidationException;
import dev.perso.core.card.VirtualCard;
import dev.perso.core.event.PersoEvents;
import dev.perso.crypto.ClearKeyRef;
import dev.perso.crypto.KeyAlgorithm;
import dev.perso.crypto.KeyUsage;
import dev.perso.emv.card.VirtualEmvCard;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CpsPersonalizerTest {
  private static final CardProfile VSDC = CardProfile.example("vsdc-example");
  private static final CardProfile MCHIP = CardProfile.example("mchip-example");

  private static CpsPersonalizer personalizer(PersoEvents events) {
    return CpsPersonalizer.builder(CRYPTO).profile(VSDC, KMC).profile(MCHIP, TestCards.KMC_AES)
        .transportKey("transport-kek", KEK).events(events).build();
  }

  private static VirtualEmvCard card(CardProfile profile, VirtualEmvCard.Fault... faults) {
    VirtualEmvCard.Builder b = VirtualEmvCard.builder(CRYPTO, profile == MCHIP ? TestCards.KMC_AES : KMC, profile).kdd(Bytes.fromHex("00000000000000000042"));
    for (VirtualEmvCard.Fault f : faults) {
      b.fault(f);
    }
    return b.build();
  }

  @Test
  void scp02ProfilePersonalizesAndTheCardVerifiesWithTheIssuerKey() {
    List<String> audit = new ArrayList<>();
    PersoEvents events = new PersoEvents() {
      @Override
      public void audit(String cardId, String entry) {
        audit.add(cardId + " " + entry);
      }
    };
    VirtualEmvCard card = card(VSDC);
    CardRecord data = TestCards.card("0001", TestCards.VSDC, "vsdc-example", true);
    PersoResult r = personalizer(events).personalize(VirtualCard.connect(card), data);

    assertThat(card.state(TestCards.VSDC)).isEqualTo(VirtualEmvCard.LifeCycle.PERSONALIZED);
    assertThat(card.storedDgis(TestCards.VSDC)).containsExactly(0x9102, 0x9104, 0x0101, 0x0102, 0x0201, 0x8000, 0x9000,
        0x8010, 0x9010);
    assertThat(r.storeDataCommands()).isGreaterThanOrEqualTo(4);   // the 600-byte record is split
    assertThat(audit).anyMatch(a -> a.contains("STORE DATA P1=60") && a.contains("[8000"));
    assertThat(audit.get(audit.size() - 1)).contains("STORE DATA P1=").contains("-> 9000");
    assertThat(String.join("\n", audit)).doesNotContain("241234").doesNotContain("12345678901234567");

    List<String> checks = CardVerifier.builder(CRYPTO, IMK).build().verify(VirtualCard.connect(card), data);
    assertThat(checks).anyMatch(c -> c.contains("ARQC verified"));
    assertThat(checks).anyMatch(c -> c.contains("record SFI 2 #1"));
  }

  @Test
  void theVerifierTakesAnIssuerKeyPerApplication() {
    VirtualEmvCard card = card(VSDC);
    CardRecord data = TestCards.card("0013", TestCards.VSDC, "vsdc-example", false);
    personalizer(PersoEvents.NONE).personalize(VirtualCard.connect(card), data);
    ClearKeyRef otherScheme = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.IMK_AC, "FEDCBA98765432100123456789ABCDEF");
    assertThatThrownBy(() -> CardVerifier.builder(CRYPTO, otherScheme).build().verify(VirtualCard.connect(card), data))
        .isInstanceOf(PersoException.class).hasMessageContaining("ARQC");
    assertThat(CardVerifier.builder(CRYPTO, otherScheme).imkAc(TestCards.VSDC, IMK).build()
        .verify(VirtualCard.connect(card), data)).anyMatch(c -> c.contains("ARQC verified"));
  }

  @Test
  void scp03ProfileGoesThroughTheSecurityDomainWithInstallForPersonalization() {
    VirtualEmvCard card = card(MCHIP);
    CardRecord data = TestCards.card("0002", TestCards.MCHIP, "mchip-example", false);
    PersoResult r = personalizer(PersoEvents.NONE).personalize(VirtualCard.connect(card), data);
    assertThat(r.audit()).anyMatch(a -> a.contains("INSTALL [for personalization]"));
    assertThat(r.audit()).anyMatch(a -> a.contains("P1=E8") || a.contains("P1=88"));   // DGI-format bit set
    assertThat(card.state(TestCards.MCHIP)).isEqualTo(VirtualEmvCard.LifeCycle.PERSONALIZED);
    CardVerifier.builder(CRYPTO, IMK).build().verify(VirtualCard.connect(card), data);
  }

  /**
   * Issue 11 item 9: data preparation sends the PIN as an ISO 9564-1 format 1 block (random fill) under the
   * KEK; the personalizer has the backend translate it to the format 2 block under the DEK. The card then
   * verifies the cardholder's PIN offline (EMV Book 3 §6.5.12: VERIFY 00 20 00 80 with the format 2
   * block, 63Cx on a wrong PIN, 9000 and the counter reset on the right one).
   */
  @Test
  void thePinTravelsAsFormatOneAndTheCardVerifiesTheCardholdersPin() {
    for (CardProfile profile : List.of(VSDC, MCHIP)) {
      VirtualEmvCard card = card(profile);
      Bytes aid = profile == VSDC ? TestCards.VSDC : TestCards.MCHIP;
      CardRecord data = TestCards.card("0010", aid, profile.name(), false);
      CardRecord again = TestCards.card("0010", aid, profile.name(), false);
      assertThat(pinDgi(data)).isNotEqualTo(pinDgi(again));   // equal PINs, different cryptograms
      personalizer(PersoEvents.NONE).personalize(VirtualCard.connect(card), data);

      dev.perso.core.channel.CardChannel ch = VirtualCard.connect(card);
      assertThat(ch.transmit(dev.perso.core.apdu.CommandApdu.of(0x00, 0xA4, 0x04, 0x00, aid)).sw().toHex()).isEqualTo("9000");
      Bytes wrong = dev.perso.crypto.PinBlock.encode(dev.perso.crypto.PinBlock.Format.ISO_2, "9999", null);
      Bytes right = dev.perso.crypto.PinBlock.encode(dev.perso.crypto.PinBlock.Format.ISO_2, TestCards.PIN, null);
      assertThat(ch.transmit(verify(wrong)).sw().toHex()).as(profile.name()).isEqualTo("63C2");
      assertThat(ch.transmit(verify(right)).sw().toHex()).as(profile.name()).isEqualTo("9000");
      assertThat(ch.transmit(dev.perso.core.apdu.CommandApdu.of(0x80, 0xCA, 0x9F, 0x17)).data().toHex())
          .isEqualTo("9F170103");   // the counter is back at the try limit
    }
  }

  @Test
  void aPinBlockUnderTheKekIsRefusedWhenTheProfileSendsTheDgiInClearOrCannotPadIt() {
    CardRecord data = TestCards.card("0011", TestCards.VSDC, "vsdc-example", false);
    CardProfile clearPin = VSDC.newBuilder().dgi(0x8010, DgiEncryption.PLAINTEXT).build();
    assertThatThrownBy(() -> CpsPersonalizer.builder(CRYPTO).profile(clearPin, KMC).transportKey("transport-kek", KEK)
        .build().personalize(VirtualCard.connect(card(VSDC)), data))
        .isInstanceOf(ValidationException.class).hasMessageContaining("8010").hasMessageContaining("clear");
    assertThatThrownBy(() -> DgiPreparation.pinBlockPadding(DgiEncryption.ENCRYPTED, 16, "dgi 8010"))
        .isInstanceOf(ValidationException.class).hasMessageContaining("forbids padding");
  }

  /**
   * Issue 12 §1: the KCV check takes the key algorithm, method and length from the profile. An AES key DGI
   * with 5-byte AES-CMAC KCVs: the expected KCV is Bouncy Castle's CMac(AES) over 16 zero bytes, leftmost 5
   * bytes (ANSI X9.24-1-2017), computed here independently of the backend.
   */
  @Test
  void kcvRulesComeFromTheProfile() {
    Bytes aesKey = Bytes.fromHex("2B7E151628AED2A6ABF7158809CF4F3C");
    org.bouncycastle.crypto.macs.CMac cmac = new org.bouncycastle.crypto.macs.CMac(
        org.bouncycastle.crypto.engines.AESEngine.newInstance());
    cmac.init(new org.bouncycastle.crypto.params.KeyParameter(aesKey.toByteArray()));
    byte[] mac = new byte[16];
    cmac.update(new byte[16], 0, 16);
    cmac.doFinal(mac, 0);
    Bytes kcv = Bytes.of(mac).slice(0, 5);
    CardProfile aes = MCHIP.newBuilder().kcv(0x9000, new KcvRule(0x8000, dev.perso.crypto.KeyAlgorithm.AES_128,
        dev.perso.crypto.KcvMethod.AES_CMAC_ZEROS, 5)).dgi(0x8000, DgiEncryption.ENCRYPTED).build();
    java.util.function.Function<Bytes, CardRecord> record = k -> TestCards.record("0012", List.of(new ApplicationData(
        TestCards.MCHIP, "mchip-example", List.of(InputDgi.clear(Dgi.of(0x8000, aesKey)), InputDgi.clear(Dgi.of(0x9000, k))))));
    CpsPersonalizer perso = CpsPersonalizer.builder(CRYPTO).profile(aes, TestCards.KMC_AES).build();
    VirtualEmvCard card = VirtualEmvCard.builder(CRYPTO, TestCards.KMC_AES, aes).kdd(Bytes.fromHex("00000000000000000042")).build();
    perso.personalize(VirtualCard.connect(card), record.apply(kcv));
    assertThat(card.state(TestCards.MCHIP)).isEqualTo(VirtualEmvCard.LifeCycle.PERSONALIZED);
    assertThatThrownBy(() -> perso.personalize(VirtualCard.connect(card(MCHIP)), record.apply(Bytes.fromHex("0000000000"))))
        .isInstanceOf(ValidationException.class).hasMessageContaining("KCV 1 does not match");
    assertThatThrownBy(() -> perso.personalize(VirtualCard.connect(card(MCHIP)), record.apply(kcv.slice(0, 3))))
        .isInstanceOf(ValidationException.class).hasMessageContaining("5 bytes per key");
    // the JSON form of the same rule
    CardProfile parsed = CardProfile.parse("{\"name\":\"x\",\"applications\":[{\"aid\":\"A0000000041010\"}],"
        + "\"secureChannel\":{\"scp\":\"03\",\"i\":\"70\",\"securityLevel\":\"03\"},"
        + "\"kcv\":{\"9000\":{\"keys\":\"8000\",\"keyAlgorithm\":\"AES_128\",\"method\":\"AES_CMAC_ZEROS\",\"length\":5}}}", "k.json");
    assertThat(parsed.kcvRules().get(0x9000)).isEqualTo(aes.kcvRules().get(0x9000));
    assertThatThrownBy(() -> CardProfile.parse("{\"name\":\"x\",\"applications\":[{\"aid\":\"A0000000041010\"}],"
        + "\"secureChannel\":{\"scp\":\"03\",\"i\":\"70\",\"securityLevel\":\"03\"},"
        + "\"kcv\":{\"9000\":{\"keys\":\"8000\",\"method\":\"AES_CMAC_ZEROS\"}}}", "k.json"))
        .hasMessageContaining("k.json kcv.9000 method").hasMessageContaining("AES");
  }

  private static dev.perso.core.apdu.CommandApdu verify(Bytes formatTwoBlock) {
    return dev.perso.core.apdu.CommandApdu.of(0x00, 0x20, 0x00, 0x80, formatTwoBlock);
  }

  private static Bytes pinDgi(CardRecord r) {
    return ApplicationsSection.decode(r).get(0).dgis().stream().filter(d -> d.dgi().id() == 0x8010).findFirst()
        .orElseThrow().dgi().value();
  }

  @Test
  void theCallersChannelIsLeftOpenForReadBack() {
    VirtualEmvCard card = card(VSDC);
    CardRecord data = TestCards.card("0008", TestCards.VSDC, "vsdc-example", false);
    boolean[] closed = {false};
    dev.perso.core.channel.CardChannel in = VirtualCard.connect(card);
    dev.perso.core.channel.CardChannel reader = new dev.perso.core.channel.CardChannel() {
      @Override
      public dev.perso.core.apdu.ResponseApdu transmit(dev.perso.core.apdu.CommandApdu command) {
        return in.transmit(command);
      }

      @Override
      public void close() {
        closed[0] = true;
      }
    };
    personalizer(PersoEvents.NONE).personalize(reader, data);
    assertThat(closed[0]).isFalse();
  }

  @Test
  void aPersonalizedCardRefusesFurtherStoreData() {
    VirtualEmvCard card = card(VSDC);
    CardRecord data = TestCards.card("0003", TestCards.VSDC, "vsdc-example", false);
    personalizer(PersoEvents.NONE).personalize(VirtualCard.connect(card), data);
    assertThatThrownBy(() -> personalizer(PersoEvents.NONE).personalize(VirtualCard.connect(card), data))
        .isInstanceOf(CardStatusException.class)
        .hasMessageContaining("STORE DATA block 0").hasMessageContaining("6985");
  }

  @Test
  void injectedFaultsRejectTheCardWithTheRightReason() {
    CardRecord data = TestCards.card("0004", TestCards.VSDC, "vsdc-example", false);
    assertThatThrownBy(() -> personalizer(PersoEvents.NONE).personalize(
        VirtualCard.connect(card(VSDC, VirtualEmvCard.Fault.wrongStatus(1, 0x6A84))), data))
        .isInstanceOf(CardStatusException.class).hasMessageContaining("block 1").hasMessageContaining("6A84");
    assertThatThrownBy(() -> personalizer(PersoEvents.NONE).personalize(
        VirtualCard.connect(card(VSDC, VirtualEmvCard.Fault.tamperedMac(0))), data))
        .isInstanceOf(CardStatusException.class).hasMessageContaining("6982");
    VirtualEmvCard removed = card(VSDC, VirtualEmvCard.Fault.removed(1));
    assertThatThrownBy(() -> personalizer(PersoEvents.NONE).personalize(VirtualCard.connect(removed), data))
        .isInstanceOf(TransportException.class).hasMessageContaining("removed");
    assertThat(removed.state(TestCards.VSDC)).isEqualTo(VirtualEmvCard.LifeCycle.SELECTABLE);
  }

  @Test
  void aCardRejectedAtStoreDataBlock1CountsTheBlockItAccepted() {
    CardRecord data = TestCards.card("0006", TestCards.VSDC, "vsdc-example", false);
    assertThatThrownBy(() -> personalizer(PersoEvents.NONE).personalize(
        VirtualCard.connect(card(VSDC, VirtualEmvCard.Fault.wrongStatus(1, 0x6A84))), data))
        .isInstanceOfSatisfying(StoreDataException.class, e -> {
          assertThat(e.accepted()).isEqualTo(1);
          assertThat(e.sw().value()).isEqualTo(0x6A84);
          assertThat(e).hasMessageContaining("STORE DATA block 1").hasMessageContaining("after 1 accepted STORE DATA command)");
        });
    assertThatThrownBy(() -> personalizer(PersoEvents.NONE).personalize(
        VirtualCard.connect(card(VSDC, VirtualEmvCard.Fault.wrongStatus(0, 0x6A84))), data))
        .isInstanceOfSatisfying(StoreDataException.class, e -> assertThat(e.accepted()).isZero());
  }

  @Test
  void wrongKmcIsCaughtBeforeExternalAuthenticate() {
    ClearKeyRef other = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.KMC, "000102030405060708090A0B0C0D0E0F");
    CpsPersonalizer wrong = CpsPersonalizer.builder(CRYPTO).profile(VSDC, other).transportKey("transport-kek", KEK).build();
    VirtualEmvCard card = card(VSDC);
    assertThatThrownBy(() -> wrong.personalize(VirtualCard.connect(card),
        TestCards.card("0005", TestCards.VSDC, "vsdc-example", false)))
        .isInstanceOf(SecureChannelException.class);
    assertThat(card.state(TestCards.VSDC)).isEqualTo(VirtualEmvCard.LifeCycle.SELECTABLE);
  }

  @Test
  void badDataIsRejectedBeforeAnythingIsStored() {
    CardRecord data = TestCards.card("0006", TestCards.VSDC, "vsdc-example", false);
    List<InputDgi> dgis = new ArrayList<>(ApplicationsSection.decode(data).get(0).dgis());
    int kcv = dgis.indexOf(dgis.stream().filter(d -> d.dgi().id() == 0x9000).findFirst().orElseThrow());
    dgis.set(kcv, InputDgi.clear(Dgi.of(0x9000, Bytes.fromHex("000000000000000000"))));   // wrong KCVs
    CardRecord badKcv = TestCards.record("0006", List.of(new ApplicationData(TestCards.VSDC, "vsdc-example", dgis)));
    VirtualEmvCard card = card(VSDC);
    assertThatThrownBy(() -> personalizer(PersoEvents.NONE).personalize(VirtualCard.connect(card), badKcv))
        .isInstanceOf(PersoException.class).hasMessageContaining("card 0006");
    assertThat(card.storedDgis(TestCards.VSDC)).isEmpty();

    CardRecord unknownProfile = TestCards.record("0007", List.of(new ApplicationData(TestCards.VSDC, "nope",
        ApplicationsSection.decode(data).get(0).dgis())));
    assertThatThrownBy(() -> personalizer(PersoEvents.NONE).personalize(VirtualCard.connect(card), unknownProfile))
        .isInstanceOf(ValidationException.class).hasMessageContaining("no profile named 'nope'");
  }

  /** Issue 11 item 12: a rejection names the file, the line, the card, the application and the DGI. */
  @Test
  void rejectionsNameTheFileLineCardApplicationAndDgi() {
    CardRecord data = TestCards.card("0009", TestCards.VSDC, "vsdc-example", false);
    List<InputDgi> dgis = new ArrayList<>(ApplicationsSection.decode(data).get(0).dgis());
    int k = indexOf(dgis, 0x8000);
    List<InputDgi> otherKek = new ArrayList<>(dgis);
    otherKek.set(k, InputDgi.underKek(dgis.get(k).dgi(), "other-kek"));
    List<InputDgi> shortKcv = new ArrayList<>(dgis);
    shortKcv.set(indexOf(dgis, 0x9000), InputDgi.clear(Dgi.of(0x9000, Bytes.fromHex("97DC"))));
    VirtualEmvCard card = card(VSDC);
    String where = "batch.jsonl:3 card 0009 application A0000000031010 ";
    assertThatThrownBy(() -> personalizer(PersoEvents.NONE).personalize(VirtualCard.connect(card), read(otherKek)))
        .isInstanceOf(ValidationException.class)
        .hasMessage(where + "dgi 8000: transport key 'other-kek' is not configured");
    assertThatThrownBy(() -> personalizer(PersoEvents.NONE).personalize(VirtualCard.connect(card), read(shortKcv)))
        .isInstanceOf(ValidationException.class)
        .hasMessage(where + "dgi 9000: KCV DGI must hold 3 bytes per key of DGI 8000 (9 bytes), was 2 bytes");
    CardRecord unknown = read(dgis).newBuilder().build();
    assertThatThrownBy(() -> CpsPersonalizer.builder(CRYPTO).profile(CardProfile.example("mchip-example"), KMC).build()
        .personalize(VirtualCard.connect(card), unknown))
        .hasMessageStartingWith("batch.jsonl:3 card 0009 profile: no profile named 'vsdc-example'");
    assertThat(card.storedDgis(TestCards.VSDC)).isEmpty();
  }

  private static CardRecord read(List<InputDgi> dgis) {
    return TestCards.record("0009", List.of(new ApplicationData(TestCards.VSDC, "vsdc-example", dgis))).newBuilder()
        .location("batch.jsonl:3").build();
  }

  private static int indexOf(List<InputDgi> dgis, int id) {
    for (int i = 0; i < dgis.size(); i++) {
      if (dgis.get(i).dgi().id() == id) {
        return i;
      }
    }
    throw new AssertionError("no DGI " + Integer.toHexString(id));
  }

  @Test
  void paddingRules() {
    // ISO/IEC 9797-1 padding method 2: 80 then zeros to the block size.
    assertThat(DgiPreparation.pad(Bytes.fromHex("0102"), DgiEncryption.ENCRYPTED_PADDED, 8, "x").toHex())
        .isEqualTo("0102800000000000");
    assertThat(DgiPreparation.pad(Bytes.fromHex("0102030405060708"), DgiEncryption.ENCRYPTED_PADDED, 8, "x").toHex())
        .isEqualTo("01020304050607088000000000000000");
    assertThat(DgiPreparation.pad(Bytes.fromHex("0102030405060708"), DgiEncryption.ENCRYPTED_PAD_IF_NEEDED, 8, "x").toHex())
        .isEqualTo("0102030405060708");
    assertThatThrownBy(() -> DgiPreparation.pad(Bytes.fromHex("0102"), DgiEncryption.ENCRYPTED, 8, "dgi 8000"))
        .isInstanceOf(ValidationException.class).hasMessageContaining("dgi 8000");
  }

  @Test
  void multiApplicationCardsArePersonalizedInProfileOrder() {
    Bytes second = Bytes.fromHex("A0000000032010");
    CardProfile two = VSDC.newBuilder().application(ApplicationProfile.application(second, "VISA ELECTRON")).build();
    CardRecord first = TestCards.card("0008", TestCards.VSDC, "vsdc-example", false);
    CardRecord other = TestCards.card("0008", second, "vsdc-example", false);
    // The data lists the second application first; the profile's order wins.
    CardRecord both = TestCards.record("0008", List.of(ApplicationsSection.decode(other).get(0), ApplicationsSection.decode(first).get(0)));
    VirtualEmvCard card = VirtualEmvCard.builder(CRYPTO, KMC, two).kdd(Bytes.fromHex("00000000000000000008")).build();
    PersoResult r = CpsPersonalizer.builder(CRYPTO).profile(two, KMC).transportKey("transport-kek", KEK).build()
        .personalize(VirtualCard.connect(card), both);
    assertThat(r.applications()).containsExactly("A0000000031010", "A0000000032010");
    assertThat(card.state(TestCards.VSDC)).isEqualTo(VirtualEmvCard.LifeCycle.PERSONALIZED);
    assertThat(card.state(second)).isEqualTo(VirtualEmvCard.LifeCycle.PERSONALIZED);
    CardVerifier.builder(CRYPTO, IMK).build().verify(VirtualCard.connect(card), both);
  }
}
