package dev.perso.samples.line;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perso.core.CardIdentificationException;
import dev.perso.core.PersoException;
import dev.perso.core.ValidationException;
import dev.perso.core.cardholder.Pan;
import dev.perso.core.device.CardTag;
import dev.perso.core.device.DeviceContext;
import dev.perso.core.device.Devices;
import dev.perso.core.device.StripeData;
import dev.perso.core.event.PersoEvents;
import dev.perso.core.journal.Journal;
import dev.perso.core.journal.RecordState;
import dev.perso.core.line.Job;
import dev.perso.core.line.JobReport;
import dev.perso.core.line.Line;
import dev.perso.core.line.LineClock;
import dev.perso.core.line.Machine;
import dev.perso.core.record.CardRecord;
import dev.perso.core.record.JsonLinesRecords;
import dev.perso.core.record.RecordSource;
import dev.perso.core.step.CardIdentifier;
import dev.perso.core.step.CardType;
import dev.perso.core.step.IdentifyStep;
import dev.perso.crypto.ClearKeyRef;
import dev.perso.crypto.KeyAlgorithm;
import dev.perso.crypto.KeyUsage;
import dev.perso.crypto.SoftwareBackend;
import dev.perso.devices.testing.CplcChips;
import dev.perso.devices.virtual.PhysicalCard;
import dev.perso.devices.virtual.VirtualWorld;
import dev.perso.iso7813.IssuerLayout;
import dev.perso.iso7813.StripeKeys;
import dev.perso.iso7813.step.MagStripeRewriteStep;
import dev.perso.iso7813.step.MagStripeStep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issued cards come back for their stripe to be rewritten (a new expiry, so a new CVV), as a stage of their
 * job: the stage identifies each card of a shuffled hopper by the chip serial the issuing stage remembered and
 * runs the real {@code magstripe-rewrite} step ({@link MagStripeRewriteStep}, {@code StripeRewrite}) on it. The
 * virtual encoder leaves the new tracks on exactly the right cards; a card whose stripe's PAN is not its
 * record's is rejected with its stripe as it was.
 */
