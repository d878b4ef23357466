package dev.perso.core.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The journal's semantics, run against every implementation. */
abstract class JournalContract {
  static final Instant T0 = Instant.parse("2030-01-02T03:04:05.678Z");

  Journal journal;

  abstract Journal newJournal() throws Exception;

  @BeforeEach
  void open() throws Exception {
    journal = newJournal();
  }

  @AfterEach
  void closeJournal() {
    journal.close();
  }

  static Instant t(int seconds) {
    return T0.plusSeconds(seconds);
  }

  void queue(String... ids) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < ids.length; i++) {
      m.put(ids[i], "batch.jsonl:" + (i + 1));
    }
    journal.queued(m);
  }

  RecordState state(String id) {
    return journal.record(id).orElseThrow().state();
  }

  @Test
  void beginCreatesThenResumesTheJob() {
    JobInfo first = journal.begin("job-1", "debit", "batch.jsonl", t(0));
    assertThat(first).isEqualTo(new JobInfo("job-1", "debit", "batch.jsonl", t(0), 1));
    assertThat(first.resumed()).isFalse();
    journal.end(t(5));
    JobInfo again = journal.begin("job-1", "debit", "other.jsonl", t(10));
    assertThat(again).isEqualTo(new JobInfo("job-1", "debit", "batch.jsonl", t(0), 2));
    assertThat(again.resumed()).isTrue();
    assertThat(journal.reconcile().ended()).isEmpty();
    journal.end(t(20));
    assertThat(journal.reconcile().ended()).contains(t(20));
    assertThat(journal.reconcile().started()).isEqualTo(t(0));
  }

  @Test
  void beginRefusesAnotherJobOrCardType() {
    journal.begin("job-1", "debit", "batch.jsonl", t(0));
    assertThatThrownBy(() -> journal.begin("job-2", "debit", "batch.jsonl", t(1)))
        .isInstanceOf(JournalException.class).hasMessageContaining("job-1");
    assertThatThrownBy(() -> journal.begin("job-1", "credit", "batch.jsonl", t(1)))
        .isInstanceOf(JournalException.class).hasMessageContaining("card type debit");
    assertThat(journal.begin("job-1", "debit", "batch.jsonl", t(2)).runs()).isEqualTo(2);
  }

  @Test
  void aStageJournalKeepsItsStageAndRefusesAnother() {
    JobInfo chip = journal.begin("job-1", "chip", "debit", "batch.jsonl", t(0));
    assertThat(chip).isEqualTo(new JobInfo("job-1", "debit", "batch.jsonl", t(0), 1, "chip"));
    assertThatThrownBy(() -> journal.begin("job-1", "finish", "debit", "batch.jsonl", t(1)))
        .isInstanceOf(JournalException.class).hasMessageContaining("job-1 stage chip")
        .hasMessageContaining("stage finish");
    assertThatThrownBy(() -> journal.begin("job-1", "debit", "batch.jsonl", t(1)))
        .isInstanceOf(JournalException.class).hasMessageContaining("stage chip");
    assertThat(journal.begin("job-1", "chip", "debit", "batch.jsonl", t(2)).runs()).isEqualTo(2);
  }

  @Test
  void aJobWithoutStagesIsOneStageNamedEmpty() {
    assertThat(journal.begin("job-1", "debit", "batch.jsonl", t(0)).stage()).isEmpty();
    queue("a");
    assertThat(journal.stageRecord("a").orElseThrow().stage()).isEmpty();
  }

  @Test
  void stageRecordKeepsStateMachineStationTimeAndOutputsPerRecord() {
    journal.begin("job-1", "chip", "debit", "in", t(0));
    queue("a", "b", "c");
    long a = journal.cardFed("a", "mx-1", "mx-1/feeder", t(1));
    journal.stepStarted(a, "mx-1/chip-2", "cps");
    journal.issued(a, Map.of("chip-serial", "0042", "card-id", "A1"), t(2));
    long b = journal.cardFed("b", "mx-1", "mx-1/feeder", t(3));
    journal.rejected(b, "CHIP_MUTE", "the chip did not answer", false, t(4));

    StageRecord done = journal.stageRecord("a").orElseThrow();
    assertThat(done).isEqualTo(new StageRecord("a", "chip", RecordState.DONE, "mx-1", "mx-1/chip-2",
        java.util.Optional.of(t(2)), Map.of("chip-serial", "0042", "card-id", "A1")));
    assertThat(done.done()).isTrue();
    StageRecord rejected = journal.stageRecord("b").orElseThrow();
    assertThat(rejected.state()).isEqualTo(RecordState.REJECTED);
    assertThat(rejected.finished()).isEmpty();
    assertThat(rejected.outputs()).isEmpty();
    assertThat(journal.stageRecord("c").orElseThrow().state()).isEqualTo(RecordState.QUEUED);
    assertThat(journal.stageRecord("nobody")).isEmpty();
  }

  @Test
  void stageRecordsListEveryRecordInTheOrderItBecameKnownAsStageRecordReadsIt() {
    assertThat(journal.stageRecords()).isEmpty();
    journal.begin("job-1", "finish", "debit", "in", t(0));
    queue("c");
    queue("a", "b");
    journal.issued(journal.cardFed("a", "mx-2", "mx-2/feeder", t(1)), Map.of("chip-serial", "0042"), t(2));
    journal.rejected(journal.cardFed("b", "mx-2", "mx-2/feeder", t(3)), "CardIdentificationException", "w", false,
        t(4));
    assertThat(journal.stageRecords()).extracting(StageRecord::recordId).containsExactly("c", "a", "b");
    assertThat(journal.status().stage()).isEqualTo("finish");
    assertThat(journal.stageRecords()).containsExactly(journal.stageRecord("c").orElseThrow(),
        journal.stageRecord("a").orElseThrow(), journal.stageRecord("b").orElseThrow());
    assertThat(journal.stageRecords().get(1)).isEqualTo(new StageRecord("a", "finish", RecordState.DONE, "mx-2",
        "mx-2/feeder", java.util.Optional.of(t(2)), Map.of("chip-serial", "0042")));
  }

  @Test
  void recordsWithOutputFindsOnlyDoneRecordsByAnIdentifier() {
    journal.begin("job-1", "chip", "debit", "in", t(0));
    queue("a", "b", "c");
    journal.issued(journal.cardFed("a", "mx-1", "f", t(1)), Map.of("chip-serial", "0001"), t(2));
    journal.issued(journal.cardFed("b", "mx-1", "f", t(3)), Map.of("chip-serial", "0002"), t(4));
    long c = journal.cardFed("c", "mx-1", "f", t(5));
    assertThat(journal.recordsWithOutput("chip-serial", "0002")).containsExactly("b");
    assertThat(journal.recordsWithOutput("chip-serial", "0001")).containsExactly("a");
    assertThat(journal.recordsWithOutput("chip-serial", "0003")).isEmpty();
    assertThat(journal.recordsWithOutput("card-id", "0001")).isEmpty();
    journal.issued(c, Map.of(), t(6));
    assertThat(journal.stageRecord("c").orElseThrow().outputs()).isEmpty();
  }

  @Test
  void queuedAddsRecordsOnceAndLeavesKnownOnesAlone() {
    journal.begin("job-1", "debit", "in", t(0));
    queue("a", "b");
    long card = journal.cardFed("a", "mx-1", "mx-1/feeder", t(1));
    queue("a", "b", "c");
    assertThat(journal.record("a").orElseThrow().state()).isEqualTo(RecordState.IN_PROGRESS);
    assertThat(journal.record("c").orElseThrow())
        .isEqualTo(new RecordStatus("c", RecordState.QUEUED, 0, "", "", "", "", "batch.jsonl:3"));
    assertThat(journal.record("b").orElseThrow().location()).isEqualTo("batch.jsonl:2");
    assertThat(journal.record("zz")).isEmpty();
    assertThat(journal.status().count(RecordState.QUEUED)).isEqualTo(2);
    assertThat(card).isPositive();
  }

  @Test
  void recordsLooksUpManyAtOnce() {
    journal.begin("job-1", "debit", "in", t(0));
    queue("a", "b", "c");
    Map<String, RecordStatus> found = journal.records(List.of("a", "c", "missing"));
    assertThat(found).containsOnlyKeys("a", "c");
    assertThat(found.get("c").location()).isEqualTo("batch.jsonl:3");
    assertThat(journal.records(List.of())).isEmpty();
  }

  @Test
  void rejectedOnReadRejectsQueuedAndUnknownRecordsKeyingUnreadableOnesByLocation() {
    journal.begin("job-1", "debit", "in", t(0));
    queue("a");
    journal.rejectedOnRead("a", "batch.jsonl:1", "ValidationException", "pan: luhn");
    journal.rejectedOnRead("?", "batch.jsonl:7", "MalformedDataException", "line 7: not JSON");
    journal.rejectedOnRead(null, "batch.jsonl:8", "MalformedDataException", "line 8: not JSON");
    assertThat(journal.record("a").orElseThrow())
        .isEqualTo(new RecordStatus("a", RecordState.REJECTED, 0, "", "", "", "ValidationException: pan: luhn",
            "batch.jsonl:1"));
    assertThat(journal.record("?@batch.jsonl:7").orElseThrow().state()).isEqualTo(RecordState.REJECTED);
    assertThat(journal.record("?@batch.jsonl:8").orElseThrow().location()).isEqualTo("batch.jsonl:8");
    assertThat(journal.reconcile().rejectedOnRead())
        .isEqualTo(Map.of("ValidationException", 1L, "MalformedDataException", 2L));
    assertThat(journal.reconcile().total().fed()).isZero();
    assertThatThrownBy(() -> journal.cardFed("a", "mx-1", "f", t(1))).isInstanceOf(JournalException.class);
  }

  @Test
  void rejectedOnReadNeverDowngradesDoneOrOpenRecords() {
    journal.begin("job-1", "debit", "in", t(0));
    queue("done", "open");
    journal.issued(journal.cardFed("done", "mx-1", "f", t(1)), Map.of(), t(2));
    journal.cardFed("open", "mx-1", "f", t(3));
    journal.rejectedOnRead("done", "batch.jsonl:1", "ValidationException", "pan");
    journal.rejectedOnRead("open", "batch.jsonl:2", "ValidationException", "pan");
    assertThat(state("done")).isEqualTo(RecordState.DONE);
    assertThat(state("open")).isEqualTo(RecordState.IN_PROGRESS);
    assertThat(journal.record("done").orElseThrow().reason()).isEmpty();
    assertThat(journal.reconcile().rejectedOnRead()).isEmpty();
  }

  @Test
  void cardFedOnlyFromQueuedAndAddsUnknownRecords() {
    journal.begin("job-1", "debit", "in", t(0));
    long c1 = journal.cardFed("new", "mx-1", "mx-1/feeder", t(1));
    assertThat(journal.record("new").orElseThrow())
        .isEqualTo(new RecordStatus("new", RecordState.IN_PROGRESS, 1, "mx-1", "mx-1/feeder", "", "", ""));
    assertThatThrownBy(() -> journal.cardFed("new", "mx-1", "f", t(2)))
        .isInstanceOf(JournalException.class).hasMessageContaining("IN_PROGRESS");
    journal.issued(c1, Map.of(), t(3));
    assertThatThrownBy(() -> journal.cardFed("new", "mx-1", "f", t(4)))
        .isInstanceOf(JournalException.class).hasMessageContaining("DONE");
    long c2 = journal.cardFed("other", "mx-2", "f", t(5));
    assertThat(c2).isGreaterThan(c1);
  }

  @Test
  void stepStartedMovesTheCardAndItsRecord() {
    journal.begin("job-1", "debit", "in", t(0));
    queue("a");
    long card = journal.cardFed("a", "mx-1", "mx-1/feeder", t(1));
    journal.stepStarted(card, "mx-1/chip-3", "emv");
    RecordStatus s = journal.record("a").orElseThrow();
    assertThat(s.station()).isEqualTo("mx-1/chip-3");
    assertThat(s.step()).isEqualTo("emv");
    journal.issued(card, Map.of(), t(2));
    assertThat(journal.reconcile().byStation()).containsOnlyKeys("mx-1/chip-3");
    assertThatThrownBy(() -> journal.stepStarted(card, "x", "y")).isInstanceOf(JournalException.class);
    assertThatThrownBy(() -> journal.stepStarted(999, "x", "y")).isInstanceOf(JournalException.class);
  }

  @Test
  void issuedIsFencedSoNothingIsIssuedTwice() {
    journal.begin("job-1", "debit", "in", t(0));
    queue("a", "b");
    long card = journal.cardFed("a", "mx-1", "f", t(1));
    journal.issued(card, Map.of("chip.serial", "0042"), t(2));
    assertThat(state("a")).isEqualTo(RecordState.DONE);
    assertThatThrownBy(() -> journal.issued(card, Map.of(), t(3)))
        .isInstanceOf(JournalException.class).hasMessageContaining("#" + card);
    assertThatThrownBy(() -> journal.rejected(card, "X", "x", true, t(3))).isInstanceOf(JournalException.class);
    assertThatThrownBy(() -> journal.issued(12345, Map.of(), t(3))).isInstanceOf(JournalException.class);
    // a card of an UNCERTAIN record (after a restart) is not issued either
    long b = journal.cardFed("b", "mx-1", "f", t(4));
    journal.recover();
    assertThatThrownBy(() -> journal.issued(b, Map.of(), t(5))).isInstanceOf(JournalException.class);
    assertThatThrownBy(() -> journal.rejected(b, "X", "x", true, t(5))).isInstanceOf(JournalException.class);
    Reconciliation r = journal.reconcile();
    assertThat(r.total().issued()).isEqualTo(1);
    assertThat(r.addsUp()).isTrue();
  }

  @Test
  void rejectedWithRemakeQueuesAgainAndWithoutRejects() {
    journal.begin("job-1", "debit", "in", t(0));
    queue("a");
    long c1 = journal.cardFed("a", "mx-1", "f", t(1));
    assertThat(journal.rejected(c1, "CHIP_MUTE", "no ATR", true, t(2))).isEqualTo(RecordState.QUEUED);
    assertThat(journal.record("a").orElseThrow().reason()).isEqualTo("CHIP_MUTE: no ATR");
    long c2 = journal.cardFed("a", "mx-1", "f", t(3));
    assertThat(journal.record("a").orElseThrow().attempts()).isEqualTo(2);
    assertThat(journal.rejected(c2, "MAG_VERIFY", "track 2", false, t(4))).isEqualTo(RecordState.REJECTED);
    RecordStatus s = journal.record("a").orElseThrow();
    assertThat(s.state()).isEqualTo(RecordState.REJECTED);
    assertThat(s.reason()).isEqualTo("MAG_VERIFY: track 2");
    Reconciliation r = journal.reconcile();
    assertThat(r.total()).isEqualTo(new Reconciliation.Counts(2, 0, Map.of("CHIP_MUTE", 1L, "MAG_VERIFY", 1L), 0, 0));
    assertThat(r.rejectedOnRead()).isEmpty();
    assertThat(r.addsUp()).isTrue();
  }

  @Test
  void recoverMakesOpenRecordsUncertainAndListsTheirCardsInFeedOrder() {
    journal.begin("job-1", "debit", "in", t(0));
    queue("a", "b", "c");
    long ca = journal.cardFed("a", "mx-1", "mx-1/feeder", t(1));
    long cb = journal.cardFed("b", "mx-2", "mx-2/feeder", t(2));
    journal.stepStarted(cb, "mx-2/laser", "laser");
    journal.issued(journal.cardFed("c", "mx-1", "f", t(3)), Map.of(), t(4));
    List<OpenCard> open = journal.recover();
    assertThat(open).containsExactly(new OpenCard(ca, "a", RecordState.UNCERTAIN, "mx-1", "mx-1/feeder"),
        new OpenCard(cb, "b", RecordState.UNCERTAIN, "mx-2", "mx-2/laser"));
    assertThat(journal.recover()).isEqualTo(open);
    assertThat(journal.status().count(RecordState.UNCERTAIN)).isEqualTo(2);
    assertThatThrownBy(() -> journal.cardFed("a", "mx-1", "f", t(5))).isInstanceOf(JournalException.class);
    assertThat(journal.reconcile().total().inside()).isEqualTo(2);
    assertThat(journal.reconcile().addsUp()).isTrue();
  }

  @Test
  void purgedCardsRequeueOrRejectTheirRecords() {
    journal.begin("job-1", "debit", "in", t(0));
    queue("a", "b");
    long ca = journal.cardFed("a", "mx-1", "f", t(1));
    long cb = journal.cardFed("b", "mx-1", "f", t(2));
    journal.recover();
    journal.purged(ca, true, t(3));
    journal.purged(cb, false, t(3));
    assertThat(state("a")).isEqualTo(RecordState.QUEUED);
    assertThat(journal.record("b").orElseThrow().reason()).startsWith("PURGED: ");
    assertThat(state("b")).isEqualTo(RecordState.REJECTED);
    assertThatThrownBy(() -> journal.purged(ca, true, t(4))).isInstanceOf(JournalException.class);
    long again = journal.cardFed("a", "mx-1", "f", t(5));
    journal.issued(again, Map.of(), t(6));
    Reconciliation r = journal.reconcile();
    assertThat(r.total()).isEqualTo(new Reconciliation.Counts(3, 1, Map.of(), 2, 0));
    assertThat(r.byMachine()).containsOnlyKeys("mx-1");
    assertThat(journal.record("a").orElseThrow().attempts()).isEqualTo(2);
    assertThat(r.addsUp()).isTrue();
  }

  @Test
  void reassignedGivesTheOpenCardToTheIdentifiedRecordAndQueuesTheOtherWithoutAnAttempt() {
    journal.begin("job-1", "finish", "debit", "in", t(0));
    queue("a", "b", "c");
    long card = journal.cardFed("a", "mx-2", "mx-2/feeder", t(1));
    journal.stepStarted(card, "mx-2/reader", "identify-chip-serial");
    journal.reassigned(card, "b", t(2));
    assertThat(journal.record("a").orElseThrow()).extracting(RecordStatus::state, RecordStatus::attempts)
        .containsExactly(RecordState.QUEUED, 0);
    RecordStatus b = journal.record("b").orElseThrow();
    assertThat(b.state()).isEqualTo(RecordState.IN_PROGRESS);
    assertThat(b.attempts()).isEqualTo(1);
    assertThat(b.machine()).isEqualTo("mx-2");
    assertThat(b.station()).isEqualTo("mx-2/reader");
    // a record unknown to the journal is added; one not QUEUED is refused and nothing changes
    long other = journal.cardFed("c", "mx-2", "mx-2/feeder", t(3));
    assertThatThrownBy(() -> journal.reassigned(other, "b", t(4)))
        .isInstanceOf(JournalException.class).hasMessageContaining("record b is IN_PROGRESS");
    assertThat(state("c")).isEqualTo(RecordState.IN_PROGRESS);
    journal.reassigned(other, "later", t(4));
    assertThat(state("later")).isEqualTo(RecordState.IN_PROGRESS);
    assertThat(state("c")).isEqualTo(RecordState.QUEUED);
    journal.issued(card, Map.of("chip-serial", "S-B"), t(5));
    assertThatThrownBy(() -> journal.reassigned(card, "a", t(6))).isInstanceOf(JournalException.class);
    assertThat(journal.recordsWithOutput("chip-serial", "S-B")).containsExactly("b");
    journal.rejected(other, "CardIdentificationException", "no record", true, t(7));
    long third = journal.cardFed("c", "mx-2", "mx-2/feeder", t(8));
    assertThatThrownBy(() -> journal.reassigned(third, "b", t(9)))
        .isInstanceOf(JournalException.class).hasMessageContaining("record b is DONE");
    journal.issued(third, Map.of(), t(10));
    Reconciliation r = journal.reconcile();
    assertThat(r.addsUp()).isTrue();
    assertThat(r.discrepancies()).isEmpty();
    assertThat(r.total().fed()).isEqualTo(3);
    assertThat(r.total().issued()).isEqualTo(2);
    assertThat(journal.record("later").orElseThrow().attempts()).isEqualTo(1);
    assertThat(journal.record("c").orElseThrow().attempts()).isEqualTo(1);
  }

  @Test
  void exchangedSwapsTheRecordsOfTwoOpenCards() {
    journal.begin("job-1", "finish", "debit", "in", t(0));
    queue("a", "b");
    long ca = journal.cardFed("a", "mx-1", "mx-1/feeder", t(1));
    long cb = journal.cardFed("b", "mx-2", "mx-2/feeder", t(2));
    journal.exchanged(ca, cb, t(3));
    assertThat(journal.record("a").orElseThrow().machine()).isEqualTo("mx-2");
    assertThat(journal.record("b").orElseThrow().machine()).isEqualTo("mx-1");
    assertThat(journal.record("a").orElseThrow().attempts()).isEqualTo(1);
    journal.issued(ca, Map.of("chip-serial", "S-B"), t(4));
    assertThat(journal.recordsWithOutput("chip-serial", "S-B")).containsExactly("b");
    assertThat(state("a")).isEqualTo(RecordState.IN_PROGRESS);
    assertThatThrownBy(() -> journal.exchanged(cb, ca, t(5))).isInstanceOf(JournalException.class);
    journal.issued(cb, Map.of(), t(6));
    assertThat(journal.reconcile().discrepancies()).isEmpty();
    assertThat(journal.reconcile().addsUp()).isTrue();
  }

  @Test
  void notFedVoidsTheCardWithoutCountingAnAttempt() {
    journal.begin("job-1", "debit", "in", t(0));
    queue("a");
    long c = journal.cardFed("a", "mx-1", "f", t(1));
    journal.recover();
    journal.notFed(c);
    RecordStatus s = journal.record("a").orElseThrow();
    assertThat(s.state()).isEqualTo(RecordState.QUEUED);
    assertThat(s.attempts()).isZero();
    assertThatThrownBy(() -> journal.notFed(c)).isInstanceOf(JournalException.class);
    assertThat(journal.status().cards()).isEqualTo(Map.of(CardOutcome.VOID, 1L));
    assertThat(journal.reconcile().total().fed()).isZero();
    journal.issued(journal.cardFed("a", "mx-1", "f", t(2)), Map.of(), t(3));
    assertThat(journal.record("a").orElseThrow().attempts()).isEqualTo(1);
  }

  @Test
  void ejectedAfterRestartAcceptsOnlyIssuedCards() {
    journal.begin("job-1", "debit", "in", t(0));
    queue("a", "b");
    long issued = journal.cardFed("a", "mx-1", "f", t(1));
    journal.issued(issued, Map.of(), t(2));
    long open = journal.cardFed("b", "mx-1", "f", t(3));
    journal.ejectedAfterRestart(issued);
    assertThatThrownBy(() -> journal.ejectedAfterRestart(open)).isInstanceOf(JournalException.class);
    assertThatThrownBy(() -> journal.ejectedAfterRestart(777)).isInstanceOf(JournalException.class);
    assertThat(journal.reconcile().total().issued()).isEqualTo(1);
  }

  @Test
  void statusCountsRecordsAndCards() {
    assertThat(journal.status()).isEqualTo(new JobStatus("", "", Map.of(), Map.of()));
    journal.begin("job-1", "debit", "in", t(0));
    queue("a", "b", "c", "d");
    journal.issued(journal.cardFed("a", "mx-1", "f", t(1)), Map.of(), t(2));
    journal.rejected(journal.cardFed("b", "mx-1", "f", t(3)), "X", "x", true, t(4));
    journal.cardFed("c", "mx-1", "f", t(5));
    JobStatus s = journal.status();
    assertThat(s).isEqualTo(new JobStatus("job-1", "debit",
        Map.of(RecordState.DONE, 1L, RecordState.QUEUED, 2L, RecordState.IN_PROGRESS, 1L),
        Map.of(CardOutcome.ISSUED, 1L, CardOutcome.REJECTED, 1L, CardOutcome.INSIDE, 1L)));
  }

  @Test
  void reconciliationAddsUpPerMachineAndStation() {
    journal.begin("job-1", "debit", "in", t(0));
    queue("a", "b", "c", "d");
    long a = journal.cardFed("a", "mx-1", "mx-1/feeder", t(1));
    journal.stepStarted(a, "mx-1/mag", "mag");
    journal.issued(a, Map.of(), t(2));
    long b = journal.cardFed("b", "mx-2", "mx-2/feeder", t(3));
    journal.stepStarted(b, "mx-2/chip", "emv");
    journal.rejected(b, "CHIP_MUTE", "no ATR", true, t(4));
    journal.issued(journal.cardFed("b", "mx-1", "mx-1/feeder", t(5)), Map.of(), t(6));
    journal.cardFed("c", "mx-2", "mx-2/feeder", t(7));
    journal.rejectedOnRead("d", "batch.jsonl:4", "ValidationException", "expiry");
    Reconciliation r = journal.reconcile();
    assertThat(r.jobId()).isEqualTo("job-1");
    assertThat(r.cardType()).isEqualTo("debit");
    assertThat(r.total()).isEqualTo(new Reconciliation.Counts(4, 2, Map.of("CHIP_MUTE", 1L), 0, 1));
    assertThat(r.byMachine()).isEqualTo(Map.of(
        "mx-1", new Reconciliation.Counts(2, 2, Map.of(), 0, 0),
        "mx-2", new Reconciliation.Counts(2, 0, Map.of("CHIP_MUTE", 1L), 0, 1)));
    assertThat(r.byStation()).isEqualTo(Map.of(
        "mx-1/mag", new Reconciliation.Counts(1, 1, Map.of(), 0, 0),
        "mx-1/feeder", new Reconciliation.Counts(1, 1, Map.of(), 0, 0),
        "mx-2/chip", new Reconciliation.Counts(1, 0, Map.of("CHIP_MUTE", 1L), 0, 0),
        "mx-2/feeder", new Reconciliation.Counts(1, 0, Map.of(), 0, 1)));
    assertThat(r.records()).isEqualTo(Map.of(RecordState.DONE, 2L, RecordState.IN_PROGRESS, 1L,
        RecordState.REJECTED, 1L));
    assertThat(r.rejectedOnRead()).isEqualTo(Map.of("ValidationException", 1L));
    assertThat(r.discrepancies()).isEmpty();
    assertThat(r.addsUp()).isTrue();
  }

  @Test
  void anEmptyJournalReconcilesToNothing() {
    Reconciliation r = journal.reconcile();
    assertThat(r.jobId()).isEmpty();
    assertThat(r.started()).isEqualTo(Instant.EPOCH);
    assertThat(r.total().fed()).isZero();
    assertThat(r.addsUp()).isTrue();
  }

  @Test
  void updatesBeforeBeginBelongToTheJobBegunLater() {
    queue("a");
    long c = journal.cardFed("a", "mx-1", "f", t(1));
    journal.begin("job-1", "debit", "in", t(2));
    journal.issued(c, Map.of(), t(3));
    assertThat(journal.status()).isEqualTo(new JobStatus("job-1", "debit", Map.of(RecordState.DONE, 1L),
        Map.of(CardOutcome.ISSUED, 1L)));
  }

  @Test
  void aClosedJournalRefusesEverything() {
    journal.begin("job-1", "debit", "in", t(0));
    queue("a");
    journal.close();
    journal.close();
    assertThatThrownBy(() -> journal.record("a")).isInstanceOf(JournalException.class).hasMessageContaining("closed");
    assertThatThrownBy(() -> journal.cardFed("a", "m", "s", t(1))).isInstanceOf(JournalException.class);
    assertThatThrownBy(() -> journal.stepStarted(1, "m", "s")).isInstanceOf(JournalException.class);
    assertThatThrownBy(() -> journal.status()).isInstanceOf(JournalException.class);
    assertThatThrownBy(() -> journal.reconcile()).isInstanceOf(JournalException.class);
    assertThatThrownBy(() -> journal.begin("job-1", "debit", "in", t(1))).isInstanceOf(JournalException.class);
  }
}
