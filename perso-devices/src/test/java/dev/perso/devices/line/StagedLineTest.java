package dev.perso.devices.line;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perso.core.CardIdentificationException;
import dev.perso.core.PersoException;
import dev.perso.core.device.CardTag;
import dev.perso.core.device.DeviceContext;
import dev.perso.core.device.Devices;
import dev.perso.core.event.PersoEvents;
import dev.perso.core.journal.Journal;
import dev.perso.core.journal.RecordState;
import dev.perso.core.journal.StageRecord;
import dev.perso.core.line.Job;
import dev.perso.core.line.JobReport;
import dev.perso.core.line.Line;
import dev.perso.core.line.LineClock;
import dev.perso.core.line.Machine;
import dev.perso.core.line.RetryPolicy;
import dev.perso.core.step.CardIdentifier;
import dev.perso.core.step.CardType;
import dev.perso.core.step.IdentifyStep;
import dev.perso.core.testing.TestSteps;
import dev.perso.devices.testing.CplcChips;
import dev.perso.devices.virtual.PhysicalCard;
import dev.perso.devices.virtual.VirtualWorld;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job in two stages on two virtual lines, days apart on the virtual clock: the chip on one line, the
 * stripe and the print on another, which identifies each card by the chip serial (CPLC IC serial number)
 * the first stage remembered. Every card gets its own record's data or is rejected; both stages reconcile.
 */
class StagedLineTest {
  private final LineClock clock = LineClock.virtual();

  private final CplcChips chips = new CplcChips(0x1000);
  private static final CardIdentifier CHIP_SERIAL = CplcChips.SERIAL;

  private final List<String> rejections = Collections.synchronizedList(new ArrayList<>());
  private final PersoEvents events = new PersoEvents() {
    @Override
    public void cardRejected(CardTag card, String station, PersoException reason, boolean remade) {
      rejections.add(card.recordId() + " " + reason.getClass().getSimpleName());
    }
  };

  private DeviceContext world() {
    return DeviceContext.builder().clock(clock).cardStock(tag -> chips.next()).build();
  }

  private static CardType debit(Journal chipStage) {
    return CardType.builder("debit")
        .step(IdentifyStep.remember("chip-serial", CHIP_SERIAL)).step(LineSteps.chip())
        .step(IdentifyStep.byOutput(chipStage, "chip-serial", CHIP_SERIAL))
        .step(LineSteps.stripe()).step(LineSteps.print())
        .stage("chip", "remember-chip-serial", "chip")
        .stage("finish", "identify-chip-serial", "stripe", "print").build();
  }

  private Line chipLine(DeviceContext ctx) {
    return Line.builder().clock(clock).machine(Machine.conveyor("mx-1")
        .transport(Devices.open("virtual:transport?id=mx-1-transport&feedMs=200&moveMs=50&ejectMs=200", ctx))
        .stations("chip", 4, i -> Devices.open("virtual:chip?id=mx-1-chip-" + i + "&ms=3000", ctx))
        .build()).build();
  }

  private Line finishLine(DeviceContext ctx) {
    return Line.builder().clock(clock).machine(Machine.conveyor("mx-2")
        .transport(Devices.open("virtual:transport?id=mx-2-transport&feedMs=200&moveMs=50&ejectMs=200", ctx))
        .module("reader", Devices.open("virtual:chip?id=mx-2-reader&ms=300", ctx))
        .module("mag", Devices.open("virtual:magstripe?id=mx-2-mag&ms=800", ctx))
        .module("print", Devices.open("virtual:printer?id=mx-2-printer&ms=900", ctx))
        .build()).build();
  }

  private static String serialOf(PhysicalCard card) {
    return CplcChips.serialOf(card.chip().orElseThrow());
  }

