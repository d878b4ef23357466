package dev.perso.core.line;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perso.core.DeviceException;
import dev.perso.core.PersoException;
import dev.perso.core.device.CardTag;
import dev.perso.core.device.DeviceStatus;
import dev.perso.core.event.PersoEvents;
import dev.perso.core.journal.Journal;
import dev.perso.core.record.CardRecord;
import dev.perso.core.record.RecordInput;
import dev.perso.core.record.RecordSource;
import dev.perso.core.step.CardType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 §4: every line callback {@link PersoEvents} declares is fired by the engine where it happens.
 * Each test runs a real line (virtual clock, test devices) and records the events as text. The callbacks
 * not proven here are in {@code LineEngineTest} (cardRejected, cardRetried, stationOffline, machinePaused,
 * machineResumed), {@code ApduTraceTest} (apduSent, apduReceived) and perso-emv-cps {@code CpsPersonalizerTest}
 * (audit, personalizationStarted/Done/Failed).
 */
class LineEventsTest {
  private static final IntPredicate NEVER = n -> false;

  private final LineClock clock = LineClock.virtual();
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());
  private final PersoEvents recorder = new PersoEvents() {
    @Override
    public void cardFed(CardTag card, String machine) {
      log.add("fed " + card.recordId() + " " + machine);
    }

    @Override
    public void cardEntered(CardTag card, String station) {
      log.add("entered " + card.recordId() + " " + station);
    }

    @Override
    public void stepDone(CardTag card, String step, String station, Duration elapsed) {
      log.add("step " + step + " " + card.recordId() + " " + station + " " + elapsed.toSeconds() + "s");
    }

    @Override
    public void cardLeft(CardTag card, String station) {
      log.add("left " + card.recordId() + " " + station);
    }

    @Override
    public void cardDone(CardTag card, String machine) {
      log.add("done " + card.recordId() + " " + machine);
    }

    @Override
    public void cardPurged(CardTag card, String machine) {
      log.add("purged " + card.recordId() + " " + machine);
    }

    @Override
    public void recordRejected(String recordId, String location, PersoException reason) {
      log.add("record rejected " + recordId + " " + location + " " + reason.getClass().getSimpleName());
    }

    @Override
    public void deviceStatus(String device, DeviceStatus status) {
      log.add("status " + device + " " + (status.isReady() ? "ready" : "not ready"));
    }

    @Override
    public void progress(long done, long total) {
      log.add("progress " + done + "/" + total);
    }

    @Override
    public void machinePaused(String machine, DeviceException reason) {
      log.add("paused " + machine);
    }
  };

  private static CardType debit() {
    return CardType.builder("debit").step(TestDevices.stripeStep()).step(TestDevices.chipStep()).build();
  }

  private Machine desktop(TestDevices.Transport transport) {
    return Machine.desktop("desk-1").device(transport)
        .device(new TestDevices.Encoder("mag", clock, Duration.ofSeconds(1), NEVER))
        .device(new TestDevices.Chip("chip", clock, Duration.ofSeconds(3), NEVER)).build();
  }

  @Test
  void aCardIsFedEntersTakesEachStepLeavesAndIsDoneAndTheJobProgresses() {
    try (Line line = Line.builder().machine(desktop(new TestDevices.Transport("t", clock))).clock(clock).build();
        Journal journal = Journal.inMemory()) {
      line.run(Job.of("job", TestDevices.records(1), debit(), journal).expecting(1), recorder);
    }
    assertThat(log).filteredOn(l -> !l.startsWith("status")).containsExactly(
        "fed 000001 desk-1",
        "entered 000001 desk-1/position",
        "step stripe 000001 desk-1/position 1s",
        "step chip 000001 desk-1/position 3s",
        "left 000001 desk-1/position",
        "done 000001 desk-1",
        "progress 1/1");
  }

  @Test
  void progressCountsEveryFinishedRecordUpToTheTotal() {
    try (Line line = Line.builder().machine(desktop(new TestDevices.Transport("t", clock))).clock(clock).build();
        Journal journal = Journal.inMemory()) {
      line.run(Job.of("job", TestDevices.records(3), debit(), journal).expecting(3), recorder);
    }
    assertThat(log).filteredOn(l -> l.startsWith("progress")).containsExactly("progress 1/3", "progress 2/3",
        "progress 3/3");
  }

  @Test
  void aRecordTheCardTypeCannotTakeIsRejectedWithItsLocationWithoutACard() {
    // record 000002 has a section no step reads: the card type's validation refuses it before a card is fed
    ObjectRecords source = new ObjectRecords(List.of(
        record("000001", "applications", "magstripe"), record("000002", "applications", "magstripe", "surprise"),
        record("000003", "applications", "magstripe")));
    try (Line line = Line.builder().machine(desktop(new TestDevices.Transport("t", clock))).clock(clock).build();
        Journal journal = Journal.inMemory()) {
      JobReport r = line.run(Job.of("job", source, debit(), journal), recorder);
      assertThat(r.recordsRejected()).isEqualTo(1);
    }
    assertThat(log).contains("record rejected 000002 test:000002 ValidationException")
        .doesNotContain("fed 000002 desk-1");
  }

  @Test
  void aRestartPurgesTheCardLeftInsideAndSaysSo() {
    TestDevices.Transport t = new TestDevices.Transport("t", clock);
    try (Journal journal = Journal.inMemory();
        Line line = Line.builder().machine(desktop(t)).clock(clock).build()) {
      journal.begin("job", "debit", "test-records", clock.now());
      journal.queued(Map.of("000001", "l1"));
      long c1 = journal.cardFed("000001", "desk-1", "desk-1", clock.now());
      t.inside.put(c1, new CardTag(c1, "000001"));
      line.run(Job.of("job", TestDevices.records(1), debit(), journal), recorder);
    }
    assertThat(log).first().isEqualTo("purged 000001 desk-1");
    assertThat(log).contains("done 000001 desk-1");
  }

  @Test
  void aDeviceThatNeedsAPersonReportsItsStatusWhenItFaultsAndWhenItIsReadyAgain() {
    TestDevices.Transport t = new TestDevices.Transport("t", clock);
    t.hopperEmptyAtFeed = 2;
    try (Line line = Line.builder().machine(desktop(t)).clock(clock).build(); Journal journal = Journal.inMemory()) {
      line.run(Job.of("job", TestDevices.records(2), debit(), journal), recorder);
    }
    assertThat(log).containsSubsequence("paused desk-1", "status t not ready", "status t ready", "done 000002 desk-1");
  }

  private static RecordInput record(String id, String... sections) {
    CardRecord.Builder b = CardRecord.builder(id).location("test:" + id);
    for (String s : sections) {
      b.section(s, new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode());
    }
    return new RecordInput.Read(b.build(), "test:" + id);
  }

  /** A fixed list of inputs. */
  private static final class ObjectRecords implements RecordSource {
    private final Iterator<RecordInput> it;

    ObjectRecords(List<RecordInput> all) {
      this.it = all.iterator();
    }

    @Override
    public String name() {
      return "test";
    }

    @Override
    public boolean hasNext() {
      return it.hasNext();
    }

    @Override
    public RecordInput next() {
      return it.next();
    }

    @Override
    public void close() {}
  }
}
