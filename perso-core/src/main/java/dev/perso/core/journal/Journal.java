package dev.perso.core.journal;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The job journal: where every record and every physical card stands, durably, so that a job resumes
 * after a crash and no record is ever issued twice. The engine writes to it <em>before</em> it acts on a
 * card (fed, then feed; issued, then eject; rejected, then drop in the bin), so that after a crash every
 * card found inside a machine has its journal entry, and every open entry without a card was never fed.
 *
 * <p>Implementations: {@link #sqlite(Path)} (the embedded default, one file, crash-safe on one machine),
 * {@link #inMemory()} (tests, zero-time benchmarks), and {@link #postgresql(JournalServer)}, shared by several
 * controllers on several machines. Every method is thread-safe. Secrets never enter the journal: ids, locations, stations,
 * reason codes and words, small stage outputs.
 *
 * <pre>{@code
 * try (Journal journal = Journal.sqlite(Path.of("job-42.db"))) {
 *   journal.begin("job-42", "debit-example", "batch.jsonl", clock.now());
 *   long card = journal.cardFed("0001", "mx-1", "mx-1/feeder", clock.now());
 *   journal.issued(card, Map.of(), clock.now());
 *   journal.reconcile().addsUp();   // true
 * }
 * }</pre>
 */
public interface Journal extends AutoCloseable {

  /**
   * @param file the journal file (created if absent), with its {@code -wal} and {@code -shm} beside it
   * @return the embedded journal, {@link Durability#FULL}
   */
  static Journal sqlite(Path file) {
    return sqlite(file, Durability.FULL);
  }

  /**
   * @param file the journal file
   * @param durability how hard updates go to disk
   * @return the embedded journal
   */
  static Journal sqlite(Path file, Durability durability) {
    return SqliteJournal.open(file, durability);
  }

  /**
   * Opens the shared journal on PostgreSQL (one job per database): several controllers, each with its
   * own line, take the job's records from it, and no record is issued twice across them.
   *
   * @param server the database, the credentials and this controller's id
   * @return the shared journal, its schema brought up to date
   * @throws JournalException if the database cannot be reached or refuses the credentials
   */
  static Journal postgresql(JournalServer server) {
    return PostgresJournal.open(server);
  }

  /** @return a journal in memory: exactly-once within one process, gone when it ends */
  static Journal inMemory() {
    return new InMemoryJournal();
  }

  /**
   * Starts a run of a job: creates the job, or resumes it.
   *
   * @param jobId the job's id
   * @param cardType the card type's name; a resumed job must use the same
   * @param input the input's name
   * @param now the line clock's time
   * @return the job
   * @throws JournalException if the journal holds another job or another card type
   */
  default JobInfo begin(String jobId, String cardType, String input, Instant now) {
    return begin(jobId, "", cardType, input, now);
  }

  /**
   * Starts a run of one stage of a job: creates it, or resumes it. A journal keeps one stage; a later
   * stage has its own journal and reads the earlier stage's with {@link #stageRecord(String)} and
   * {@link #recordsWithOutput(String, String)}.
   *
   * <pre>{@code
   * Journal finish = Journal.sqlite(Path.of("job-42.finish.db"));
   * finish.begin("job-42", "finish", "debit-example", "batch.jsonl", clock.now());
   * }</pre>
   *
   * @param jobId the job's id
   * @param stage the stage's name, {@code ""} for a job without declared stages
   * @param cardType the card type's name; a resumed job must use the same
   * @param input the input's name
   * @param now the line clock's time
   * @return the job
   * @throws JournalException if the journal holds another job, another stage or another card type
   */
  JobInfo begin(String jobId, String stage, String cardType, String input, Instant now);

  /**
   * A record's entry in the stage this journal keeps, with the outputs its issued card left.
   *
   * @param recordId a record id
   * @return its entry, if the journal knows the record
   */
  Optional<StageRecord> stageRecord(String recordId);

  /**
   * Every record of the stage this journal keeps, with the outputs of the DONE ones: what a report lists.
   * Reads the whole job at once (a report's use, not a line's).
   *
   * <pre>{@code
   * for (StageRecord r : journal.stageRecords()) {
   *   System.out.println(r.recordId() + " " + r.state() + " " + r.machine() + " " + r.finished().orElse(null));
   * }
   * }</pre>
   *
   * @return the records, in the order they became known
   */
  List<StageRecord> stageRecords();

  /**
   * Finds the records whose issued card left an output: how a later stage identifies the card in its hand
   * by an identifier it reads back (e.g. the chip serial).
   *
   * @param name the output's name
   * @param value its value
   * @return the ids of the DONE records with that output, in the order they became known (one, when the
   *     identifier is unique)
   */
  List<String> recordsWithOutput(String name, String value);

  /**
   * @param recordId a record id
   * @return its entry, if the journal knows it
   */
  Optional<RecordStatus> record(String recordId);

  /**
   * Looks up many records at once (the engine reads ahead in windows).
   *
   * @param recordIds record ids
   * @return the entries found, by id
   */
  Map<String, RecordStatus> records(Collection<String> recordIds);

  /**
   * Adds records as QUEUED; ids the journal already knows are left as they are.
   *
   * @param records record id to the location it was read at
   */
  void queued(Map<String, String> records);

  /**
   * A record was rejected before any card was used for it (bad data). A record already DONE stays DONE.
   *
   * @param recordId the id, or {@code "?"} if it could not be read (the location then keys it)
   * @param location where it was read
   * @param reasonCode a short code, e.g. {@code ValidationException}
   * @param reason words naming the field (never its value)
   */
  void rejectedOnRead(String recordId, String location, String reasonCode, String reason);

  /**
   * A card is about to be fed for a record: the record becomes IN_PROGRESS and the card gets its serial.
   * Call before the transport feeds it.
   *
   * @param recordId a QUEUED record (added if the journal does not know it)
   * @param machine the machine
   * @param station where it enters
   * @param now the line clock's time
   * @return the card's serial, positive
   * @throws JournalException if the record is DONE, REJECTED, IN_PROGRESS or UNCERTAIN
   */
  long cardFed(String recordId, String machine, String station, Instant now);

  /**
   * A card reached a station and a step starts on it. May be less durable than the other updates: it
   * only says where a card was.
   *
   * @param card the card's serial
   * @param station the station
   * @param step the step's name
   */
  void stepStarted(long card, String station, String step);

  /**
   * The card is finished: the record becomes DONE. Call before the transport ejects it.
   *
   * @param card the card's serial
   * @param stageOutputs small outputs for later stages (identifiers only)
   * @param now the line clock's time
   * @throws JournalException if the card is not the record's open card or the record is not IN_PROGRESS
   *     (nothing is issued twice)
   */
  void issued(long card, Map<String, String> stageOutputs, Instant now);

  /**
   * An identification step found that the open card is another record's card (a later stage's hopper in
   * another order than its input): the card becomes record {@code recordId}'s open card, which becomes
   * IN_PROGRESS, and the record the card was fed for goes back to QUEUED without counting an attempt (its
   * own card may still come). Call before anything is written to the card.
   *
   * <pre>{@code
   * long card = journal.cardFed("0001", "mx-2", "mx-2/feeder", clock.now());
   * journal.reassigned(card, "0007", clock.now());   // 0007 IN_PROGRESS with the card, 0001 QUEUED
   * }</pre>
   *
   * @param card an open card of an IN_PROGRESS record
   * @param recordId the record it belongs to: QUEUED, or unknown to the journal (then added)
   * @param now the line clock's time
   * @throws RecordTakenException if another controller of a shared journal holds {@code recordId}
   * @throws JournalException if {@code recordId} is DONE, REJECTED, IN_PROGRESS or UNCERTAIN, or the card is
   *     not its record's open card
   */
  void reassigned(long card, String recordId, Instant now);

  /**
   * Two open cards of this controller exchange records: an identification step found that {@code card}
   * belongs to the record {@code other} was fed for, and {@code other} has not been identified or written
   * yet (the engine knows; {@code other} is identified in its turn). Both records stay IN_PROGRESS; no
   * attempt is counted.
   *
   * @param card an open card of an IN_PROGRESS record
   * @param other another open card of an IN_PROGRESS record
   * @param now the line clock's time
   * @throws JournalException if either card is not its record's open card, or belongs to another controller
   */
  void exchanged(long card, long other, Instant now);

  /**
   * The card is rejected: it goes to the reject bin. Call before the transport drops it.
   *
   * @param card the card's serial
   * @param reasonCode a short code: a {@link dev.perso.core.DeviceFault} name or an error type
   * @param reason words (never card data)
   * @param remake true to queue the record again for a new card, false to reject the record
   * @param now the line clock's time
   * @return the record's new state (QUEUED or REJECTED)
   */
  RecordState rejected(long card, String reasonCode, String reason, boolean remake, Instant now);

  /**
   * Resumes after a stop: every IN_PROGRESS record becomes UNCERTAIN, and the cards fed and not finished
   * are returned. A card journaled issued or rejected is finished even if the stop came before the
   * transport ejected or dropped it: the engine finds such a card with the transport's sensors and
   * completes the move its journal entry says.
   *
   * @return the open cards, in feed order
   */
  List<OpenCard> recover();

  /**
   * A card found inside a machine after a crash was dropped in the reject bin.
   *
   * @param card the card's serial
   * @param remake true to queue its UNCERTAIN record again, false to reject it
   * @param now the line clock's time
   */
  void purged(long card, boolean remake, Instant now);

  /**
   * An open card was not found in any machine: the controller stopped between journaling the feed and
   * feeding. The card never existed; its UNCERTAIN record is QUEUED again without counting an attempt.
   *
   * @param card the card's serial
   */
  void notFed(long card);

  /**
   * An open card of a DONE record was found at the exit and ejected after a restart: nothing changes in
   * the counts (it was journaled issued), but the journal notes the card left.
   *
   * @param card the card's serial
   */
  void ejectedAfterRestart(long card);

  /** @return records per state and cards per outcome, now */
  JobStatus status();

  /** @return the reconciliation report */
  Reconciliation reconcile();

  /**
   * Ends a run (the job may be resumed later).
   *
   * @param now the line clock's time
   */
  void end(Instant now);

  /** Closes the store. */
  @Override
  void close();
}
