package dev.perso.emv.cps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import dev.perso.core.CardIdentificationException;
import dev.perso.core.ValidationException;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.card.VirtualCard;
import dev.perso.core.device.CardTag;
import dev.perso.core.device.DeviceRole;
import dev.perso.core.device.DeviceStatus;
import dev.perso.core.device.MagStripeEncoder;
import dev.perso.core.device.StripeData;
import dev.perso.crypto.ClearKeyRef;
import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.KeyAlgorithm;
import dev.perso.crypto.KeyLookup;
import dev.perso.crypto.KeyRef;
import dev.perso.crypto.KeyUsage;
import dev.perso.crypto.MacAlgorithm;
import dev.perso.crypto.Padding;
import dev.perso.core.journal.Journal;
import dev.perso.core.record.CardRecord;
import dev.perso.core.step.CardType;
import dev.perso.core.step.CardTypes;
import dev.perso.core.step.IdentifyStep;
import dev.perso.core.step.PreviousStage;
import dev.perso.core.step.StepEnvironment;
import dev.perso.core.testing.TestStepContext;
import dev.perso.gp.Cplc;
import dev.perso.gp.card.VirtualIsd;
import java.util.List;
import java.nio.file.Path;
import java.time.Instant;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The {@code identify} step type in card-type files, and the chip identity it reads from a virtual EMV card. */
class IdentifyStepProviderTest {
  private static final Instant T0 = Instant.parse("2030-01-02T03:04:05Z");
  private static final StepEnvironment NO_PREVIOUS = StepEnvironment.builder(Path.of(".")).build();

  private static final String TWO_STAGES = """
      {"name": "debit-two-stages",
       "steps": [{"type": "identify", "remember": "chip-serial", "by": "chip-cplc-serial"},
                 {"type": "identify", "output": "chip-serial", "by": "chip-cplc-serial"}],
       "stages": [{"name": "chip", "steps": ["remember-chip-serial"]},
                  {"name": "finish", "steps": ["identify-chip-serial"]}]}
      """;

  private static String oneStep(String step) {
    return "{\"name\": \"t\", \"steps\": [" + step + "]}";
  }

  private static Function<CardTag, VirtualCard> stock() {
    return CpsStep.builder(TestCards.CRYPTO, CardProfile.example("vsdc-example"), TestCards.KMC).build()
        .virtualCardStock().orElseThrow();
  }

  private static TestStepContext at(String recordId, VirtualCard chip) {
    return new TestStepContext(CardRecord.builder(recordId).location("batch.jsonl:1").build())
        .device(DeviceRole.CHIP_STATION, new CpsStepTest.OneCardStation(chip));
  }

  @Test
  void eachVirtualBlankAnswersGetData9F7FWithItsOwnCplcNumberedByTheCardSerial() {
    VirtualCard seven = stock().apply(new CardTag(7, "a"));
    seven.reset();
    Cplc cplc = Cplc.read(VirtualCard.connect(seven)).orElseThrow();
    // the example CPLC (kaoh/globalplatform getDataTest.c vector 1) with IC serial number 00000007
    assertThat(cplc.field(Cplc.Field.IC_SERIAL_NUMBER).toHex()).isEqualTo("00000007");
    assertThat(cplc.field(Cplc.Field.IC_FABRICATOR).toHex()).isEqualTo("4790");
    assertThat(cplc.icSerialId()).isEqualTo("4790" + "D600" + "8448" + "00000007");
    VirtualCard eight = stock().apply(new CardTag(8, "b"));
    eight.reset();
    assertThat(Cplc.read(VirtualCard.connect(eight)).orElseThrow().icSerialId()).endsWith("00000008");
    assertThat(VirtualIsd.EXAMPLE_CPLC.icSerialId()).isEqualTo("4790D600844834295220");
  }

