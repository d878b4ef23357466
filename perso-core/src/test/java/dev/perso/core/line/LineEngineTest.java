package dev.perso.core.line;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.DeviceException;
import dev.perso.core.PersoException;
import dev.perso.core.ValidationException;
import dev.perso.core.device.CardTag;
import dev.perso.core.event.PersoEvents;
import dev.perso.core.journal.Journal;
import dev.perso.core.journal.RecordState;
import dev.perso.core.step.CardType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

class LineEngineTest {
  private static final IntPredicate NEVER = n -> false;

  private final LineClock clock = LineClock.virtual();
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());
  private final PersoEvents events = new PersoEvents() {
    @Override
    public void cardRejected(CardTag card, String station, PersoException reason, boolean remade) {
      log.add("rejected " + card.recordId() + " at " + station + " " + reason.getClass().getSimpleName()
          + (remade ? " remade" : ""));
    }

    @Override
    public void cardRetried(CardTag card, String station, PersoException reason) {
      log.add("retried " + card.recordId() + " from " + station);
    }

    @Override
    public void stationOffline(String station, DeviceException reason) {
      log.add("offline " + station);
    }

    @Override
    public void machinePaused(String machine, DeviceException reason) {
      log.add("paused " + machine + " " + reason.fault());
    }

    @Override
    public void machineResumed(String machine) {
      log.add("resumed " + machine);
    }
  };

  private TestDevices.Transport transport;

  private Machine conveyor(String id, int chipStations, Duration stripe, Duration chip, IntPredicate badRead,
      java.util.function.IntFunction<IntPredicate> contactFails) {
    transport = new TestDevices.Transport(id + "-transport", clock);
    return Machine.conveyor(id).transport(transport)
        .module("mag", new TestDevices.Encoder(id + "-mag", clock, stripe, badRead))
        .stations("chip", chipStations, i -> new TestDevices.Chip(id + "-chip-" + i, clock, chip, contactFails.apply(i)))
        .build();
  }

  private static CardType debit() {
    return CardType.builder("debit").step(TestDevices.stripeStep()).step(TestDevices.chipStep()).build();
  }

  @Test
  void conveyorIssuesEveryCardOnceInTheOrderTheyEntered() {
    Machine mx = conveyor("mx-1", 8, Duration.ofSeconds(1), Duration.ofSeconds(6), NEVER, i -> NEVER);
    try (Line line = Line.builder().machine(mx).clock(clock).build(); Journal journal = Journal.inMemory()) {
      JobReport r = line.run(Job.of("job", TestDevices.records(100), debit(), journal), events);
      assertThat(r.issued()).isEqualTo(100);
      assertThat(r.reconciliation().addsUp()).isTrue();
      assertThat(transport.output).extracting(CardTag::recordId)
          .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 100)
              .mapToObj(i -> String.format("%06d", i)).toList());
      assertThat(new HashSet<>(transport.output)).hasSize(100);
    }
  }

  @Test
  void conveyorThroughputReachesTheBoundOfItsSlowestModule() {
    // chip 6 s, stripe 1 s: the bound is min(1/1 s, N/6 s) cards per second
    for (int n : new int[] {1, 8, 16, 64}) {
      LineClock c = LineClock.virtual();
      TestDevices.Transport t = new TestDevices.Transport("t", c);
      Machine mx = Machine.conveyor("mx").transport(t)
          .module("mag", new TestDevices.Encoder("mag", c, Duration.ofSeconds(1), NEVER))
          .stations("chip", n, i -> new TestDevices.Chip("chip-" + i, c, Duration.ofSeconds(6), NEVER))
          .build();
      int cards = Math.max(60, n * 6);
      try (Line line = Line.builder().machine(mx).clock(c).build(); Journal journal = Journal.inMemory()) {
        JobReport r = line.run(Job.of("job", TestDevices.records(cards), debit(), journal), PersoEvents.NONE);
        double bound = Math.min(1.0, n / 6.0);
        // the pipeline takes 1 + 6 s to fill: measure the steady state from the first card out
        double perSecond = r.issued() / (r.elapsed().toNanos() / 1e9 - 7 + 1.0 / bound);
        assertThat(perSecond / bound).as("efficiency with %d chip stations", n).isGreaterThanOrEqualTo(0.95);
      }
    }
  }

  @Test
  void aDesktopFleetOfFourDoesFourTimesTheWorkOfOne() {
    double one = desktopFleet(1, 40);
    double four = desktopFleet(4, 160);
    assertThat(four / (4 * one)).isGreaterThanOrEqualTo(0.95);
  }

  private double desktopFleet(int machines, int cards) {
    LineClock c = LineClock.virtual();
    Line.Builder b = Line.builder().clock(c);
    for (int m = 1; m <= machines; m++) {
      b.machine(Machine.desktop("desk-" + m).device(new TestDevices.Transport("t" + m, c))
          .device(new TestDevices.Encoder("e" + m, c, Duration.ofSeconds(2), NEVER))
          .device(new TestDevices.Chip("c" + m, c, Duration.ofSeconds(8), NEVER)).build());
    }
    try (Line line = b.build(); Journal journal = Journal.inMemory()) {
      JobReport r = line.run(Job.of("job", TestDevices.records(cards), debit(), journal), PersoEvents.NONE);
      assertThat(r.issued()).isEqualTo(cards);
      return r.issued() / (r.elapsed().toNanos() / 1e9);
    }
  }

  @Test
  void aContactFailureBeforeAnyWriteMovesTheCardToAnotherStationAndTakesTheStationOffline() {
    Machine mx = conveyor("mx-1", 4, Duration.ofSeconds(1), Duration.ofSeconds(6), NEVER,
        i -> i == 2 ? n -> n == 3 : NEVER);
    try (Line line = Line.builder().machine(mx).clock(clock).build(); Journal journal = Journal.inMemory()) {
      JobReport r = line.run(Job.of("job", TestDevices.records(40), debit(), journal), events);
      assertThat(r.issued()).isEqualTo(40);
      assertThat(r.rejectedCards()).isZero();
      assertThat(log).contains("offline mx-1/chip-2").anyMatch(l -> l.startsWith("retried") && l.endsWith("mx-1/chip-2"));
      assertThat(r.reconciliation().addsUp()).isTrue();
    }
  }

  @Test
  void aReadBackMismatchRejectsTheCardAndRemakesItsRecordOnANewCard() {
    Machine mx = conveyor("mx-1", 4, Duration.ofSeconds(1), Duration.ofSeconds(6), n -> n == 5, i -> NEVER);
    try (Line line = Line.builder().machine(mx).clock(clock).build(); Journal journal = Journal.inMemory()) {
      JobReport r = line.run(Job.of("job", TestDevices.records(20), debit(), journal), events);
      assertThat(r.issued()).isEqualTo(20);
      assertThat(r.rejectedCards()).isEqualTo(1);
      assertThat(r.remade()).isEqualTo(1);
      assertThat(log).containsExactly("rejected 000005 at mx-1/mag DeviceException remade");
      assertThat(journal.record("000005").orElseThrow().attempts()).isEqualTo(2);
      assertThat(r.reconciliation().total().rejectedByReason()).isEqualTo(Map.of("READ_BACK_MISMATCH", 1L));
      assertThat(transport.rejectBin).hasSize(1);
    }
  }

  @Test
  void aRecordWhoseRemakesAreUsedUpIsRejectedWithItsReason() {
    Machine mx = conveyor("mx-1", 2, Duration.ofSeconds(1), Duration.ofSeconds(6), n -> n == 3 || n == 4, i -> NEVER);
    try (Line line = Line.builder().machine(mx).clock(clock).retry(new RetryPolicy(0, 1)).build();
        Journal journal = Journal.inMemory()) {
      JobReport r = line.run(Job.of("job", TestDevices.records(3), debit(), journal), events);
      assertThat(r.issued()).isEqualTo(2);
      assertThat(r.recordsRejected()).isEqualTo(1);
      assertThat(journal.record("000003").orElseThrow().state()).isEqualTo(RecordState.REJECTED);
      assertThat(journal.record("000003").orElseThrow().reason()).startsWith("READ_BACK_MISMATCH");
      assertThat(r.reconciliation().addsUp()).isTrue();
    }
  }

  @Test
  void anEmptyHopperPausesTheMachineUntilItIsRefilled() {
    Machine mx = conveyor("mx-1", 2, Duration.ofSeconds(1), Duration.ofSeconds(2), NEVER, i -> NEVER);
    transport.hopperEmptyAtFeed = 5;
    try (Line line = Line.builder().machine(mx).clock(clock).build(); Journal journal = Journal.inMemory()) {
      Instant t0 = clock.now();
      JobReport r = line.run(Job.of("job", TestDevices.records(10), debit(), journal), events);
      assertThat(r.issued()).isEqualTo(10);
      assertThat(log).containsSubsequence("paused mx-1 HOPPER_EMPTY", "resumed mx-1");
      assertThat(Duration.between(t0, clock.now())).isGreaterThan(Duration.ofSeconds(30));
    }
  }

  @Test
  void aRestartPurgesCardsLeftInsideEjectsIssuedOnesAndForgetsCardsNeverFed() {
    TestDevices.Transport t = new TestDevices.Transport("t", clock);
    Machine mx = Machine.conveyor("mx-1").transport(t)
        .module("mag", new TestDevices.Encoder("mag", clock, Duration.ofSeconds(1), NEVER))
        .stations("chip", 2, i -> new TestDevices.Chip("chip-" + i, clock, Duration.ofSeconds(2), NEVER)).build();
    try (Journal journal = Journal.inMemory(); Line line = Line.builder().machine(mx).clock(clock).build()) {
      // what a crash left: card 1 inside and open, card 2 journaled issued but still inside, card 3 never fed
      journal.begin("job", "debit", "test-records", clock.now());
      journal.queued(Map.of("000001", "l1", "000002", "l2", "000003", "l3"));
      long c1 = journal.cardFed("000001", "mx-1", "mx-1/chip-1", clock.now());
      long c2 = journal.cardFed("000002", "mx-1", "mx-1/chip-2", clock.now());
      journal.issued(c2, Map.of(), clock.now());
      journal.cardFed("000003", "mx-1", "mx-1/feeder", clock.now());
      t.inside.put(c1, new CardTag(c1, "000001"));
      t.inside.put(c2, new CardTag(c2, "000002"));

      JobReport r = line.run(Job.of("job", TestDevices.records(5), debit(), journal), events);

      assertThat(r.resumed()).isTrue();
      assertThat(r.purged()).isEqualTo(1);
      assertThat(t.rejectBin).extracting(CardTag::serial).containsExactly(c1);
      assertThat(t.output).extracting(CardTag::recordId)
          .containsExactlyInAnyOrder("000001", "000002", "000003", "000004", "000005");
      assertThat(r.alreadyFinished()).isEqualTo(1);
      assertThat(r.reconciliation().total().purged()).isEqualTo(1);
      assertThat(r.reconciliation().addsUp()).isTrue();
      Set<String> issuedRecords = new HashSet<>();
      t.output.forEach(c -> assertThat(issuedRecords.add(c.recordId())).isTrue());
    }
  }

  @Test
  void aRejectedCardFoundInsideAfterARestartGoesToTheBinEvenIfItsRecordWasIssuedSinceOnAnotherCard() {
    TestDevices.Transport t = new TestDevices.Transport("t", clock);
    Machine mx = Machine.conveyor("mx-1").transport(t)
        .module("mag", new TestDevices.Encoder("mag", clock, Duration.ofSeconds(1), NEVER))
        .stations("chip", 2, i -> new TestDevices.Chip("chip-" + i, clock, Duration.ofSeconds(2), NEVER)).build();
    try (Journal journal = Journal.inMemory(); Line line = Line.builder().machine(mx).clock(clock).build()) {
      // card 1 was journaled rejected (remake) and the stop came before the drop; meanwhile another
      // controller of a shared journal issued the record on card 2: card 1 must not reach the output
      journal.begin("job", "debit", "test-records", clock.now());
      journal.queued(Map.of("000001", "l1"));
      long c1 = journal.cardFed("000001", "mx-1", "mx-1/chip-1", clock.now());
      journal.rejected(c1, "READ_BACK_MISMATCH", "read-back differs", true, clock.now());
      journal.issued(journal.cardFed("000001", "mx-9", "mx-9/feeder", clock.now()), Map.of(), clock.now());
      t.inside.put(c1, new CardTag(c1, "000001"));

      JobReport r = line.run(Job.of("job", TestDevices.records(2), debit(), journal), events);

      assertThat(t.rejectBin).extracting(CardTag::serial).containsExactly(c1);
      assertThat(t.output).extracting(CardTag::recordId).containsExactly("000002");
      assertThat(r.reconciliation().addsUp()).isTrue();
    }
  }

  @Test
  void aRestartWithATransportThatForgetsItsCardsCountsOpenCardsAsPurgedAndRemakesTheirRecords() {
    TestDevices.Transport t = new TestDevices.Transport("t", clock);
    t.knowsCards = false;   // e.g. a virtual transport without a state file: its memory died with the controller
    Machine mx = Machine.conveyor("mx-1").transport(t)
        .module("mag", new TestDevices.Encoder("mag", clock, Duration.ofSeconds(1), NEVER))
        .stations("chip", 2, i -> new TestDevices.Chip("chip-" + i, clock, Duration.ofSeconds(2), NEVER)).build();
    try (Journal journal = Journal.inMemory(); Line line = Line.builder().machine(mx).clock(clock).build()) {
      journal.begin("job", "debit", "test-records", clock.now());
      journal.queued(Map.of("000001", "l1"));
      long c1 = journal.cardFed("000001", "mx-1", "mx-1/chip-1", clock.now());

      JobReport r = line.run(Job.of("job", TestDevices.records(3), debit(), journal), events);

      assertThat(r.purged()).isEqualTo(1);
      assertThat(r.issued()).isEqualTo(3);
      assertThat(journal.record("000001").orElseThrow().attempts()).isEqualTo(2);
      assertThat(r.reconciliation().total().fed()).isEqualTo(4);   // the card that may be inside counts as fed
      assertThat(r.reconciliation().total().purged()).isEqualTo(1);
      assertThat(r.reconciliation().addsUp()).isTrue();
      assertThat(t.output).extracting(CardTag::recordId).containsExactly("000001", "000002", "000003");
      assertThat(c1).isPositive();
    }
  }

  @Test
  void aMachineWithoutTheRolesOfTheCardTypeIsNotUsedAndALineWithNoneIsAnError() {
    Machine stripeOnly = Machine.conveyor("mag-only").transport(new TestDevices.Transport("t", clock))
        .module("mag", new TestDevices.Encoder("mag", clock, Duration.ofSeconds(1), NEVER)).build();
    try (Line line = Line.builder().machine(stripeOnly).clock(clock).build(); Journal journal = Journal.inMemory()) {
      assertThatThrownBy(() -> line.run(Job.of("job", TestDevices.records(1), debit(), journal), events))
          .isInstanceOf(ValidationException.class).hasMessageContaining("no machine can run card type debit");
    }
  }

  @Test
  void aResumedRunSkipsRecordsTheJournalHasDone() {
    Machine mx = conveyor("mx-1", 2, Duration.ofSeconds(1), Duration.ofSeconds(2), NEVER, i -> NEVER);
    try (Line line = Line.builder().machine(mx).clock(clock).build(); Journal journal = Journal.inMemory()) {
      line.run(Job.of("job", TestDevices.records(10), debit(), journal), events);
      JobReport again = line.run(Job.of("job", TestDevices.records(12), debit(), journal), events);
      assertThat(again.alreadyFinished()).isEqualTo(10);
      assertThat(again.issued()).isEqualTo(2);
      assertThat(transport.output).hasSize(12);
      assertThat(again.reconciliation().total().issued()).isEqualTo(12);
    }
  }
}
