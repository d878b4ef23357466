package dev.perso.iso7813.step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Stripe rewriting of issued cards: identify by the stripe, rebuild, erase, write, verify, report without data. */
class StripeRewriteTest {
  private static final SoftwareBackend SW = new SoftwareBackend();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ClearKeyRef CVK = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.CVK,
      "0123456789ABCDEFFEDCBA9876543210");
  private static final CardTag CARD = new CardTag(1, "0001");
  // C1 record (ilya-dubinsky/cfpp:c/test/test_magstripe.c), issued with expiry 8701; reissued with 9912.
  private static final String OLD = "{\"pan\":\"4123456789012345\",\"name\":\"TEST/CARD\",\"expiry\":\"8701\",\"serviceCode\":\"101\"}";
  private static final String NEW = "{\"pan\":\"4123456789012345\",\"name\":\"TEST/CARD\",\"expiry\":\"9912\",\"serviceCode\":\"101\"}";

  /** One card's stripe per track; erase clears only the tracks named. */
  static class OneCardEncoder implements MagStripeEncoder {
    final TreeMap<Integer, Bytes> tracks = new TreeMap<>();
    final java.util.List<String> calls = new java.util.ArrayList<>();

    @Override
    public void write(CardTag card, StripeData data) {
      calls.add("write");
      tracks.putAll(data.tracks());
    }

    @Override
    public StripeData read(CardTag card) {
      calls.add("read");
      return StripeData.of(tracks);
    }

    @Override
    public void erase(CardTag card, Set<Integer> which) {
      calls.add("erase " + which);
      tracks.keySet().removeAll(which);
    }

    @Override
    public String id() {
      return "test:msr";
    }

    @Override
    public DeviceStatus status() {
      return DeviceStatus.ready();
    }

    @Override
    public void close() {}
  }

  private static CardRecord record(String id, String magstripe) throws Exception {
    return CardRecord.builder(id).location("batch.jsonl:1").section("magstripe", JSON.readTree(magstripe)).build();
  }

  private static MagStripeStep step() {
    return MagStripeStep.builder(IssuerLayout.EXAMPLE_CVV, StripeKeys.of(SW, CVK, null)).luhnCheck(false).build();
  }

  private static OneCardEncoder issued() throws Exception {
    OneCardEncoder enc = new OneCardEncoder();
    enc.write(CARD, MagStripeStep.stripeData(step().tracks(record("r-1", OLD))));
    enc.tracks.put(3, Bytes.of("0112345".getBytes(StandardCharsets.US_ASCII)));   // a track 3 the new stripe drops
    enc.calls.clear();
    return enc;
  }

  @Test
  void rewritesTheIssuedCardFoundByItsPanAndReportsOnlyFieldNames() throws Exception {
    OneCardEncoder enc = issued();
    CardRecord fresh = record("r-1", NEW);
    StripeRewrite.StripeIdentity[] seen = new StripeRewrite.StripeIdentity[1];
    StripeRewrite.RewriteReport r = StripeRewrite.of(step(), id -> {
      seen[0] = id;
      return id.pan().equals("4123456789012345") ? Optional.of(fresh) : Optional.empty();
    }).rewrite(enc, CARD);
    assertThat(seen[0].expiry()).contains("8701");
    assertThat(seen[0].toString()).doesNotContain("412345678901");
    assertThat(enc.calls).containsExactly("read", "erase [1, 2, 3]", "write", "read");
    assertThat(StripeData.of(enc.tracks).sameAs(MagStripeStep.stripeData(step().tracks(fresh)))).isTrue();
    assertThat(enc.tracks).doesNotContainKey(3);
    assertThat(r.recordId()).isEqualTo("r-1");
    assertThat(r.maskedPan()).isEqualTo("************2345");
    // new expiry, so a new CVV in the discretionary data (EXAMPLE_CVV); service code and name unchanged
    assertThat(r.changes()).isEqualTo(Map.of(1, List.of("expiry", "discretionaryData"), 2, List.of("expiry", "discretionaryData")));
    assertThat(r.removed()).containsExactly(3);
    assertThat(r.summary()).isEqualTo("track 1 expiry,discretionaryData; track 2 expiry,discretionaryData; track 3 removed;")
        .doesNotContain("2345");
  }

  @Test
  void noRecordOrAnotherPanLeavesTheStripeAsItWas() throws Exception {
    OneCardEncoder enc = issued();
    TreeMap<Integer, Bytes> before = new TreeMap<>(enc.tracks);
    assertThatThrownBy(() -> StripeRewrite.of(step(), id -> Optional.empty()).rewrite(enc, CARD))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.getMessage()).contains("no record")
            .contains("2345").doesNotContain("412345678901"));
    CardRecord other = record("r-2", NEW.replace("4123456789012345", "4123456789012346"));
    assertThatThrownBy(() -> StripeRewrite.of(step(), id -> Optional.of(other)).rewrite(enc, CARD))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).endsWith("magstripe.pan"));
    assertThat(enc.tracks).isEqualTo(before);
    assertThat(enc.calls).containsOnly("read");
  }

  @Test
  void aBlankOrUnreadableStripeCannotBeIdentified() {
    OneCardEncoder enc = new OneCardEncoder();
    assertThatThrownBy(() -> StripeRewrite.readOld(enc, CARD)).isInstanceOf(ValidationException.class);
    enc.tracks.put(2, Bytes.of("41=A".getBytes(StandardCharsets.US_ASCII)));
    assertThatThrownBy(() -> StripeRewrite.readOld(enc, CARD)).isInstanceOfSatisfying(ValidationException.class,
        e -> assertThat(e.getMessage()).contains("track 2").doesNotContain("41="));
  }

  @Test
  void aNewStripeThatDoesNotReadBackIsAMismatch() throws Exception {
    OneCardEncoder enc = new OneCardEncoder() {
      @Override
      public void write(CardTag card, StripeData data) {
        // the write does not take (e.g. Lo-Co on a Hi-Co stripe)
      }
    };
    enc.tracks.putAll(issued().tracks);
    CardRecord fresh = record("r-1", NEW);
    assertThatThrownBy(() -> StripeRewrite.of(step(), id -> Optional.of(fresh)).rewrite(enc, CARD))
        .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.fault()).isEqualTo(DeviceFault.READ_BACK_MISMATCH));
  }

  @Test
  void theStepChecksTheRecordInHandMarksWrittenOnceAndLeavesTheChangesAsStageOutput() throws Exception {
    OneCardEncoder enc = issued();
    StepEnvironment env = StepEnvironment.builder(Path.of(".")).service(dev.perso.crypto.CryptoBackend.class, SW)
        .service(KeyLookup.class, KeyLookup.of(Map.of("demo-cvk", CVK))).build();
    CardType t = CardTypes.parse("{\"name\":\"reissue\",\"steps\":[{\"type\":\"magstripe-rewrite\",\"layout\":\"cvv\","
        + "\"cvk\":\"demo-cvk\",\"luhnCheck\":false}]}", "reissue.json", env);
    assertThat(t.steps().get(0)).isInstanceOf(MagStripeRewriteStep.class);
    TestStepContext ctx = new TestStepContext(record("r-1", NEW)).device(DeviceRole.MAG_STRIPE_ENCODER, enc);
    t.steps().get(0).run(ctx);
    assertThat(ctx.markWrittenCalls()).isEqualTo(1);
    assertThat(ctx.outputs()).containsEntry(MagStripeRewriteStep.OUTPUT,
        "track 1 expiry,discretionaryData; track 2 expiry,discretionaryData; track 3 removed;");
    OneCardEncoder other = issued();
    TestStepContext wrong = new TestStepContext(record("r-2", NEW.replace("2345\"", "2346\"")))
        .device(DeviceRole.MAG_STRIPE_ENCODER, other);
    assertThatThrownBy(() -> t.steps().get(0).run(wrong)).isInstanceOf(ValidationException.class);
    assertThat(wrong.markWrittenCalls()).isZero();
  }
}