  @Test
  void aTwoStageFileRemembersTheChipSerialAndALaterStageFindsItsRecordByIt() {
    CardType chipOnly = CardTypes.parse(TWO_STAGES, "debit.json", NO_PREVIOUS);
    IdentifyStep remember = (IdentifyStep) chipOnly.stage("chip").steps().get(0);
    assertThat(remember.roles()).containsExactly(DeviceRole.CHIP_STATION);
    VirtualCard card = stock().apply(new CardTag(3, "0001"));
    TestStepContext ctx = at("0001", card);
    remember.run(ctx);
    assertThat(ctx.outputs()).containsExactly(Map.entry("chip-serial", "4790D600844800000003"));
    // the later stage's step of the same file, loaded without the earlier stage: fails when it gets ready
    IdentifyStep unready = (IdentifyStep) chipOnly.stage("finish").steps().get(0);
    assertThatThrownBy(unready::ready).isInstanceOf(ValidationException.class)
        .hasMessageContaining("no journal of the earlier stage");

    try (Journal chip = Journal.inMemory()) {
      chip.begin("job-1", "chip", "debit-two-stages", "batch.jsonl", T0);
      chip.queued(Map.of("0001", "batch.jsonl:1"));
      chip.issued(chip.cardFed("0001", "mx-1", "mx-1/feeder", T0), ctx.outputs(), T0);
      StepEnvironment env = StepEnvironment.builder(Path.of("."))
          .service(PreviousStage.class, PreviousStage.of(chip)).build();
      IdentifyStep identify = (IdentifyStep) CardTypes.parse(TWO_STAGES, "debit.json", env).stage("finish")
          .steps().get(0);
      identify.ready();
      TestStepContext same = at("0001", card);
      identify.run(same);
      assertThat(same.outputs()).containsEntry("chip-serial", "4790D600844800000003");
      // a chip the earlier stage never issued is not identified
      assertThatThrownBy(() -> identify.run(at("0001", stock().apply(new CardTag(4, "0001")))))
          .isInstanceOf(CardIdentificationException.class).hasMessageContaining("no record of the earlier stage");
    }
  }

  @Test
  void aChipWithoutCplcIsNotRemembered() {
    VirtualCard noCplc = new VirtualCard() {
      @Override
      public Bytes atr() {
        return Bytes.fromHex("3B00");
      }

      @Override
      public ResponseApdu process(CommandApdu c) {
        return ResponseApdu.of(c.ins() == 0xA4 ? 0x9000 : 0x6A88);
      }

      @Override
      public Bytes reset() {
        return atr();
      }
    };
    IdentifyStep remember = (IdentifyStep) CardTypes.parse(oneStep(
        "{\"type\": \"identify\", \"remember\": \"chip-serial\", \"by\": \"chip-cplc-serial\"}"), "t.json", NO_PREVIOUS)
        .steps().get(0);
    assertThatThrownBy(() -> remember.run(at("0009", noCplc))).isInstanceOf(CardIdentificationException.class)
        .hasMessageContaining("carries no chip-serial");
  }

  /** An encoder holding one card's stripe. */
  private static final class OneStripe implements MagStripeEncoder {
    final StripeData stripe;

    OneStripe(String track2) {
      stripe = StripeData.of(track2 == null ? Map.of() : Map.of(2, Bytes.of(track2.getBytes(StandardCharsets.US_ASCII))));
    }

    @Override
    public void write(CardTag card, StripeData data) {
      throw new UnsupportedOperationException("identification only reads");
    }

    @Override
    public StripeData read(CardTag card) {
      return stripe;
    }

    @Override
    public void erase(CardTag card, Set<Integer> tracks) {
      throw new UnsupportedOperationException("identification only reads");
    }

    @Override
    public String id() {
      return "test:mag";
    }

    @Override
    public DeviceStatus status() {
      return DeviceStatus.ready();
    }

    @Override
    public void close() {}
  }

  private static final KeyRef ID_MAC = ClearKeyRef.fromHex(KeyAlgorithm.AES_128, KeyUsage.MAC,
      "2B7E151628AED2A6ABF7158809CF4F3C");   // NIST SP 800-38B D.1's example AES key, as a test key
  private static final KeyRef OTHER_MAC = ClearKeyRef.fromHex(KeyAlgorithm.AES_128, KeyUsage.MAC,
      "000102030405060708090A0B0C0D0E0F");

  private static StepEnvironment keys() {
    return StepEnvironment.builder(Path.of(".")).service(CryptoBackend.class, TestCards.CRYPTO)
        .service(KeyLookup.class, label -> Optional.ofNullable(Map.of("id-mac", ID_MAC, "kmc", TestCards.KMC)
            .get(label))).build();
  }

  private static String readStripe(IdentifyStep step, String track2) {
    TestStepContext ctx = new TestStepContext(CardRecord.builder("0001").location("batch.jsonl:1").build())
        .device(DeviceRole.MAG_STRIPE_ENCODER, new OneStripe(track2));
    step.run(ctx);
    return ctx.outputs().get("card-ref");
  }

