package dev.perso.core.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perso.core.journal.internal.SchemaMigrator;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The embedded journal: one SQLite file in WAL mode, one connection guarded by this object's monitor.
 * Every update is one {@code BEGIN IMMEDIATE ... COMMIT} transaction (autocommit stays on), so several
 * journals, in one process or several, may share a file: writers queue on the write lock for up to
 * {@link #BUSY_TIMEOUT_MS}. The exactly-once rules are those of {@link InMemoryJournal}, enforced twice: by
 * the checks before each update and by fenced updates ({@code ... AND state='IN_PROGRESS' AND open_card=?})
 * whose counts are checked in the same transaction, plus a unique index (one issued card per record).
 *
 * <p>{@link #stepStarted} is the one update allowed to be less durable: for a card this instance fed, it is
 * checked against the cards this instance holds open and kept in memory (the newest step per card) until the
 * next write transaction, which writes it before its own work and commits it with it; reads that show
 * stations flush it first, and so does {@link #close}. A process crash may thus lose where a card last was,
 * never a card or a record's state. A card fed by another journal (another process, or before a reopen) is
 * checked in the file and written at once.
 *
 * <p>Until {@link #begin} binds a job, updates belong to job {@code ""}; {@code begin} adopts them. A file
 * holds one job; opening a file that holds one binds it.
 */
final class SqliteJournal implements Journal {
  /** How long a writer waits for another's write lock. */
  static final int BUSY_TIMEOUT_MS = 30_000;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CARD_AND_RECORD = "SELECT c.outcome, c.record_id, r.state, r.open_card"
      + " FROM cards c JOIN records r ON r.job_id = c.job_id AND r.record_id = c.record_id"
      + " WHERE c.job_id = ? AND c.serial = ?";
  private static final String CARD_STATION = "UPDATE cards SET station = ? WHERE serial = ? AND outcome = 'INSIDE'";
  private static final String RECORD_STEP = "UPDATE records SET station = ?, step = ?"
      + " WHERE job_id = ? AND record_id = ? AND open_card = ?";
  private static final String FEED = "INSERT INTO cards (job_id, record_id, machine, station, fed_at)"
      + " SELECT job_id, record_id, ?, ?, ? FROM records WHERE job_id = ? AND record_id = ? AND state = 'QUEUED'"
      + " RETURNING serial";
  private static final String RECORD_ISSUED = "UPDATE records SET state = 'DONE', open_card = NULL,"
      + " reason_code = '', reason = '', stage_outputs = ?"
      + " WHERE job_id = ? AND record_id = ? AND state = 'IN_PROGRESS' AND open_card = ?";
  private static final String RECORD_REJECTED = "UPDATE records SET state = ?, open_card = NULL, reason_code = ?,"
      + " reason = ? WHERE job_id = ? AND record_id = ? AND state = 'IN_PROGRESS' AND open_card = ?";
  private static final String RECORD_COLUMNS = "record_id, state, attempts, machine, station, step,"
      + " reason_code, reason, location";

  private final Connection db;
  private final Statement st;
  private final Durability durability;
  private final Map<String, PreparedStatement> statements = new HashMap<>();
  /** The cards this instance fed and has not finished: serial to record id (guarded by this). */
  private final Map<Long, String> mine = new HashMap<>();
  /** The newest step of cards of {@link #mine} not written yet (guarded by this). */
  private final Map<Long, Step> unwritten = new LinkedHashMap<>();
  /** Updates waiting for the connection (guarded by this). */
  private final List<Op<?>> queue = new ArrayList<>();
  /** A thread is using the connection (guarded by this); only that thread touches the fields below. */
  private boolean busy;
  private String jobId;
  private boolean closed;

  private SqliteJournal(Connection db, Durability durability) throws SQLException {
    this.db = db;
    this.st = db.createStatement();
    this.durability = durability;
  }

  static Journal open(Path file, Durability durability) {
    String path = file.toAbsolutePath().toString();
    if (path.indexOf('?') >= 0) {
      throw new JournalException("journal file path " + path + " must not contain '?'");
    }
    String url = "jdbc:sqlite:" + path + "?journal_mode=WAL&synchronous="
        + (durability == Durability.FULL ? "FULL" : "NORMAL") + "&busy_timeout=" + BUSY_TIMEOUT_MS
        + "&foreign_keys=true";
    Connection c = null;
    try {
      c = DriverManager.getConnection(url);
      SqliteJournal j = new SqliteJournal(c, durability);
      try (ResultSet rs = j.st.executeQuery("PRAGMA journal_mode")) {
        if (!rs.next() || !"wal".equalsIgnoreCase(rs.getString(1))) {
          throw new JournalException("journal file " + path + " cannot use WAL mode (a network file system?)");
        }
      }
      SchemaMigrator.migrate(c, SchemaMigrator.Backend.SQLITE, SchemaMigrator.bundled(SchemaMigrator.Backend.SQLITE));
      j.bindJob();
      return j;
    } catch (SQLException | RuntimeException e) {
      if (c != null) {
        try {
          c.close();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      if (e instanceof JournalException je) {
        throw je;
      }
      throw new JournalException("journal file " + path + " cannot be opened: " + e.getMessage(), e);
    }
  }

  // ---- plumbing -------------------------------------------------------------------------------------

  @FunctionalInterface
  private interface Work<T> {
    T run() throws SQLException;
  }

  private PreparedStatement ps(String sql) throws SQLException {
    PreparedStatement p = statements.get(sql);
    if (p == null) {
      p = db.prepareStatement(sql);
      statements.put(sql, p);
    }
    return p;
  }

  /** Runs a read query on a cached statement; the caller closes the result. */
  private ResultSet query(String sql, Object... args) throws SQLException {
    return ps(sql, args).executeQuery();
  }

  private PreparedStatement ps(String sql, Object... args) throws SQLException {
    PreparedStatement p = ps(sql);
    for (int i = 0; i < args.length; i++) {
      p.setObject(i + 1, args[i]);
    }
    return p;
  }

  private int update(String sql, Object... args) throws SQLException {
    return ps(sql, args).executeUpdate();
  }

  /** A step of a card of ours, kept in memory until a write transaction writes it. */
  private record Step(long serial, String recordId, String station, String step) {}

  /** An update waiting for a write transaction; {@code after} runs once it is committed. */
  private static final class Op<T> {
    final String name;
    final Work<T> work;
    final Consumer<T> after;
    T result;
    RuntimeException failure;
    boolean done;

    Op(String name, Work<T> work, Consumer<T> after) {
      this.name = name;
      this.work = work;
      this.after = after;
    }

    void committed() {
      if (failure == null && after != null) {
        after.accept(result);
      }
    }
  }

  private static JournalException failure(String op, Exception e) {
    return e instanceof JournalException je ? je : new JournalException("journal " + op + " failed: " + e.getMessage(), e);
  }

  /** Waits on this object's monitor without giving up on an interrupt (kept for the caller). */
  private void await(boolean[] interrupted) {
    try {
      wait();
    } catch (InterruptedException e) {
      interrupted[0] = true;
    }
  }

  /** Takes the connection for this thread; call holding the monitor. */
  private void takeConnection(boolean[] interrupted) {
    while (busy) {
      await(interrupted);
    }
    if (closed) {
      throw new JournalException("journal is closed");
    }
    busy = true;
  }

  private synchronized void releaseConnection(boolean[] interrupted) {
    busy = false;
    notifyAll();
    if (interrupted[0]) {
      Thread.currentThread().interrupt();
    }
  }

  private <T> T write(String op, Work<T> work) {
    return write(op, work, null);
  }

  /**
   * One update, durable (at the configured level) when it returns. Updates that wait while another
   * thread's transaction commits are committed together, each inside its own savepoint: one that fails
   * (a JournalException thrown inside, or an SQL error) is rolled back alone and its caller gets the
   * exception; the others commit. Every write transaction first writes the steps kept in memory.
   */
  private <T> T write(String op, Work<T> work, Consumer<T> after) {
    Op<T> mine = new Op<>(op, work, after);
    boolean[] interrupted = {false};
    synchronized (this) {
      if (closed) {
        throw new JournalException("journal is closed");
      }
      queue.add(mine);
      while (busy && !mine.done) {
        await(interrupted);
      }
      if (!mine.done) {
        busy = true; // this thread writes the queue, its own update included
      }
    }
    if (!mine.done) {
      try {
        writeQueue();
      } finally {
        releaseConnection(interrupted);
      }
    } else if (interrupted[0]) {
      Thread.currentThread().interrupt();
    }
    if (mine.failure != null) {
      throw mine.failure;
    }
    return mine.result;
  }

  /** Runs every queued update in one write transaction; call owning the connection. */
  private void writeQueue() {
    List<Op<?>> batch;
    List<Step> steps;
    boolean open;
    synchronized (this) {
      batch = new ArrayList<>(queue);
      queue.clear();
      steps = new ArrayList<>(unwritten.values());
      open = !closed;
    }
    boolean committed = false;
    try {
      if (!open) {
        throw new JournalException("journal is closed");
      }
      ps("BEGIN IMMEDIATE").executeUpdate();
      try {
        if (jobId == null) {
          bindJob();
        }
        writeSteps(steps);
        boolean alone = batch.size() == 1;
        for (Op<?> op : batch) {
          run(op, alone);
        }
        ps("COMMIT").executeUpdate();
        committed = true;
      } catch (SQLException | RuntimeException e) {
        jobId = null; // bound again by the next transaction, in case this one bound it
        try {
          ps("ROLLBACK").executeUpdate();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
    } catch (SQLException | RuntimeException e) {
      for (Op<?> op : batch) {
        if (op.failure == null) {
          op.failure = failure(op.name, e);
        }
      }
    } finally {
      synchronized (this) {
        if (committed) {
          for (Step step : steps) {
            unwritten.remove(step.serial(), step);
          }
          for (Op<?> op : batch) {
            op.committed();
          }
        }
        for (Op<?> op : batch) {
          op.done = true;
        }
        notifyAll();
      }
    }
  }

  private <T> void run(Op<T> op, boolean alone) throws SQLException {
    if (alone) {
      try {
        op.result = op.work.run();
      } catch (JournalException e) {
        // the whole transaction is this update: roll it back, then hand the exception to its caller
        op.failure = e;
        throw e;
      }
      return;
    }
    ps("SAVEPOINT op").executeUpdate();
    try {
      op.result = op.work.run();
    } catch (SQLException | RuntimeException e) {
      op.failure = failure(op.name, e);
      ps("ROLLBACK TO op").executeUpdate();
      jobId = null;
      bindJob();
    }
    ps("RELEASE op").executeUpdate();
  }

  /** One read transaction (a consistent snapshot across its queries). */
  private <T> T read(String op, Work<T> work) {
    boolean[] interrupted = {false};
    synchronized (this) {
      takeConnection(interrupted);
    }
    try {
      ps("BEGIN").executeUpdate();
      try {
        if (jobId == null) {
          bindJob();
        }
        T result = work.run();
        ps("COMMIT").executeUpdate();
        return result;
      } catch (SQLException | RuntimeException e) {
        jobId = null;
        try {
          ps("ROLLBACK").executeUpdate();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
    } catch (SQLException | RuntimeException e) {
      throw failure(op, e);
    } finally {
      releaseConnection(interrupted);
    }
  }

  /** A read that shows stations or steps: a write transaction while some are kept in memory. */
  private <T> T readSteps(String op, Work<T> work) {
    boolean steps;
    synchronized (this) {
      steps = !unwritten.isEmpty();
    }
    return steps ? write(op, work) : read(op, work);
  }

  private void bindJob() throws SQLException {
    try (ResultSet rs = st.executeQuery("SELECT job_id FROM job ORDER BY rowid LIMIT 1")) {
      jobId = rs.next() ? rs.getString(1) : null;
    }
  }

  private String job() {
    return jobId == null ? "" : jobId;
  }

  private static String json(String op, Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new JournalException("journal " + op + ": a value cannot be written as JSON", e);
    }
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  // ---- job ------------------------------------------------------------------------------------------

  @Override
  public JobInfo begin(String jobId, String stage, String cardType, String input, Instant now) {
    String st = nz(stage);
    return write("begin", () -> {
      if (this.jobId == null) {
        update("INSERT INTO job (job_id, card_type, input, started, ended, runs, stage)"
            + " VALUES (?, ?, ?, ?, NULL, 0, ?)", jobId, cardType, nz(input), now.toEpochMilli(), st);
        update("UPDATE records SET job_id = ? WHERE job_id = ''", jobId);
        this.jobId = jobId;
      }
      try (ResultSet rs = ps("SELECT card_type, input, started, runs, stage FROM job WHERE job_id = ?", this.jobId)
          .executeQuery()) {
        rs.next();
        String type = rs.getString(1);
        String held = rs.getString(5);
        if (!this.jobId.equals(jobId) || !type.equals(cardType) || !held.equals(st)) {
          throw new JournalException("this journal holds job " + this.jobId + StageNames.of(held) + " (card type "
              + type + "), not job " + jobId + StageNames.of(st) + " (card type " + cardType + ")");
        }
        String in = rs.getString(2);
        Instant started = Instant.ofEpochMilli(rs.getLong(3));
        int runs = rs.getInt(4) + 1;
        update("UPDATE job SET runs = ?, ended = NULL WHERE job_id = ?", runs, jobId);
        return new JobInfo(jobId, type, in, started, runs, held);
      }
    });
  }

  @Override
  public Optional<StageRecord> stageRecord(String recordId) {
    return readSteps("stageRecord",
        () -> StageRecordRows.one(this::query, job(), recordId, SqliteJournal::epochMillis));
  }

  /** A time column stored as epoch milliseconds; {@code null} when NULL. */
  private static Instant epochMillis(ResultSet rs, int column) throws SQLException {
    return rs.getObject(column) == null ? null : Instant.ofEpochMilli(rs.getLong(column));
  }

  @Override
  public List<StageRecord> stageRecords() {
    return readSteps("stageRecords",
        () -> StageRecordRows.all(this::query, job(), "rowid", SqliteJournal::epochMillis));
  }

  @Override
  public List<String> recordsWithOutput(String name, String value) {
    return readSteps("recordsWithOutput", () -> {
      List<String> out = new ArrayList<>();
      try (ResultSet rs = ps("SELECT o.record_id FROM stage_outputs o JOIN records r ON r.job_id = o.job_id"
          + " AND r.record_id = o.record_id WHERE o.job_id = ? AND o.name = ? AND o.value = ? AND r.state = 'DONE'"
          + " ORDER BY r.rowid", job(), name, value).executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    });
  }

  @Override
  public void end(Instant now) {
    write("end", () -> update("UPDATE job SET ended = ? WHERE job_id = ?", now.toEpochMilli(), job()));
  }

  // ---- records --------------------------------------------------------------------------------------

  private static RecordStatus status(ResultSet rs) throws SQLException {
    String code = rs.getString(7);
    return new RecordStatus(rs.getString(1), RecordState.valueOf(rs.getString(2)), rs.getInt(3), rs.getString(4),
        rs.getString(5), rs.getString(6), code.isEmpty() ? "" : code + ": " + rs.getString(8), rs.getString(9));
  }

  @Override
  public Optional<RecordStatus> record(String recordId) {
    return readSteps("record", () -> {
      try (ResultSet rs = ps("SELECT " + RECORD_COLUMNS + " FROM records WHERE job_id = ? AND record_id = ?",
          job(), recordId).executeQuery()) {
        return rs.next() ? Optional.of(status(rs)) : Optional.empty();
      }
    });
  }

  @Override
  public Map<String, RecordStatus> records(Collection<String> recordIds) {
    List<String> ids = List.copyOf(recordIds);
    return readSteps("records", () -> {
      Map<String, RecordStatus> out = new HashMap<>();
      for (int from = 0; from < ids.size(); from += 500) {
        String json = json("records", ids.subList(from, Math.min(ids.size(), from + 500)));
        try (ResultSet rs = ps("SELECT " + RECORD_COLUMNS + " FROM records WHERE job_id = ? AND record_id IN"
            + " (SELECT value FROM json_each(?))", job(), json).executeQuery()) {
          while (rs.next()) {
            RecordStatus s = status(rs);
            out.put(s.recordId(), s);
          }
        }
      }
      return out;
    });
  }

  @Override
  public void queued(Map<String, String> records) {
    write("queued", () -> {
      PreparedStatement p = ps("INSERT INTO records (job_id, record_id, location) VALUES (?, ?, ?)"
          + " ON CONFLICT (job_id, record_id) DO NOTHING");
      for (Map.Entry<String, String> e : records.entrySet()) {
        p.setString(1, job());
        p.setString(2, e.getKey());
        p.setString(3, nz(e.getValue()));
        p.addBatch();
      }
      p.executeBatch();
      return null;
    });
  }

  private Optional<RecordState> stateOf(String recordId) throws SQLException {
    try (ResultSet rs = ps("SELECT state FROM records WHERE job_id = ? AND record_id = ?", job(), recordId)
        .executeQuery()) {
      return rs.next() ? Optional.of(RecordState.valueOf(rs.getString(1))) : Optional.empty();
    }
  }

  private void insertQueued(String recordId, String location) throws SQLException {
    update("INSERT INTO records (job_id, record_id, location) VALUES (?, ?, ?)", job(), recordId, location);
  }

  @Override
  public void rejectedOnRead(String recordId, String location, String reasonCode, String reason) {
    String key = recordId == null || recordId.equals("?") ? "?@" + location : recordId;
    write("rejectedOnRead", () -> {
      Optional<RecordState> state = stateOf(key);
      if (state.isEmpty()) {
        insertQueued(key, nz(location));
      } else if (state.get() != RecordState.QUEUED && state.get() != RecordState.REJECTED) {
        return null;
      }
      update("UPDATE records SET state = 'REJECTED', reason_code = ?, reason = ?, read_reject = 1, location = ?"
          + " WHERE job_id = ? AND record_id = ? AND state IN ('QUEUED', 'REJECTED')",
          nz(reasonCode), nz(reason), nz(location), job(), key);
      return null;
    });
  }

  // ---- cards ----------------------------------------------------------------------------------------

  @Override
  public long cardFed(String recordId, String machine, String station, Instant now) {
    return write("cardFed", () -> {
      long fed = feed(recordId, machine, station, now);
      if (fed == 0) {
        Optional<RecordState> state = stateOf(recordId);
        if (state.isPresent()) {
          if (state.get() == RecordState.QUEUED) {
            throw lostRace("cardFed");
          }
          throw new JournalException("record " + recordId + " is " + state.get() + ": no card may be fed for it");
        }
        insertQueued(recordId, "");
        fed = feed(recordId, machine, station, now);
        if (fed == 0) {
          throw lostRace("cardFed");
        }
      }
      fenced("cardFed", update("UPDATE records SET state = 'IN_PROGRESS', attempts = attempts + 1, machine = ?,"
          + " station = ?, step = '', open_card = ?, read_reject = 0"
          + " WHERE job_id = ? AND record_id = ? AND state = 'QUEUED'",
          nz(machine), nz(station), fed, job(), recordId));
      return fed;
    }, serial -> mine.put(serial, recordId));
  }

  /** Adds the card of a QUEUED record; returns its serial, or 0 if the record is absent or not QUEUED. */
  private long feed(String recordId, String machine, String station, Instant now) throws SQLException {
    try (ResultSet rs = ps(FEED, nz(machine), nz(station), now.toEpochMilli(), job(), recordId).executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0L;
    }
  }

  private static void fenced(String op, int count) {
    if (count != 1) {
      throw lostRace(op);
    }
  }

  private static JournalException lostRace(String op) {
    return new JournalException("journal " + op + " lost a race: the record changed under it");
  }

  /** A card inside a machine and its record's state and open card (0 for none). */
  private record CardRow(String recordId, RecordState state, long openCard) {}

  private CardRow openCard(long card) throws SQLException {
    try (ResultSet rs = ps(CARD_AND_RECORD, job(), card).executeQuery()) {
      if (!rs.next()) {
        throw new JournalException("no card #" + card + " in this journal");
      }
      CardOutcome outcome = CardOutcome.valueOf(rs.getString(1));
      if (outcome != CardOutcome.INSIDE) {
        throw new JournalException("card #" + card + " is already " + outcome);
      }
      long open = rs.getLong(4);
      return new CardRow(rs.getString(2), RecordState.valueOf(rs.getString(3)), rs.wasNull() ? 0L : open);
    }
  }

  @Override
  public void stepStarted(long card, String station, String step) {
    synchronized (this) {
      if (closed) {
        throw new JournalException("journal is closed");
      }
      String recordId = mine.get(card);
      if (recordId != null) {
        // where a card of ours is: written by the next write transaction
        unwritten.put(card, new Step(card, recordId, nz(station), nz(step)));
        return;
      }
    }
    // a card another journal fed: checked in the file and written now
    write("stepStarted", () -> {
      String recordId = openCard(card).recordId();
      update(CARD_STATION, nz(station), card);
      update(RECORD_STEP, nz(station), nz(step), job(), recordId, card);
      return null;
    });
  }

  /** Writes steps kept in memory, inside the current write transaction (fenced: open cards only). */
  private void writeSteps(List<Step> steps) throws SQLException {
    if (steps.isEmpty()) {
      return;
    }
    PreparedStatement card = ps(CARD_STATION);
    PreparedStatement rec = ps(RECORD_STEP);
    for (Step s : steps) {
      card.setString(1, s.station());
      card.setLong(2, s.serial());
      card.executeUpdate();
      rec.setString(1, s.station());
      rec.setString(2, s.step());
      rec.setString(3, job());
      rec.setString(4, s.recordId());
      rec.setLong(5, s.serial());
      rec.executeUpdate();
    }
  }

  @Override
  public void issued(long card, Map<String, String> stageOutputs, Instant now) {
    String outputs = stageOutputs.isEmpty() ? null : json("issued", new TreeMap<>(stageOutputs));
    String ours = ours(card);
    write("issued", () -> {
      // a card of ours: the fenced update is the check; otherwise (or if it fails) look why first
      if (ours == null || update(RECORD_ISSUED, outputs, job(), ours, card) != 1) {
        CardRow c = openCard(card);
        String recordId = c.recordId();
        RecordState state = c.state();
        long open = c.openCard();
        if (state != RecordState.IN_PROGRESS || open != card) {
          throw new JournalException("card #" + card + " cannot be issued: record " + recordId + " is " + state
              + (open != card ? " with another card" : ""));
        }
        fenced("issued", update(RECORD_ISSUED, outputs, job(), recordId, card));
      }
      fenced("issued", update("UPDATE cards SET outcome = 'ISSUED', ended_at = ? WHERE serial = ?"
          + " AND outcome = 'INSIDE'", now.toEpochMilli(), card));
      if (outputs != null) {
        update("INSERT INTO stage_outputs (job_id, record_id, name, value) SELECT c.job_id, c.record_id,"
            + " o.key, o.value FROM cards c, json_each(?) o WHERE c.serial = ?", outputs, card);
      }
      return null;
    }, done -> finished(card));
  }

  private synchronized String ours(long card) {
    return mine.get(card);
  }

  /** A card left the machines (journaled): it is no longer ours, and its step need not be written. */
  private void finished(long card) {
    mine.remove(card);
    unwritten.remove(card);
  }

  @Override
  public void reassigned(long card, String recordId, Instant now) {
    write("reassigned", () -> {
      CardRow c = openRecordOf(card, "reassigned");
      Optional<RecordState> state = stateOf(recordId);
      if (state.isEmpty()) {
        insertQueued(recordId, "");
      } else if (state.get() != RecordState.QUEUED) {
        throw new JournalException("record " + recordId + " is " + state.get() + ": card #" + card
            + " cannot become its card");
      }
      fenced("reassigned", update("UPDATE records SET state = 'QUEUED', open_card = NULL, attempts = attempts - 1"
          + " WHERE job_id = ? AND record_id = ? AND state = 'IN_PROGRESS' AND open_card = ?",
          job(), c.recordId(), card));
      fenced("reassigned", update("UPDATE cards SET record_id = ? WHERE serial = ? AND outcome = 'INSIDE'",
          recordId, card));
      fenced("reassigned", update("UPDATE records SET state = 'IN_PROGRESS', attempts = attempts + 1,"
          + " machine = (SELECT machine FROM cards WHERE serial = ?), station = (SELECT station FROM cards"
          + " WHERE serial = ?), step = '', open_card = ?, read_reject = 0"
          + " WHERE job_id = ? AND record_id = ? AND state = 'QUEUED'", card, card, card, job(), recordId));
      return null;
    }, done -> {
      mine.put(card, recordId);
      unwritten.remove(card);
    });
  }

  @Override
  public void exchanged(long card, long other, Instant now) {
    write("exchanged", () -> {
      CardRow a = openRecordOf(card, "exchanged");
      CardRow b = openRecordOf(other, "exchanged");
      if (a.recordId().equals(b.recordId())) {
        throw new JournalException("cards #" + card + " and #" + other + " are the same card");
      }
      exchange(card, b.recordId(), a.recordId());
      exchange(other, a.recordId(), b.recordId());
      return null;
    }, done -> {
      String a = mine.get(card);
      String b = mine.get(other);
      if (a != null && b != null) {
        mine.put(card, b);
        mine.put(other, a);
      }
      unwritten.remove(card);
      unwritten.remove(other);
    });
  }

  /** Makes {@code card} the open card of {@code to} (which had {@code from}'s card), fenced. */
  private void exchange(long card, String to, String from) throws SQLException {
    fenced("exchanged", update("UPDATE cards SET record_id = ? WHERE serial = ? AND outcome = 'INSIDE'"
        + " AND record_id = ?", to, card, from));
    fenced("exchanged", update("UPDATE records SET open_card = ?, machine = (SELECT machine FROM cards"
        + " WHERE serial = ?), station = (SELECT station FROM cards WHERE serial = ?)"
        + " WHERE job_id = ? AND record_id = ? AND state = 'IN_PROGRESS'", card, card, card, job(), to));
  }

  /** The card, open, with its IN_PROGRESS record whose open card it is. */
  private CardRow openRecordOf(long card, String op) throws SQLException {
    CardRow c = openCard(card);
    if (c.state() != RecordState.IN_PROGRESS || c.openCard() != card) {
      throw new JournalException("card #" + card + " cannot be " + op + ": record " + c.recordId() + " is "
          + c.state() + (c.openCard() != card ? " with another card" : ""));
    }
    return c;
  }

  @Override
  public RecordState rejected(long card, String reasonCode, String reason, boolean remake, Instant now) {
    RecordState next = remake ? RecordState.QUEUED : RecordState.REJECTED;
    String ours = ours(card);
    write("rejected", () -> {
      if (ours == null || update(RECORD_REJECTED, next.name(), nz(reasonCode), nz(reason), job(), ours,
          card) != 1) {
        CardRow c = openCard(card);
        String recordId = c.recordId();
        RecordState state = c.state();
        if (c.openCard() != card || state != RecordState.IN_PROGRESS) {
          throw new JournalException("card #" + card + " cannot be rejected: record " + recordId + " is " + state);
        }
        fenced("rejected", update(RECORD_REJECTED, next.name(), nz(reasonCode), nz(reason), job(), recordId,
            card));
      }
      fenced("rejected", update("UPDATE cards SET outcome = 'REJECTED', reason_code = ?, ended_at = ?"
          + " WHERE serial = ? AND outcome = 'INSIDE'", nz(reasonCode), now.toEpochMilli(), card));
      return null;
    }, done -> finished(card));
    return next;
  }

  @Override
  public List<OpenCard> recover() {
    return write("recover", () -> {
      update("UPDATE records SET state = 'UNCERTAIN' WHERE state = 'IN_PROGRESS' AND (job_id, record_id) IN"
          + " (SELECT job_id, record_id FROM cards WHERE job_id = ? AND outcome = 'INSIDE')", job());
      List<OpenCard> out = new ArrayList<>();
      try (ResultSet rs = ps("SELECT c.serial, c.record_id, r.state, c.machine, c.station FROM cards c"
          + " JOIN records r ON r.job_id = c.job_id AND r.record_id = c.record_id"
          + " WHERE c.job_id = ? AND c.outcome = 'INSIDE' ORDER BY c.serial", job()).executeQuery()) {
        while (rs.next()) {
          out.add(new OpenCard(rs.getLong(1), rs.getString(2), RecordState.valueOf(rs.getString(3)),
              rs.getString(4), rs.getString(5)));
        }
      }
      return out;
    });
  }

  @Override
  public void purged(long card, boolean remake, Instant now) {
    write("purged", () -> {
      CardRow c = openCard(card);
      update("UPDATE cards SET outcome = 'PURGED', ended_at = ? WHERE serial = ?", now.toEpochMilli(), card);
      if (c.openCard() == card) {
        if (remake) {
          update("UPDATE records SET state = 'QUEUED', open_card = NULL WHERE job_id = ? AND record_id = ?",
              job(), c.recordId());
        } else {
          update("UPDATE records SET state = 'REJECTED', open_card = NULL, reason_code = 'PURGED',"
              + " reason = 'purged after a restart and no remake left' WHERE job_id = ? AND record_id = ?",
              job(), c.recordId());
        }
      }
      return null;
    }, done -> finished(card));
  }

  @Override
  public void notFed(long card) {
    write("notFed", () -> {
      CardRow c = openCard(card);
      update("UPDATE cards SET outcome = 'VOID' WHERE serial = ?", card);
      if (c.openCard() == card) {
        update("UPDATE records SET state = 'QUEUED', open_card = NULL, attempts = attempts - 1"
            + " WHERE job_id = ? AND record_id = ?", job(), c.recordId());
      }
      return null;
    }, done -> finished(card));
  }

  @Override
  public void ejectedAfterRestart(long card) {
    write("ejectedAfterRestart", () -> {
      if (update("UPDATE cards SET ejected = 1 WHERE job_id = ? AND serial = ? AND outcome = 'ISSUED'",
          job(), card) != 1) {
        throw new JournalException("card #" + card + " was not issued");
      }
      return null;
    });
  }

  // ---- reports --------------------------------------------------------------------------------------

  private Map<RecordState, Long> recordCounts() throws SQLException {
    Map<RecordState, Long> out = new EnumMap<>(RecordState.class);
    try (ResultSet rs = ps("SELECT state, count(*) FROM records WHERE job_id = ? GROUP BY state", job())
        .executeQuery()) {
      while (rs.next()) {
        out.put(RecordState.valueOf(rs.getString(1)), rs.getLong(2));
      }
    }
    return out;
  }

  private String[] jobRow() throws SQLException {
    try (ResultSet rs = ps("SELECT card_type, started, ended, stage FROM job WHERE job_id = ?", job())
        .executeQuery()) {
      if (!rs.next()) {
        return new String[] {"", null, null, ""};
      }
      return new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)};
    }
  }

  @Override
  public JobStatus status() {
    return read("status", () -> {
      Map<CardOutcome, Long> cards = new EnumMap<>(CardOutcome.class);
      try (ResultSet rs = ps("SELECT outcome, count(*) FROM cards WHERE job_id = ? GROUP BY outcome", job())
          .executeQuery()) {
        while (rs.next()) {
          cards.put(CardOutcome.valueOf(rs.getString(1)), rs.getLong(2));
        }
      }
      String[] job = jobRow();
      return new JobStatus(job(), job[0], recordCounts(), cards, job[3]);
    });
  }

  @Override
  public Reconciliation reconcile() {
    return readSteps("reconcile", () -> {
      ReconciliationRows rows = new ReconciliationRows();
      try (ResultSet rs = ps(ReconciliationRows.CARDS, job()).executeQuery()) {
        rows.cards(rs);
      }
      try (ResultSet rs = ps("SELECT reason_code, count(*) FROM records WHERE job_id = ? AND read_reject = 1"
          + " GROUP BY reason_code", job()).executeQuery()) {
        rows.readRejects(rs);
      }
      try (ResultSet rs = ps("SELECT record_id, state, n FROM (SELECT r.rowid AS seq, r.record_id, r.state,"
          + " (SELECT count(*) FROM cards c WHERE c.job_id = r.job_id AND c.record_id = r.record_id"
          + " AND c.outcome = 'ISSUED') AS n FROM records r WHERE r.job_id = ?)"
          + " WHERE (state = 'DONE' AND n <> 1) OR (state <> 'DONE' AND n <> 0) ORDER BY seq", job())
          .executeQuery()) {
        rows.recordProblems(rs);
      }
      String[] job = jobRow();
      Instant started = job[1] == null ? Instant.EPOCH : Instant.ofEpochMilli(Long.parseLong(job[1]));
      Optional<Instant> ended = Optional.ofNullable(job[2]).map(e -> Instant.ofEpochMilli(Long.parseLong(e)));
      return rows.build(job(), job[0], started, ended, recordCounts());
    });
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    JournalException failed = null;
    if (!unwritten.isEmpty()) {
      try {
        write("close", () -> null); // writes the steps kept in memory
      } catch (JournalException e) {
        failed = e;
      }
    }
    boolean[] interrupted = {false};
    takeConnection(interrupted);
    closed = true;
    busy = false;
    notifyAll();
    if (interrupted[0]) {
      Thread.currentThread().interrupt();
    }
    try {
      for (PreparedStatement p : statements.values()) {
        p.close();
      }
      st.close();
      db.close();
    } catch (SQLException e) {
      JournalException je = new JournalException("journal close failed: " + e.getMessage(), e);
      if (failed != null) {
        je.addSuppressed(failed);
      }
      throw je;
    }
    if (failed != null) {
      throw failed;
    }
  }
}