class RestripeStageTest {
  private static final SoftwareBackend SW = new SoftwareBackend();
  /** The made-up test CVK of perso-iso7813's StripeRewriteTest. */
  private static final ClearKeyRef CVK = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.CVK,
      "0123456789ABCDEFFEDCBA9876543210");
  private static final MagStripeStep STRIPE = MagStripeStep.of(IssuerLayout.EXAMPLE_CVV, StripeKeys.of(SW, CVK, null));
  private static final CardIdentifier CHIP_SERIAL = CplcChips.SERIAL;

  private final LineClock clock = LineClock.virtual();
  private final CplcChips chips = new CplcChips(0x2000);
  private final List<String> rejections = Collections.synchronizedList(new ArrayList<>());
  private final PersoEvents events = new PersoEvents() {
    @Override
    public void cardRejected(CardTag card, String station, PersoException reason, boolean remade) {
      rejections.add(card.recordId() + " " + reason.getClass().getSimpleName());
    }
  };

  private static String serialOf(PhysicalCard card) {
    return CplcChips.serialOf(card.chip().orElseThrow());
  }

  /** A 16-digit PAN on the Visa test BIN 476173 with its Luhn check digit (ISO/IEC 7812-1 Annex B). */
  private static String pan(int i) {
    return Pan.luhnComplete("4761739001" + String.format("%05d", i));
  }

  private static String line(int i, String pan, String expiry) {
    return "{\"cardId\":\"" + String.format("%06d", i) + "\",\"magstripe\":{\"pan\":\"" + pan
        + "\",\"name\":\"CARDMEMBER/TEST\",\"expiry\":\"" + expiry + "\",\"serviceCode\":\"201\"}}";
  }

  /** The batch: every record's stripe with {@code expiry}, record {@code wrongPan} (if any) with another card's PAN. */
  private static Path batch(Path dir, String name, int n, String expiry, int wrongPan) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, IntStream.rangeClosed(1, n).mapToObj(i -> line(i, pan(i == wrongPan ? 900 + i : i), expiry))
        .toList());
    return file;
  }

  private static CardRecord record(Path batch, String id) {
    try (RecordSource s = JsonLinesRecords.open(batch)) {
      while (s.hasNext()) {
        if (s.next() instanceof dev.perso.core.record.RecordInput.Read r && r.record().id().equals(id)) {
          return r.record();
        }
      }
    }
    throw new AssertionError(id);
  }

  private Line line(String machine, DeviceContext ctx) {
    return Line.builder().clock(clock).machine(Machine.conveyor(machine)
        .transport(Devices.open("virtual:transport?id=" + machine + "-transport&feedMs=200&moveMs=50&ejectMs=200", ctx))
        .module("reader", Devices.open("virtual:chip?id=" + machine + "-reader&ms=300", ctx))
        .module("mag", Devices.open("virtual:magstripe?id=" + machine + "-mag&ms=800", ctx))
        .build()).build();
  }

  @Test
  void aReturnedShuffledHopperGetsTheNewStripeOnEachCardOfItsOwnRecordAndAForeignPanIsRejected(@TempDir Path dir)
      throws IOException {
    int n = 10;
    int wrong = 4;
    String wrongId = String.format("%06d", wrong);
    Path issueBatch = batch(dir, "issue.jsonl", n, "2812", 0);
    Path reissueBatch = batch(dir, "reissue.jsonl", n, "3012", wrong);
    DeviceContext issueWorld = DeviceContext.builder().clock(clock).cardStock(tag -> chips.next()).build();
    DeviceContext returnsWorld = DeviceContext.builder().clock(clock).cardStock(tag -> chips.next()).build();
    try (Journal issueJournal = Journal.inMemory(); Journal restripeJournal = Journal.sqlite(dir.resolve("restripe.db"));
         Line issueLine = line("mx-1", issueWorld); Line restripeLine = line("mx-3", returnsWorld)) {
      CardType debit = CardType.builder("debit")
          .step(IdentifyStep.remember("chip-serial", CHIP_SERIAL)).step(STRIPE)
          .step(IdentifyStep.byOutput(issueJournal, "chip-serial", CHIP_SERIAL)).step(MagStripeRewriteStep.of(STRIPE))
          .stage("issue", "remember-chip-serial", "magstripe")
          .stage("restripe", "identify-chip-serial", "magstripe-rewrite").build();
      JobReport issued = issueLine.run(Job.of("job-21", JsonLinesRecords.open(issueBatch), debit.stage("issue"),
          issueJournal), events);
      assertThat(issued.issued()).isEqualTo(n);

      // a year later the cards come back, shuffled, one of them lost
      clock.sleep(Duration.ofDays(365));
      List<PhysicalCard> hopper = new ArrayList<>(VirtualWorld.of(issueWorld).outputHopper());
      Map<String, String> recordOfSerial = new HashMap<>();
      hopper.forEach(c -> recordOfSerial.put(serialOf(c), c.tag().recordId()));
      Collections.shuffle(hopper, new Random(21));
      String lost = hopper.remove(2).tag().recordId();
      assertThat(lost).isNotEqualTo(wrongId);
      VirtualWorld returns = VirtualWorld.of(returnsWorld);
      returns.loadHopper("mx-3-transport", hopper);

      JobReport again = restripeLine.run(Job.of("job-21", JsonLinesRecords.open(reissueBatch), debit.stage("restripe"),
          restripeJournal), events);

      // every returned card of a right record carries its record's new stripe, and the output hopper names it
      Set<String> rewritten = IntStream.rangeClosed(1, n).mapToObj(i -> String.format("%06d", i))
          .filter(id -> !id.equals(lost) && !id.equals(wrongId)).collect(Collectors.toSet());
      assertThat(again.issued()).isEqualTo(rewritten.size());
      Set<String> seen = new HashSet<>();
      for (PhysicalCard c : returns.outputHopper()) {
        String own = recordOfSerial.get(serialOf(c));
        assertThat(c.tag().recordId()).isEqualTo(own);
        assertThat(seen.add(own)).isTrue();
        StripeData expected = MagStripeStep.stripeData(STRIPE.tracks(record(reissueBatch, own)));
        assertThat(c.stripe().sameAs(expected)).as(own).isTrue();
        assertThat(c.stripe().sameAs(MagStripeStep.stripeData(STRIPE.tracks(record(issueBatch, own))))).isFalse();
        String summary = restripeJournal.stageRecord(own).orElseThrow().outputs().get(MagStripeRewriteStep.OUTPUT);
        assertThat(summary).contains("expiry").doesNotContain(pan(Integer.parseInt(own)).substring(6));
      }
      assertThat(seen).isEqualTo(rewritten);
      // the card whose record holds another PAN is in the reject bin with the stripe it was issued with
      PhysicalCard foreign = returns.rejectBin().stream().filter(c -> wrongId.equals(recordOfSerial.get(serialOf(c))))
          .findFirst().orElseThrow();
      assertThat(foreign.stripe().sameAs(MagStripeStep.stripeData(STRIPE.tracks(record(issueBatch, wrongId))))).isTrue();
      assertThat(rejections).contains(wrongId + " " + ValidationException.class.getSimpleName());
      // the rest of the reject bin: blanks fed for the two records left, never written
      assertThat(returns.rejectBin()).filteredOn(c -> !recordOfSerial.containsKey(serialOf(c)))
          .allMatch(c -> c.stripe().tracks().isEmpty());
      assertThat(rejections).filteredOn(r -> !r.startsWith(wrongId + " "))
          .allMatch(r -> r.endsWith(CardIdentificationException.class.getSimpleName()));
      assertThat(restripeJournal.stageRecord(wrongId).orElseThrow().state()).isEqualTo(RecordState.REJECTED);
      assertThat(restripeJournal.stageRecord(lost).orElseThrow().state()).isEqualTo(RecordState.REJECTED);
      var r = restripeJournal.reconcile();
      assertThat(r.addsUp()).as(r.discrepancies().toString()).isTrue();
      assertThat(r.records().get(RecordState.DONE)).isEqualTo(rewritten.size());
      assertThat(issueJournal.reconcile().addsUp()).isTrue();
    }
  }
}