  @Test
  void theStripeIdentifierIsAKeyedDigestOfThePanNeverThePan() {
    IdentifyStep remember = (IdentifyStep) CardTypes.parse(oneStep("{\"type\": \"identify\", \"remember\":"
        + " \"card-ref\", \"by\": \"stripe-pan-mac\", \"key\": \"id-mac\"}"), "t.json", keys()).steps().get(0);
    assertThat(remember.roles()).containsExactly(DeviceRole.MAG_STRIPE_ENCODER);
    String pan = "4111111111111111";
    String ref = readStripe(remember, pan + "=30122011234500000000");
    // the backend's CMAC is checked against NIST SP 800-38B D.1 (perso-crypto VectorsTest); here: its first
    // 8 bytes over the PAN's ASCII digits, and nothing of the PAN or the rest of the track
    assertThat(ref).isEqualTo(TestCards.CRYPTO.mac(ID_MAC, MacAlgorithm.CMAC, Padding.NONE,
        Bytes.of(pan.getBytes(StandardCharsets.US_ASCII))).slice(0, 8).toHex()).hasSize(16).doesNotContain("1111");
    // the same PAN with other expiry and discretionary data is the same card; another PAN or key is not
    assertThat(readStripe(remember, pan + "=28015010000000000000")).isEqualTo(ref);
    assertThat(readStripe(remember, "4111111111111129=30122011234500000000")).isNotEqualTo(ref);
    assertThat(IdentifyStepProvider.stripePanMac(TestCards.CRYPTO, OTHER_MAC).read(
        new TestStepContext(CardRecord.builder("0001").location("b:1").build())
            .device(DeviceRole.MAG_STRIPE_ENCODER, new OneStripe(pan + "=3012")))).isNotEqualTo(ref);
    // no track 2, or no PAN on it: the card carries no identifier and is rejected
    for (String bad : new String[] {null, "", "=3012", "41111111111=3012", "41111111111111111111=3012", pan}) {
      assertThatThrownBy(() -> readStripe(remember, bad), String.valueOf(bad))
          .isInstanceOf(CardIdentificationException.class).hasMessageContaining("carries no card-ref");
    }
    assertThatThrownBy(() -> CardTypes.parse(oneStep("{\"type\": \"identify\", \"remember\": \"r\", \"by\":"
        + " \"stripe-pan-mac\", \"key\": \"kmc\"}"), "t.json", keys())).isInstanceOf(ValidationException.class)
        .hasMessageContaining("t.json $.steps[0].key");
    assertThatThrownBy(() -> CardTypes.parse(oneStep("{\"type\": \"identify\", \"remember\": \"r\", \"by\":"
        + " \"stripe-pan-mac\"}"), "t.json", keys())).isInstanceOf(ValidationException.class)
        .hasMessageContaining("t.json $.steps[0].key");
  }

  @Test
  void feedOrderNamesTheStationRoleAndTakesTheCountFromThePreviousStage() {
    try (Journal chip = Journal.inMemory()) {
      chip.begin("job-1", "chip", "t", "batch.jsonl", T0);
      chip.queued(Map.of("0001", "batch.jsonl:1"));
      chip.issued(chip.cardFed("0001", "mx-1", "mx-1/feeder", T0), Map.of(), T0);
      String json = oneStep("{\"type\": \"identify\", \"by\": \"feed-order\", \"at\": \"magstripe-encoder\"}");
      StepEnvironment env = StepEnvironment.builder(Path.of("."))
          .service(PreviousStage.class, PreviousStage.of(chip).cardsLoaded(1)).build();
      IdentifyStep step = (IdentifyStep) CardTypes.parse(json, "t.json", env).steps().get(0);
      assertThat(step.name()).isEqualTo("identify-feed-order");
      assertThat(step.roles()).containsExactly(DeviceRole.MAG_STRIPE_ENCODER);
      step.ready();
      StepEnvironment two = StepEnvironment.builder(Path.of("."))
          .service(PreviousStage.class, PreviousStage.of(chip).cardsLoaded(2)).build();
      IdentifyStep wrong = (IdentifyStep) CardTypes.parse(json, "t.json", two).steps().get(0);
      assertThatThrownBy(wrong::ready).hasMessageContaining("holds 2 cards but the earlier stage issued 1");
    }
  }

