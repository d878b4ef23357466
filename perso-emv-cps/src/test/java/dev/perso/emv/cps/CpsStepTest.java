package dev.perso.emv.cps;

import static dev.perso.emv.cps.TestCards.CRYPTO;
import static dev.perso.emv.cps.TestCards.IMK;
import static dev.perso.emv.cps.TestCards.KEK;
import static dev.perso.emv.cps.TestCards.KMC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.perso.core.Bytes;
import dev.perso.core.CardStatusException;
import dev.perso.core.DeviceException;
import dev.perso.core.DeviceFault;
import dev.perso.core.TransportException;
import dev.perso.core.ValidationException;
import dev.perso.core.card.VirtualCard;
import dev.perso.core.channel.CardChannel;
import dev.perso.core.device.CardTag;
import dev.perso.core.device.ChipSession;
import dev.perso.core.device.ChipStation;
import dev.perso.core.device.DeviceRole;
import dev.perso.core.device.DeviceStatus;
import dev.perso.core.event.PersoEvents;
import dev.perso.core.record.CardRecord;
import dev.perso.core.step.CardType;
import dev.perso.core.testing.TestStepContext;
import dev.perso.emv.card.VirtualEmvCard;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CpsStepTest {
  private static final CardProfile VSDC = CardProfile.example("vsdc-example");

  /** A chip station holding one virtual card; it logs each command's INS and can lose contact at command N. */
  static final class OneCardStation implements ChipStation {
    final VirtualCard card;
    final List<Integer> ins = new ArrayList<>();
    int loseContactAt;
    int powered;

    OneCardStation(VirtualCard card) {
      this.card = card;
    }

    @Override
    public ChipSession power(CardTag tag) {
      powered++;
      Bytes atr = card.reset();
      CardChannel toCard = card::process;
      return new ChipSession() {
        @Override
        public Bytes atr() {
          return atr;
        }

        @Override
        public CardChannel channel() {
          return command -> {
            ins.add(command.ins());
            if (ins.size() == loseContactAt) {
              throw new TransportException("contact lost");
            }
            return toCard.transmit(command);
          };
        }

        @Override
        public void close() {}
      };
    }

    @Override
    public String id() {
      return "test:chip#1";
    }

    @Override
    public DeviceStatus status() {
      return DeviceStatus.ready();
    }

    @Override
    public void close() {}
  }

  private static CpsStep step(boolean verify) {
    CpsStep.Builder b = CpsStep.builder(CRYPTO, VSDC, KMC).transportKey("transport-kek", KEK);
    return (verify ? b.verifyWith(IMK) : b).build();
  }

  private static VirtualEmvCard blank(VirtualEmvCard.Fault... faults) {
    VirtualEmvCard.Builder b = VirtualEmvCard.builder(CRYPTO, KMC, VSDC).kdd(Bytes.fromHex("00000000000000000042"));
    for (VirtualEmvCard.Fault f : faults) {
      b.fault(f);
    }
    return b.build();
  }

  @Test
  void personalizesAndVerifiesTheCardMarkingItWrittenAtTheFirstStoreData() {
    OneCardStation station = new OneCardStation(blank());
    List<Integer> commandsAtWrite = new ArrayList<>();
    List<String> audit = new ArrayList<>();
    TestStepContext ctx = new TestStepContext(TestCards.card("0001", TestCards.VSDC, "vsdc-example", true))
        .device(DeviceRole.CHIP_STATION, station)
        .onMarkWritten(() -> commandsAtWrite.add(station.ins.size()))
        .events(new PersoEvents() {
          @Override
          public void audit(String cardId, String entry) {
            audit.add(cardId + " " + entry);
          }
        });
    step(true).run(ctx);

    VirtualEmvCard card = (VirtualEmvCard) station.card;
    assertThat(card.state(TestCards.VSDC)).isEqualTo(VirtualEmvCard.LifeCycle.PERSONALIZED);
    assertThat(ctx.markWrittenCalls()).isEqualTo(1);
    // Marked before the first STORE DATA was sent: every command before it only reads or authenticates.
    int before = commandsAtWrite.get(0);
    assertThat(station.ins.subList(0, before)).containsExactly(0xA4, 0x50, 0x82);
    assertThat(station.ins.get(before)).isEqualTo(0xE2);
    assertThat(station.ins).contains(0xAE);   // verified: GENERATE AC, ARQC checked with the IMK
    assertThat(audit).anyMatch(a -> a.startsWith("0001 A0000000031010 STORE DATA"));
  }

  @Test
  void contactLostBeforeAnyWriteIsAChipContactErrorOfTheStation() {
    OneCardStation station = new OneCardStation(blank());
    station.loseContactAt = 2;   // INITIALIZE UPDATE
    TestStepContext ctx = new TestStepContext(TestCards.card("0002", TestCards.VSDC, "vsdc-example", false))
        .device(DeviceRole.CHIP_STATION, station);
    assertThatThrownBy(() -> step(false).run(ctx)).isInstanceOfSatisfying(DeviceException.class, e -> {
      assertThat(e.fault()).isEqualTo(DeviceFault.CHIP_CONTACT_ERROR);
      assertThat(e.device()).isEqualTo("test:chip#1");
    });
    assertThat(ctx.written()).isFalse();
  }

  @Test
  void contactLostAfterTheFirstWritePropagatesAsItIs() {
    OneCardStation station = new OneCardStation(blank());
    station.loseContactAt = 5;   // the second STORE DATA
    TestStepContext ctx = new TestStepContext(TestCards.card("0003", TestCards.VSDC, "vsdc-example", false))
        .device(DeviceRole.CHIP_STATION, station);
    assertThatThrownBy(() -> step(false).run(ctx)).isInstanceOf(TransportException.class)
        .isNotInstanceOf(DeviceException.class);
    assertThat(ctx.written()).isTrue();
  }

  @Test
  void cardErrorsAfterWritingPropagate() {
    OneCardStation station = new OneCardStation(blank(VirtualEmvCard.Fault.wrongStatus(1, 0x6A84)));
    TestStepContext ctx = new TestStepContext(TestCards.card("0004", TestCards.VSDC, "vsdc-example", false))
        .device(DeviceRole.CHIP_STATION, station);
    assertThatThrownBy(() -> step(false).run(ctx)).isInstanceOfSatisfying(CardStatusException.class,
        e -> assertThat(e.sw().toHex()).isEqualTo("6A84"));
    assertThat(ctx.markWrittenCalls()).isEqualTo(1);
  }

  @Test
  void virtualCardStockIsABlankCardOfTheProfileUnderTheKmc() {
    CpsStep step = step(true);
    VirtualCard stock = step.virtualCardStock().orElseThrow().apply(new CardTag(7, "0005"));
    assertThat(stock).isInstanceOf(VirtualEmvCard.class);
    assertThat(((VirtualEmvCard) stock).state(TestCards.VSDC)).isEqualTo(VirtualEmvCard.LifeCycle.SELECTABLE);
    OneCardStation station = new OneCardStation(stock);
    step.run(new TestStepContext(TestCards.card("0005", TestCards.VSDC, "vsdc-example", false))
        .device(DeviceRole.CHIP_STATION, station));
    assertThat(((VirtualEmvCard) stock).state(TestCards.VSDC)).isEqualTo(VirtualEmvCard.LifeCycle.PERSONALIZED);
    assertThat(CardType.builder("chip").step(step).build().virtualCardStock()).isPresent();
  }

  private static dev.perso.emv.prep.IssuerKeys issuerKeys(String hex) {
    java.util.function.Function<dev.perso.crypto.KeyUsage, dev.perso.crypto.KeyRef> key = usage ->
        dev.perso.crypto.ClearKeyRef.fromHex(dev.perso.crypto.KeyAlgorithm.TDES_2KEY, usage, hex);
    return new dev.perso.emv.prep.IssuerKeys(key.apply(dev.perso.crypto.KeyUsage.IMK_AC),
        key.apply(dev.perso.crypto.KeyUsage.IMK_SMI), key.apply(dev.perso.crypto.KeyUsage.IMK_SMC),
        key.apply(dev.perso.crypto.KeyUsage.CVK), key.apply(dev.perso.crypto.KeyUsage.PVK), KEK, "transport-kek");
  }

  private static CardRecord twoAppCard(dev.perso.emv.prep.IssuerKeys debitKeys, dev.perso.emv.prep.IssuerKeys creditKeys) {
    CardProfile twoApps = CardProfile.example("two-app-example");
    return dev.perso.emv.prep.CardDataPreparation.builder(CRYPTO, debitKeys).profile(twoApps)
        .application(twoApps, TestCards.MCHIP, "CREDIT", creditKeys).build()
        .prepare(new dev.perso.emv.prep.Cardholder("0009", dev.perso.iso7813.StripeRecord.builder().pan("4761739001010010")
            .name(dev.perso.iso7813.Name.of("Lovelace", "Ada")).expiry("2912").serviceCode("201").pvki(1).pin("1234")
            .build(), "01"));
  }

  /** Issue 12: the card-type JSON gives an application's Security Domain KMC and issuer key by label. */
  @Test
  void aCardTypeFileGivesEachApplicationItsKmcAndIssuerKeyByLabel() throws Exception {
    dev.perso.emv.prep.IssuerKeys debitKeys = issuerKeys("0123456789ABCDEFFEDCBA9876543210");
    dev.perso.emv.prep.IssuerKeys creditKeys = issuerKeys("404142434445464748494A4B4C4D4E4F");
    dev.perso.core.step.StepEnvironment env = dev.perso.core.step.StepEnvironment.builder(java.nio.file.Path.of("."))
        .service(dev.perso.crypto.CryptoBackend.class, CRYPTO)
        .service(dev.perso.crypto.KeyLookup.class, dev.perso.crypto.KeyLookup.of(java.util.Map.of("isd-kmc", KMC,
            "ssd-kmc", TestCards.KMC_AES, "kek", KEK, "debit-imk", debitKeys.imkAc(), "credit-imk", creditKeys.imkAc())))
        .build();
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    String config = "{\"type\": \"emv-cps\", \"profile\": \"two-app-example\", \"kmc\": \"isd-kmc\","
        + " \"transportKeys\": {\"transport-kek\": \"kek\"}, \"verify\": true, \"imkAc\": \"debit-imk\","
        + " \"applications\": {\"A0000000041010\": {\"kmc\": \"ssd-kmc\", \"imkAc\": \"credit-imk\"}}}";
    CpsStep step = (CpsStep) new CpsStepProvider().create(json.readTree(config), "t.json steps[0]", env);
    CardRecord data = twoAppCard(debitKeys, creditKeys);
    VirtualEmvCard stock = (VirtualEmvCard) step.virtualCardStock().orElseThrow().apply(new CardTag(9, "0009"));
    OneCardStation station = new OneCardStation(stock);
    step.run(new TestStepContext(data).device(DeviceRole.CHIP_STATION, station));
    assertThat(stock.state(TestCards.MCHIP)).isEqualTo(VirtualEmvCard.LifeCycle.PERSONALIZED);
    assertThat(station.ins.stream().filter(i -> i == 0xAE)).hasSize(2);

    // the credit application's issuer key taken for the debit one's: its ARQC does not verify, naming it
    CpsStep wrong = (CpsStep) new CpsStepProvider().create(json.readTree(config.replace("\"credit-imk\"",
        "\"debit-imk\"")), "t.json steps[0]", env);
    VirtualEmvCard other = (VirtualEmvCard) wrong.virtualCardStock().orElseThrow().apply(new CardTag(10, "0010"));
    assertThatThrownBy(() -> wrong.run(new TestStepContext(data).device(DeviceRole.CHIP_STATION, new OneCardStation(other))))
        .isInstanceOf(ValidationException.class).hasMessageContaining("A0000000041010 ARQC");
    // strict: unknown members and AIDs the profile does not have are named
    assertThatThrownBy(() -> new CpsStepProvider().create(json.readTree(config.replace("\"imkAc\": \"credit-imk\"",
        "\"imk\": \"credit-imk\"")), "t.json steps[0]", env)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("t.json steps[0].applications.A0000000041010.imk");
    assertThatThrownBy(() -> new CpsStepProvider().create(json.readTree(config.replace("A0000000041010", "A0000000651010")),
        "t.json steps[0]", env)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("t.json steps[0].applications.A0000000651010").hasMessageContaining("two-app-example");
    assertThatThrownBy(() -> new CpsStepProvider().create(json.readTree(config.replace("{\"kmc\": \"ssd-kmc\", "
        + "\"imkAc\": \"credit-imk\"}", "\"ssd-kmc\"")), "t.json steps[0]", env)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("t.json steps[0].applications.A0000000041010");
  }

  /** Issue 12: a card type whose second application is in its own SD, under SCP03 with its own KMC and issuer key. */
  @Test
  void aTwoApplicationCardTypePersonalizesEachApplicationUnderItsOwnChannelAndVerifiesEachWithItsOwnKey() {
    CardProfile twoApps = CardProfile.example("two-app-example");
    // the debit application's IMKs: TestCards.IMK's bytes (pyemv's doctest IMK); the credit application's:
    // another test key (the GP test key bytes)
    dev.perso.emv.prep.IssuerKeys debitKeys = issuerKeys("0123456789ABCDEFFEDCBA9876543210");
    dev.perso.emv.prep.IssuerKeys creditKeys = issuerKeys("404142434445464748494A4B4C4D4E4F");
    dev.perso.crypto.KeyRef creditImk = creditKeys.imkAc();
    CardRecord data = twoAppCard(debitKeys, creditKeys);
    CpsStep step = CpsStep.builder(CRYPTO, twoApps, KMC).applicationKmc(TestCards.MCHIP, TestCards.KMC_AES)
        .transportKey("transport-kek", KEK).verifyWith(IMK).verifyWith(TestCards.MCHIP, creditImk).build();
    step.validate(data);
    VirtualEmvCard stock = (VirtualEmvCard) step.virtualCardStock().orElseThrow().apply(new CardTag(9, "0009"));
    OneCardStation station = new OneCardStation(stock);
    step.run(new TestStepContext(data).device(DeviceRole.CHIP_STATION, station));
    assertThat(stock.state(TestCards.VSDC)).isEqualTo(VirtualEmvCard.LifeCycle.PERSONALIZED);
    assertThat(stock.state(TestCards.MCHIP)).isEqualTo(VirtualEmvCard.LifeCycle.PERSONALIZED);
    assertThat(station.ins.stream().filter(i -> i == 0xAE)).hasSize(2);   // both ARQCs verified

    // validation takes the application's own rules: under its SCP03 channel a DGI under the KEK is whole
    // 16-byte blocks, which 8 bytes are not (they would be under the card's SCP02)
    ApplicationData credit = ApplicationsSection.decode(data).get(1);
    List<InputDgi> dgis = new ArrayList<>(credit.dgis());
    dgis.replaceAll(d -> d.dgi().id() == 0x8010 ? InputDgi.underKek(Dgi.of(0x8010, Bytes.fromHex("0011223344556677")),
        "transport-kek") : d);
    CardRecord bad = TestCards.record("0009", List.of(ApplicationsSection.decode(data).get(0),
        new ApplicationData(credit.aid(), credit.profile(), dgis)));
    assertThatThrownBy(() -> step.validate(bad)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("applications[1] dgis[").hasMessageContaining("16-byte blocks");
  }

  @Test
  void validateNamesEveryBadFieldWithoutACard() {
    CpsStep step = step(false);
    CardRecord good = TestCards.card("0006", TestCards.VSDC, "vsdc-example", false);
    step.validate(good);
    List<ApplicationData> apps = ApplicationsSection.decode(good);
    ApplicationData app = apps.get(0);

    assertField(step, new ApplicationData(app.aid(), "mchip-example", app.dgis()), "applications[0] profile");
    assertField(step, new ApplicationData(Bytes.fromHex("A0000000041010"), "vsdc-example", app.dgis()),
        "applications[0] aid");
    List<InputDgi> dgis = new ArrayList<>(app.dgis());
    int i8000 = indexOf(dgis, 0x8000);
    dgis.set(i8000, InputDgi.underKek(dgis.get(i8000).dgi(), "other-kek"));
    assertField(step, new ApplicationData(app.aid(), app.profile(), dgis), "applications[0] dgis[" + i8000 + "] kek");
    dgis = new ArrayList<>(app.dgis());
    dgis.set(i8000, InputDgi.underKek(Dgi.of(0x8000, Bytes.of(new byte[20])), "transport-kek"));
    assertField(step, new ApplicationData(app.aid(), app.profile(), dgis), "applications[0] dgis[" + i8000 + "] data");
    dgis = new ArrayList<>(app.dgis());
    dgis.set(i8000, InputDgi.clear(Dgi.of(0x8000, Bytes.of(new byte[20]))));   // "encrypted": no padding allowed
    assertField(step, new ApplicationData(app.aid(), app.profile(), dgis), "applications[0] dgis[" + i8000 + "] data");
    dgis = new ArrayList<>(app.dgis());
    dgis.set(0, InputDgi.underKek(dgis.get(0).dgi(), "transport-kek"));   // 9102 is sent in clear
    assertField(step, new ApplicationData(app.aid(), app.profile(), dgis), "applications[0] dgis[0] kek");
  }

  @Test
  void validateRejectsAShortKcvDgiAndAMissingTransportKeyNamingLineCardAndField() {
    CpsStep step = step(false);
    CardRecord good = TestCards.card("0006", TestCards.VSDC, "vsdc-example", false);
    ApplicationData app = ApplicationsSection.decode(good).get(0);
    List<InputDgi> dgis = new ArrayList<>(app.dgis());
    dgis.set(indexOf(dgis, 0x9000), InputDgi.clear(Dgi.of(0x9000, Bytes.fromHex("97DCB0CE"))));
    CardRecord shortKcv = TestCards.record("0006", List.of(new ApplicationData(app.aid(), app.profile(), dgis)))
        .newBuilder().location("cards.jsonl:12").build();
    assertThatThrownBy(() -> step.validate(shortKcv)).isInstanceOf(ValidationException.class)
        .hasMessage("cards.jsonl:12 card 0006 applications[0] dgi 9000: KCV DGI must hold 3 bytes per key of DGI 8000 "
            + "(9 bytes), was 4 bytes");
    dgis = new ArrayList<>(app.dgis());
    int k = indexOf(dgis, 0x8000);
    dgis.set(k, InputDgi.underKek(dgis.get(k).dgi(), "lost-kek"));
    CardRecord noKek = TestCards.record("0006", List.of(new ApplicationData(app.aid(), app.profile(), dgis)))
        .newBuilder().location("cards.jsonl:12").build();
    assertThatThrownBy(() -> step.validate(noKek)).isInstanceOf(ValidationException.class)
        .hasMessageStartingWith("cards.jsonl:12 card 0006 applications[0] dgis[" + k + "] kek: transport key 'lost-kek'");
  }

  @Test
  void aSectionNoStepClaimsIsRejectedByTheCardType() {
    CardType chip = CardType.builder("chip-example").step(step(false)).build();
    CardRecord good = TestCards.card("0007", TestCards.VSDC, "vsdc-example", false);
    chip.validate(good);
    CardRecord extra = good.newBuilder().section("magstripe", JsonNodeFactory.instance.objectNode().put("pan", "4761"))
        .build();
    assertThatThrownBy(() -> chip.validate(extra)).isInstanceOfSatisfying(ValidationException.class, e -> {
      assertThat(e.field()).isEqualTo("card 0007 magstripe");
      assertThat(e.getMessage()).doesNotContain("4761");
    });
    assertThat(chip.roles()).containsExactly(DeviceRole.CHIP_STATION);
  }

  private static int indexOf(List<InputDgi> dgis, int id) {
    for (int i = 0; i < dgis.size(); i++) {
      if (dgis.get(i).dgi().id() == id) {
        return i;
      }
    }
    throw new AssertionError("no DGI " + Integer.toHexString(id));
  }

  private static void assertField(CpsStep step, ApplicationData app, String field) {
    CardRecord r = TestCards.record("0006", List.of(app));
    assertThatThrownBy(() -> step.validate(r)).isInstanceOfSatisfying(ValidationException.class,
        e -> assertThat(e.field()).isEqualTo("card 0006 " + field));
  }

}