  private static List<String> ids(int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> String.format("%06d", i)).toList();
  }

  @Test
  void aShuffledHopperWithMissingCardsPersonalizesEveryPresentCardAsItsOwnRecord(@TempDir Path dir) {
    int n = 30;
    DeviceContext chipWorld = world();
    DeviceContext finishWorld = world();
    try (Journal chipJournal = Journal.inMemory(); Journal finishJournal = Journal.sqlite(dir.resolve("finish.db"));
         Line chipLine = chipLine(chipWorld); Line finishLine = finishLine(finishWorld)) {
      CardType debit = debit(chipJournal);
      JobReport chip = chipLine.run(Job.of("job-7", TestSteps.records(n, "magstripe", "applications", "surface"),
          debit.stage("chip"), chipJournal), events);
      assertThat(chip.issued()).isEqualTo(n);
      assertThat(chipJournal.reconcile().addsUp()).isTrue();
      Instant chipDone = clock.now();

      // three days later, on another line: the chip stage's cards, shuffled, four of them missing
      clock.sleep(Duration.ofDays(3));
      List<PhysicalCard> hopper = new ArrayList<>(VirtualWorld.of(chipWorld).outputHopper());
      Map<String, String> recordOfSerial = new HashMap<>();
      for (PhysicalCard c : hopper) {
        recordOfSerial.put(serialOf(c), c.tag().recordId());
      }
      assertThat(recordOfSerial).hasSize(n);
      Collections.shuffle(hopper, new Random(17));
      List<PhysicalCard> missing = new ArrayList<>(hopper.subList(0, 4));
      hopper.removeAll(missing);
      Set<String> present = new HashSet<>();
      hopper.forEach(c -> present.add(c.tag().recordId()));
      VirtualWorld finish = VirtualWorld.of(finishWorld);
      finish.loadHopper("mx-2-transport", hopper);

      JobReport fin = finishLine.run(Job.of("job-7", TestSteps.records(n, "magstripe", "applications", "surface"),
          debit.stage("finish"), finishJournal), events);

      // every present card is issued, each with its own record's stripe and print (the line fed it for
      // whichever record came next; the identification step found its own), and nothing twice
      List<PhysicalCard> issued = finish.outputHopper();
      assertThat(issued).hasSize(n - 4);
      assertThat(fin.issued()).isEqualTo(n - 4);
      Set<String> recordsIssued = new HashSet<>();
      for (PhysicalCard c : issued) {
        String record = recordOfSerial.get(serialOf(c));
        assertThat(record).isNotNull();
        assertThat(c.tag().recordId()).isEqualTo(record);   // the output hopper names the card's own record
        assertThat(recordsIssued.add(record)).isTrue();
        assertThat(new String(c.stripe().tracks().get(2).toByteArray(), StandardCharsets.US_ASCII))
            .isEqualTo("9" + record);
        assertThat(c.printJobs()).hasSize(1);
        assertThat(finishJournal.stageRecord(record).orElseThrow().outputs())
            .containsEntry("chip-serial", serialOf(c));
      }
      assertThat(recordsIssued).isEqualTo(present);
      // the reject bin holds only blanks fed for the missing cards' records: not identified, never written
      assertThat(finish.rejectBin()).isNotEmpty().allMatch(c -> !recordOfSerial.containsKey(serialOf(c))
          && c.printJobs().isEmpty() && !c.stripe().has(2));
      assertThat(rejections).isNotEmpty()
          .allMatch(r -> r.endsWith(CardIdentificationException.class.getSimpleName()));
      assertThat(finish.rejectBin()).hasSize((int) fin.rejectedCards());
      // the missing cards' records are not DONE; every DONE record was DONE in the chip stage three days earlier
      for (PhysicalCard m : missing) {
        assertThat(finishJournal.stageRecord(m.tag().recordId()).orElseThrow().state())
            .isEqualTo(RecordState.REJECTED);
      }
      for (String id : ids(n)) {
        StageRecord done = finishJournal.stageRecord(id).orElseThrow();
        assertThat(done.done()).isEqualTo(present.contains(id));
        if (done.done()) {
          StageRecord before = chipJournal.stageRecord(id).orElseThrow();
          assertThat(before.done()).isTrue();
          assertThat(done.finished().orElseThrow()).isAfterOrEqualTo(before.finished().orElseThrow()
              .plus(Duration.ofDays(3)));
          assertThat(before.finished().orElseThrow()).isBeforeOrEqualTo(chipDone);
        }
      }
      // both stages reconcile: every card fed is issued or rejected, per stage, one issued card per DONE record
      var finished = finishJournal.reconcile();
      assertThat(finished.addsUp()).as(finished.discrepancies().toString()).isTrue();
      assertThat(finished.discrepancies()).isEmpty();
      assertThat(finished.total().fed()).isEqualTo(finished.total().issued() + fin.rejectedCards());
      assertThat(finished.total().issued()).isEqualTo(n - 4);
      assertThat(finished.records().get(RecordState.DONE)).isEqualTo(n - 4);
      assertThat(chipJournal.reconcile().total().issued()).isEqualTo(n);
      assertThat(chipJournal.reconcile().addsUp()).isTrue();
    }
  }

  @Test
  void aHopperLoadedWholeFeedsNoBlankForALostCardAndItsRecordWaits() {
    int n = 12;
    DeviceContext chipWorld = world();
    DeviceContext finishWorld = world();
    try (Journal chipJournal = Journal.inMemory(); Journal finishJournal = Journal.inMemory();
         Line chipLine = chipLine(chipWorld); Line finishLine = finishLine(finishWorld)) {
      CardType debit = debit(chipJournal);
      chipLine.run(Job.of("job-6", TestSteps.records(n, "magstripe", "applications", "surface"),
          debit.stage("chip"), chipJournal), events);
      List<PhysicalCard> hopper = new ArrayList<>(VirtualWorld.of(chipWorld).outputHopper());
      Collections.shuffle(hopper, new Random(5));
      List<PhysicalCard> lost = new ArrayList<>(hopper.subList(0, 3));
      hopper.removeAll(lost);
      VirtualWorld finish = VirtualWorld.of(finishWorld);
      finish.loadWholeHopper("mx-2-transport", hopper);

      JobReport fin = finishLine.run(Job.of("job-6", TestSteps.records(n, "magstripe", "applications", "surface"),
          debit.stage("finish"), finishJournal), events);

      // the nine cards loaded are issued, each as its own record; no blank stood in for a lost card
      assertThat(fin.issued()).isEqualTo(n - 3);
      assertThat(fin.rejectedCards()).isZero();
      assertThat(finish.rejectBin()).isEmpty();
      assertThat(finish.outputHopper()).allMatch(c -> c.tag().recordId().equals(
          hopper.stream().filter(h -> serialOf(h).equals(serialOf(c))).findFirst().orElseThrow().tag().recordId()));
      // the lost cards' records wait for their cards, QUEUED, and the stage reconciles
      for (PhysicalCard m : lost) {
        assertThat(finishJournal.stageRecord(m.tag().recordId()).orElseThrow().state()).isEqualTo(RecordState.QUEUED);
      }
      var rec = finishJournal.reconcile();
      assertThat(rec.addsUp()).as(rec.discrepancies().toString()).isTrue();
      assertThat(rec.total().fed()).isEqualTo(n - 3);
    }
  }

  @Test
  void aCardWhoseRecordIsNotReadyForThisStageIsRejectedNeverPersonalized() {
    int n = 16;
    DeviceContext chipWorld = world();
    DeviceContext finishWorld = world();
    try (Journal chipJournal = Journal.inMemory(); Journal finishJournal = Journal.inMemory();
         Line chipLine = chipLine(chipWorld);
         Line finishLine = Line.builder().clock(clock).retry(new RetryPolicy(2, n)).machine(Machine.conveyor("mx-2")
             .transport(Devices.open("virtual:transport?id=mx-2-transport&feedMs=200&moveMs=50&ejectMs=200",
                 finishWorld))
             .module("reader", Devices.open("virtual:chip?id=mx-2-reader&ms=300", finishWorld))
             .module("mag", Devices.open("virtual:magstripe?id=mx-2-mag&ms=800", finishWorld))
             .module("print", Devices.open("virtual:printer?id=mx-2-printer&ms=900", finishWorld)).build())
             .build()) {
      CardType debit = debit(chipJournal);
      chipLine.run(Job.of("job-9", TestSteps.records(n, "magstripe", "applications", "surface"),
          debit.stage("chip"), chipJournal), events);
      clock.sleep(Duration.ofDays(1));
      // the finish stage's input holds the first 10 records only: the other 6 cards belong to records that
      // are not ready for it, shuffled among the rest
      List<PhysicalCard> hopper = new ArrayList<>(VirtualWorld.of(chipWorld).outputHopper());
      Collections.shuffle(hopper, new Random(9));
      Map<String, String> recordOfSerial = new HashMap<>();
      hopper.forEach(c -> recordOfSerial.put(serialOf(c), c.tag().recordId()));
      VirtualWorld finish = VirtualWorld.of(finishWorld);
      finish.loadHopper("mx-2-transport", hopper);
      JobReport fin = finishLine.run(Job.of("job-9", TestSteps.records(10, "magstripe", "applications", "surface"),
          debit.stage("finish"), finishJournal), events);

      assertThat(fin.issued()).isEqualTo(10);
      Set<String> issuedRecords = new HashSet<>();
      for (PhysicalCard c : finish.outputHopper()) {
        String record = recordOfSerial.get(serialOf(c));
        assertThat(Integer.parseInt(record)).isBetween(1, 10);
        assertThat(issuedRecords.add(record)).isTrue();
        assertThat(new String(c.stripe().tracks().get(2).toByteArray(), StandardCharsets.US_ASCII))
            .isEqualTo("9" + record);
      }
      // the foreign cards fed before the ten were done went to the reject bin unwritten, each for its
      // identity (the line stops feeding when its input is done: the rest stay in the hopper)
      int foreignFed = (int) fin.rejectedCards();
      assertThat(foreignFed).isBetween(1, 6);
      assertThat(finish.rejectBin()).hasSize(foreignFed).allMatch(c ->
          Integer.parseInt(recordOfSerial.get(serialOf(c))) > 10 && c.printJobs().isEmpty() && !c.stripe().has(2));
      assertThat(rejections).hasSize(foreignFed)
          .allMatch(r -> r.endsWith(CardIdentificationException.class.getSimpleName()));
      assertThat(finishJournal.stageRecord("000011")).isEmpty();
      var r = finishJournal.reconcile();
      assertThat(r.addsUp()).as(r.discrepancies().toString()).isTrue();
      assertThat(r.total().fed()).isEqualTo(10 + foreignFed);
      assertThat(r.records().get(RecordState.DONE)).isEqualTo(10);
    }
  }

  @Test
  void aHopperInTheChipStagesOrderIsFinishedWholeAndItsCardsCanComeBackForARestripe() {
    int n = 12;
    DeviceContext chipWorld = world();
    DeviceContext finishWorld = world();
    try (Journal chipJournal = Journal.inMemory(); Journal finishJournal = Journal.inMemory();
         Line chipLine = chipLine(chipWorld); Line finishLine = finishLine(finishWorld)) {
      CardType debit = debit(chipJournal);
      chipLine.run(Job.of("job-8", TestSteps.records(n, "magstripe", "applications", "surface"),
          debit.stage("chip"), chipJournal), events);
      clock.sleep(Duration.ofDays(1));
      VirtualWorld.of(finishWorld).loadHopper("mx-2-transport", VirtualWorld.of(chipWorld).outputHopper());
      JobReport fin = finishLine.run(Job.of("job-8", TestSteps.records(n, "magstripe", "applications", "surface"),
          debit.stage("finish"), finishJournal), events);
      assertThat(fin.issued()).isEqualTo(n);
      assertThat(fin.rejectedCards()).isZero();
      assertThat(rejections).isEmpty();
      assertThat(finishJournal.reconcile().addsUp()).isTrue();
      assertThat(finishJournal.stageRecord("000005").orElseThrow().stage()).isEqualTo("finish");

      // a month later the issued cards come back for their stripe to be rewritten: a stage against the
      // records DONE in the finish stage, identified by the chip serial the finish stage carried forward
      clock.sleep(Duration.ofDays(30));
      CardType restripe = CardType.builder("debit-restripe")
          .step(IdentifyStep.byOutput(finishJournal, "chip-serial", CHIP_SERIAL)).step(LineSteps.stripe()).build();
      DeviceContext returnsWorld = world();
      List<PhysicalCard> returned = new ArrayList<>(VirtualWorld.of(finishWorld).outputHopper());
      VirtualWorld.of(returnsWorld).loadHopper("mx-3-transport", returned);
      try (Journal restripeJournal = Journal.inMemory(); Line line = Line.builder().clock(clock)
          .machine(Machine.conveyor("mx-3")
              .transport(Devices.open("virtual:transport?id=mx-3-transport&feedMs=200&moveMs=50&ejectMs=200",
                  returnsWorld))
              .module("reader", Devices.open("virtual:chip?id=mx-3-reader&ms=300", returnsWorld))
              .module("mag", Devices.open("virtual:magstripe?id=mx-3-mag&ms=800", returnsWorld)).build())
          .build()) {
        JobReport again = line.run(Job.of("job-8-restripe", TestSteps.records(n, "magstripe"), restripe,
            restripeJournal), events);
        assertThat(again.issued()).isEqualTo(n);
        assertThat(restripeJournal.reconcile().addsUp()).isTrue();
        for (PhysicalCard c : VirtualWorld.of(returnsWorld).outputHopper()) {
          assertThat(new String(c.stripe().tracks().get(2).toByteArray(), StandardCharsets.US_ASCII))
              .isEqualTo("9" + c.tag().recordId());
          assertThat(c.printJobs()).hasSize(1); // what the finish stage printed is still on it
        }
      }
    }
  }

  @Test
  void eventsTheOutputHopperAndTheTransportsStateNameTheRecordEachCardWasPersonalizedAs(@TempDir Path dir) {
    int n = 12;
    DeviceContext chipWorld = world();
    DeviceContext finishWorld = world();
    Path state = dir.resolve("mx-2-transport.state");
    List<String> fed = Collections.synchronizedList(new ArrayList<>());
    List<String[]> reassigned = Collections.synchronizedList(new ArrayList<>());
    Map<Long, String> doneBySerial = Collections.synchronizedMap(new HashMap<>());
    List<String> striped = Collections.synchronizedList(new ArrayList<>());
    PersoEvents watch = new PersoEvents() {
      @Override
      public void cardFed(CardTag card, String machine) {
        fed.add(card.recordId());
      }

      @Override
      public void cardReassigned(CardTag card, String fedFor) {
        reassigned.add(new String[] {card.recordId(), fedFor, Long.toString(card.serial())});
      }

      @Override
      public void stepDone(CardTag card, String step, String station, Duration elapsed) {
        if (step.equals("stripe")) {
          striped.add(card.recordId());
        }
      }

      @Override
      public void cardDone(CardTag card, String machine) {
        doneBySerial.put(card.serial(), card.recordId());
      }
    };
    try (Journal chipJournal = Journal.inMemory(); Journal finishJournal = Journal.inMemory();
         Line chipLine = chipLine(chipWorld);
         Line finishLine = Line.builder().clock(clock).machine(Machine.conveyor("mx-2")
             .transport(Devices.open("virtual:transport?id=mx-2-transport&feedMs=200&moveMs=50&ejectMs=200&state="
                 + state, finishWorld))
             .module("reader", Devices.open("virtual:chip?id=mx-2-reader&ms=300", finishWorld))
             .module("mag", Devices.open("virtual:magstripe?id=mx-2-mag&ms=800", finishWorld))
             .module("print", Devices.open("virtual:printer?id=mx-2-printer&ms=900", finishWorld)).build())
             .build()) {
      CardType debit = debit(chipJournal);
      chipLine.run(Job.of("job-12", TestSteps.records(n, "magstripe", "applications", "surface"),
          debit.stage("chip"), chipJournal), events);
      List<PhysicalCard> hopper = new ArrayList<>(VirtualWorld.of(chipWorld).outputHopper());
      Map<String, String> recordOfSerial = new HashMap<>();
      hopper.forEach(c -> recordOfSerial.put(serialOf(c), c.tag().recordId()));
      Collections.shuffle(hopper, new Random(12));
      VirtualWorld finish = VirtualWorld.of(finishWorld);
      finish.loadHopper("mx-2-transport", hopper);

      JobReport fin = finishLine.run(Job.of("job-12", TestSteps.records(n, "magstripe", "applications", "surface"),
          debit.stage("finish"), finishJournal), watch);

      assertThat(fin.issued()).isEqualTo(n);
      // the shuffle made the line feed cards for other records than their own: each such card was announced
      assertThat(reassigned).isNotEmpty().allMatch(r -> !r[0].equals(r[1]));
      assertThat(fed).hasSize(n);
      Set<String> all = new HashSet<>(ids(n));
      // the done events, the stripe steps and the output hopper name the record each card was personalized as
      assertThat(new HashSet<>(doneBySerial.values())).isEqualTo(all);
      assertThat(striped).containsExactlyInAnyOrderElementsOf(all);
      for (PhysicalCard c : finish.outputHopper()) {
        String own = recordOfSerial.get(serialOf(c));
        assertThat(c.tag().recordId()).isEqualTo(own);
        assertThat(doneBySerial).containsEntry(c.tag().serial(), own);
        assertThat(new String(c.stripe().tracks().get(2).toByteArray(), StandardCharsets.US_ASCII))
            .isEqualTo("9" + own);
      }
      // a card may be renamed twice: exchanged with another card for that card's record, then identified
      Map<Long, String> lastName = new HashMap<>();
      reassigned.forEach(r -> lastName.put(Long.parseLong(r[2]), r[0]));
      lastName.forEach((serial, record) -> assertThat(doneBySerial).containsEntry(serial, record));
      assertThat(finish.issuedByRecord()).hasSize(n).allSatisfy((id, times) -> assertThat(times).isEqualTo(1));
      assertThat(finish.issuedByRecord().keySet()).isEqualTo(all);
    }
    // the transport's state file, replayed by a restarted controller, knows the records the cards carried
    DeviceContext restarted = world();
    try (var t = Devices.open("virtual:transport?id=mx-2-transport&state=" + state, restarted)) {
      assertThat(VirtualWorld.of(restarted).outputHopper()).extracting(c -> c.tag().recordId())
          .containsExactlyInAnyOrderElementsOf(ids(n));
    }
  }
}