  @Test
  void badIdentifyStepsAreRefusedNamingTheFileThePathAndTheRule() {
    record Bad(String step, String field, String words) {}
    for (Bad b : new Bad[] {
        new Bad("{\"type\": \"identify\", \"remember\": \"s\", \"by\": \"chip-cplc-serial\", \"salt\": \"x\"}",
            "t.json $.steps[0].salt", "unknown member"),
        new Bad("{\"type\": \"identify\", \"remember\": \"s\"}", "t.json $.steps[0].by", "is required"),
        new Bad("{\"type\": \"identify\", \"remember\": \"s\", \"by\": 7}", "t.json $.steps[0].by", "is required"),
        new Bad("{\"type\": \"identify\", \"remember\": \"s\", \"by\": \"iris-scan\"}", "t.json $.steps[0].by",
            "unknown identifier source 'iris-scan' (known: [chip-cplc-serial, stripe-pan-mac, printed-code, feed-order])"),
        new Bad("{\"type\": \"identify\", \"output\": \"s\", \"by\": \"chip-cplc-serial\", \"side\": \"back\"}",
            "t.json $.steps[0].side", "only identification by printed-code takes a side"),
        new Bad("{\"type\": \"identify\", \"output\": \"s\", \"by\": \"printed-code\", \"side\": \"edge\"}",
            "t.json $.steps[0].side", "is 'front' or 'back'"),
        new Bad("{\"type\": \"identify\", \"output\": \"s\", \"by\": \"printed-code\", \"symbology\": \"qr code\"}",
            "t.json $.steps[0].symbology", "capitals"),
        new Bad("{\"type\": \"identify\", \"remember\": \"s\", \"by\": \"chip-cplc-serial\", \"key\": \"k\"}",
            "t.json $.steps[0].key", "only identification by stripe-pan-mac takes a key"),
        new Bad("{\"type\": \"identify\", \"by\": \"chip-cplc-serial\"}", "t.json $.steps[0]", "exactly one of"),
        new Bad("{\"type\": \"identify\", \"remember\": \"s\", \"output\": \"s\", \"by\": \"chip-cplc-serial\"}",
            "t.json $.steps[0]", "exactly one of"),
        new Bad("{\"type\": \"identify\", \"remember\": \"chip serial\", \"by\": \"chip-cplc-serial\"}",
            "t.json $.steps[0].remember", "1 to 64 letters"),
        new Bad("{\"type\": \"identify\", \"output\": \"\", \"by\": \"chip-cplc-serial\"}",
            "t.json $.steps[0].output", "is required"),
        new Bad("{\"type\": \"identify\", \"output\": \"s\", \"by\": \"chip-cplc-serial\", \"at\": \"printer\"}",
            "t.json $.steps[0].at", "only identification by feed-order"),
        new Bad("{\"type\": \"identify\", \"by\": \"feed-order\"}", "t.json $.steps[0].at", "is required"),
        new Bad("{\"type\": \"identify\", \"by\": \"feed-order\", \"at\": \"scanner-of-dreams\"}",
            "t.json $.steps[0].at", "unknown role"),
        new Bad("{\"type\": \"identify\", \"by\": \"feed-order\", \"at\": \"printer\", \"remember\": \"s\"}",
            "t.json $.steps[0].remember", "leave out 'remember'"),
    }) {
      assertThatThrownBy(() -> CardTypes.parse(oneStep(b.step()), "t.json", NO_PREVIOUS), b.step())
          .isInstanceOf(ValidationException.class)
          .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo(b.field()))
          .hasMessageContaining(b.words());
    }
  }

  /** A scanner that reads the codes it is given: the wiring under test is the provider's, not ZXing's. */
  private record Codes(List<dev.perso.core.device.ScannedCode> codes) implements dev.perso.core.device.CodeScanner {
    @Override
    public List<dev.perso.core.device.ScannedCode> scan(CardTag card, dev.perso.core.surface.Side side) {
      return side == dev.perso.core.surface.Side.BACK ? codes : List.of();
    }

    @Override
    public String id() {
      return "codes";
    }

    @Override
    public dev.perso.core.device.DeviceStatus status() {
      return dev.perso.core.device.DeviceStatus.ready();
    }

    @Override
    public void close() {}
  }

  @Test
  void aPrintedCodeOnTheNamedSideAndSymbologyIdentifiesTheCard() {
    String json = oneStep("{\"type\": \"identify\", \"remember\": \"card-id\", \"by\": \"printed-code\","
        + " \"side\": \"back\", \"symbology\": \"CODE_128\"}");
    IdentifyStep step = (IdentifyStep) CardTypes.parse(json, "t.json", NO_PREVIOUS).steps().get(0);
    assertThat(step.name()).isEqualTo("remember-card-id");
    assertThat(step.roles()).containsExactly(DeviceRole.CODE_SCANNER);

    TestStepContext ctx = new TestStepContext(CardRecord.builder("0007").location("batch.jsonl:7").build())
        .device(DeviceRole.CODE_SCANNER, new Codes(List.of(new dev.perso.core.device.ScannedCode("QR_CODE", "other"),
            new dev.perso.core.device.ScannedCode("CODE_128", "REF-0007"))));
    step.run(ctx);
    assertThat(ctx.outputs()).containsEntry("card-id", "REF-0007");

    TestStepContext none = new TestStepContext(CardRecord.builder("0008").location("batch.jsonl:8").build())
        .device(DeviceRole.CODE_SCANNER, new Codes(List.of(new dev.perso.core.device.ScannedCode("QR_CODE", "x"))));
    assertThatThrownBy(() -> step.run(none)).isInstanceOf(dev.perso.core.CardIdentificationException.class)
        .hasMessageContaining("card-id");
  }
}
