package dev.perso.iso7813.step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.perso.core.Bytes;
import dev.perso.core.DeviceException;
import dev.perso.core.DeviceFault;
import dev.perso.core.ValidationException;
import dev.perso.core.device.CardTag;
import dev.perso.core.device.DeviceRole;
import dev.perso.core.device.DeviceStatus;
import dev.perso.core.device.MagStripeEncoder;
import dev.perso.core.device.StripeData;
import dev.perso.core.record.CardRecord;
import dev.perso.core.step.CardType;
import dev.perso.core.step.CardTypes;
import dev.perso.core.step.StepEnvironment;
import dev.perso.core.testing.TestStepContext;
import dev.perso.crypto.ClearKeyRef;
import dev.perso.crypto.KeyAlgorithm;
import dev.perso.crypto.KeyLookup;
import dev.perso.crypto.KeyUsage;
import dev.perso.crypto.SoftwareBackend;
import dev.perso.iso7813.IssuerLayout;
import dev.perso.iso7813.StripeKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MagStripeStepTest {
  private static final SoftwareBackend SW = new SoftwareBackend();
  private static final ObjectMapper JSON = new ObjectMapper();
  // The CVK and PVK of the C1 and P1 vectors (see SecurityCodesTest).
  private static final ClearKeyRef CVK = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.CVK,
      "0123456789ABCDEFFEDCBA9876543210");
  private static final ClearKeyRef PVK = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.PVK,
      "0123456789ABCDEFFEDCBA9876543210");
  // C1: ilya-dubinsky/cfpp:c/test/test_magstripe.c, CVV 561 (PAN not Luhn-valid: check switched off).
  private static final String C1 = "{\"pan\":\"4123456789012345\",\"name\":\"TEST/CARD\",\"expiry\":\"8701\","
      + "\"serviceCode\":\"101\"}";

  /** An encoder that keeps what was written per card and can read one track back with a flipped character. */
  private static final class MemoryEncoder implements MagStripeEncoder {
    final Map<Long, StripeData> cards = new HashMap<>();
    int corruptTrackOnRead;

    @Override
    public void write(CardTag card, StripeData data) {
      cards.put(card.serial(), data);
    }

    @Override
    public StripeData read(CardTag card) {
      StripeData d = cards.get(card.serial());
      if (d == null) {
        throw new DeviceException(id(), DeviceFault.NO_CARD, "nothing written");
      }
      if (corruptTrackOnRead == 0 || !d.has(corruptTrackOnRead)) {
        return d;
      }
      Map<Integer, Bytes> tracks = new HashMap<>(d.tracks());
      byte[] b = tracks.get(corruptTrackOnRead).toByteArray();
      b[b.length / 2] ^= 0x01;
      tracks.put(corruptTrackOnRead, Bytes.of(b));
      return StripeData.of(tracks);
    }

    @Override
    public void erase(CardTag card, Set<Integer> tracks) {
      cards.remove(card.serial());
    }

    @Override
    public String id() {
      return "test:msr#1";
    }

    @Override
    public DeviceStatus status() {
      return DeviceStatus.ready();
    }

    @Override
    public void close() {}
  }

  private static CardRecord record(String magstripe) throws Exception {
    return CardRecord.builder("0001").location("batch.jsonl:1").section("magstripe", JSON.readTree(magstripe)).build();
  }

  private static MagStripeStep cvvStep() {
    return MagStripeStep.builder(IssuerLayout.EXAMPLE_CVV, StripeKeys.of(SW, CVK, null)).luhnCheck(false).build();
  }

  private static String ascii(Bytes b) {
    return new String(b.toByteArray(), StandardCharsets.US_ASCII);
  }

  @Test
  void writesTheC1TracksWithoutSentinelsAndReadsThemBack() throws Exception {
    MemoryEncoder encoder = new MemoryEncoder();
    TestStepContext ctx = new TestStepContext(record(C1)).device(DeviceRole.MAG_STRIPE_ENCODER, encoder);
    cvvStep().run(ctx);
    StripeData written = encoder.cards.get(1L);
    // Track layouts as TrackBuildTest; EXAMPLE_CVV discretionary data "0000" CVV padded with 0 (SecurityCodesTest C1).
    assertThat(ascii(written.tracks().get(1))).isEqualTo("B4123456789012345^TEST/CARD^87011010000561000000");
    assertThat(ascii(written.tracks().get(2))).isEqualTo("4123456789012345=87011010000561000");
    assertThat(written.has(3)).isFalse();
    assertThat(ctx.markWrittenCalls()).isEqualTo(1);
    assertThat(written.toString()).doesNotContain("4123456789012345");
  }

  @Test
  void pvvFromThePinOrGivenByDataPreparationGivesTheSameTracks() throws Exception {
    // P1: knovichikhin/psec:psec/pin.py doctest: PVK 0123..3210, PAN 1122334455667788, PVKI 3, PIN 4524 -> PVV 4021.
    String base = "{\"pan\":\"1122334455667788\",\"name\":\"TEST/CARD\",\"expiry\":\"2612\",\"serviceCode\":\"101\","
        + "\"pvki\":\"3\",";
    MagStripeStep step = MagStripeStep.builder(IssuerLayout.EXAMPLE_PVV_CVV, StripeKeys.of(SW, CVK, PVK))
        .luhnCheck(false).build();
    StripeData fromPin = MagStripeStep.stripeData(step.tracks(record(base + "\"pin\":\"4524\"}")));
    StripeData given = MagStripeStep.stripeData(step.tracks(record(base + "\"pvv\":\"4021\"}")));
    assertThat(ascii(fromPin.tracks().get(2))).startsWith("1122334455667788=261210134021");
    assertThat(fromPin.sameAs(given)).isTrue();
    MagStripeStep noPvk = MagStripeStep.builder(IssuerLayout.EXAMPLE_PVV_CVV, StripeKeys.of(SW, CVK, null))
        .luhnCheck(false).build();
    noPvk.validate(record(base + "\"pvv\":\"4021\"}"));
    assertThatThrownBy(() -> noPvk.validate(record(base + "\"pin\":\"4524\"}")))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("batch.jsonl:1 card 0001 magstripe.pin"));
  }

  @ParameterizedTest(name = "track {0}")
  @CsvSource({"1", "2"})
  void aTrackThatReadsBackDifferentRejectsTheCardNamingOnlyTheTrack(int track) throws Exception {
    MemoryEncoder encoder = new MemoryEncoder();
    encoder.corruptTrackOnRead = track;
    TestStepContext ctx = new TestStepContext(record(C1)).device(DeviceRole.MAG_STRIPE_ENCODER, encoder);
    assertThatThrownBy(() -> cvvStep().run(ctx)).isInstanceOfSatisfying(DeviceException.class, e -> {
      assertThat(e.fault()).isEqualTo(DeviceFault.READ_BACK_MISMATCH);
      assertThat(e.device()).isEqualTo("test:msr#1");
      assertThat(e.detail()).isEqualTo("track " + track);
      assertThat(e.getMessage()).doesNotContain("4123456789012345").doesNotContain("561");
    });
    assertThat(ctx.written()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "pan         | \"pan\":\"41234567890123X5\"                 | 41234567890123X5",
      "pan         | \"pan\":\"4123456789012346\"                 | 4123456789012346",
      "name        | \"name\":\"TESTCARD\"                        | TESTCARD",
      "expiry      | \"expiry\":\"8713\"                          | 8713",
      "serviceCode | \"serviceCode\":\"10A\"                      | 10A",
      "countryCode | \"countryCode\":\"276\"                      | 276",
      "pvki        | \"pvki\":\"12\"                              | 12",
      "pvv         | \"pvv\":\"40x1\"                             | 40x1",
      "pin         | \"pin\":\"12\"                               | \"12\"",
      "track1      | \"track1\":\"B4123456789012345^X\"           | B4123456789012345",
      "expiry      | \"expiry\":8701                              | 8701",
  })
  void validateNamesEachBadFieldNeverItsValue(String field, String replacement, String secret) throws Exception {
    ObjectNode good = (ObjectNode) JSON.readTree(C1);
    ObjectNode bad = good.deepCopy();
    ObjectNode patch = (ObjectNode) JSON.readTree("{" + replacement + "}");
    bad.setAll(patch);
    MagStripeStep step = field.equals("pan") && secret.endsWith("6")
        ? MagStripeStep.of(IssuerLayout.EXAMPLE_CVV, StripeKeys.of(SW, CVK, null)) : cvvStep();
    CardRecord r = CardRecord.builder("0001").location("batch.jsonl:1").section("magstripe", bad).build();
    assertThatThrownBy(() -> step.validate(r)).isInstanceOfSatisfying(ValidationException.class, e -> {
      assertThat(e.field()).isEqualTo("batch.jsonl:1 card 0001 magstripe." + field);
      assertThat(e.getMessage()).doesNotContain(secret);
    });
  }

  @Test
  void missingInputsTheLayoutNeedsAreNamed() throws Exception {
    MagStripeStep pvvCvv = MagStripeStep.builder(IssuerLayout.EXAMPLE_PVV_CVV, StripeKeys.of(SW, CVK, PVK))
        .luhnCheck(false).build();
    assertField(pvvCvv, C1, "pvki");
    assertField(pvvCvv, C1.replace("}", ",\"pvki\":\"1\"}"), "pvv");
    assertField(cvvStep(), "{\"pan\":\"4123456789012345\",\"serviceCode\":\"101\"}", "expiry");
    assertField(cvvStep(), "{\"expiry\":\"8701\",\"serviceCode\":\"101\"}", "pan");
    CardRecord notAnObject = CardRecord.builder("0001").section("magstripe", JSON.readTree("[]")).build();
    assertThatThrownBy(() -> cvvStep().validate(notAnObject)).isInstanceOfSatisfying(ValidationException.class,
        e -> assertThat(e.field()).isEqualTo("card 0001 magstripe"));
  }

  @Test
  void aRecordWithASectionNoStepClaimsIsRejectedByTheCardType() throws Exception {
    CardType stripeOnly = CardType.builder("stripe-only").step(cvvStep()).build();
    stripeOnly.validate(record(C1));
    CardRecord extra = record(C1).newBuilder().section("applications", JSON.readTree("[]")).build();
    assertThatThrownBy(() -> stripeOnly.validate(extra)).isInstanceOfSatisfying(ValidationException.class,
        e -> assertThat(e.field()).isEqualTo("batch.jsonl:1 card 0001 applications"));
  }

  @Test
  void providerBuildsTheStepFromACardTypeAndRejectsTyposNamingFileAndPath() throws Exception {
    StepEnvironment env = StepEnvironment.builder(Path.of(".")).service(dev.perso.crypto.CryptoBackend.class, SW)
        .service(KeyLookup.class, KeyLookup.of(Map.of("demo-cvk", CVK, "demo-pvk", PVK))).build();
    CardType t = CardTypes.parse("{\"name\":\"s\",\"steps\":[{\"type\":\"magstripe\",\"layout\":\"cvv\","
        + "\"cvk\":\"demo-cvk\",\"luhnCheck\":false}]}", "s.json", env);
    MemoryEncoder encoder = new MemoryEncoder();
    t.steps().get(0).run(new TestStepContext(record(C1)).device(DeviceRole.MAG_STRIPE_ENCODER, encoder));
    assertThat(ascii(encoder.cards.get(1L).tracks().get(2))).isEqualTo("4123456789012345=87011010000561000");

    assertThatThrownBy(() -> CardTypes.parse("{\"name\":\"s\",\"steps\":[{\"type\":\"magstripe\",\"layuot\":\"cvv\"}]}",
        "s.json", env)).isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.field()).isEqualTo("s.json $.steps[0].layuot"));
    assertThatThrownBy(() -> CardTypes.parse("{\"name\":\"s\",\"steps\":[{\"type\":\"magstripe\",\"layout\":\"cvv\","
        + "\"cvk\":\"demo-pvk\"}]}", "s.json", env)).isInstanceOfSatisfying(ValidationException.class, e -> {
          assertThat(e.field()).isEqualTo("s.json $.steps[0].cvk");
          assertThat(e.rule()).contains("PVK key, a CVK key is needed");
        });
    assertThatThrownBy(() -> CardTypes.parse("{\"name\":\"s\",\"steps\":[{\"type\":\"magstripe\",\"layout\":\"cvv\","
        + "\"cvk\":\"nope\"}]}", "s.json", env)).isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.field()).isEqualTo("s.json $.steps[0].cvk"));
    assertThatThrownBy(() -> CardTypes.parse("{\"name\":\"s\",\"steps\":[{\"type\":\"magstripe\",\"layout\":\"visa\","
        + "\"cvk\":\"demo-cvk\"}]}", "s.json", env)).isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.field()).isEqualTo("s.json $.steps[0].layout"));
  }

  private static void assertField(MagStripeStep step, String section, String field) throws Exception {
    CardRecord r = record(section);
    assertThatThrownBy(() -> step.validate(r)).isInstanceOfSatisfying(ValidationException.class,
        e -> assertThat(e.field()).isEqualTo("batch.jsonl:1 card 0001 magstripe." + field));
  }
}
