package dev.perso.core.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perso.core.journal.internal.SchemaMigrator;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared journal: one PostgreSQL database holds one job, and several controllers (separate processes,
 * on several machines) take its records. The record and card rules are those of {@link SqliteJournal}; what
 * sharing adds:
 *
 * <ul>
 *   <li><b>Claim.</b> A card is fed for a record inside one transaction that locks the record with
 *       {@code SELECT ... FOR UPDATE SKIP LOCKED}: a record another controller is feeding this moment is
 *       skipped ({@link RecordTakenException}), never waited for, and only a QUEUED record gets a card.
 *   <li><b>Lease.</b> A controller registers under its id (each registration bumps an epoch, fencing an
 *       earlier process of the same id) and renews its lease every third of it. The records whose cards are
 *       inside its machines are owned by it.
 *   <li><b>Fenced completion.</b> Issuing or rejecting a card updates its record only where the record is
 *       still IN_PROGRESS with that card, owned by this controller at this epoch with a live lease; a
 *       controller whose lease expired or was taken over completes nothing and stops.
 *   <li><b>Takeover.</b> Every live controller marks the IN_PROGRESS records of a controller whose lease has
 *       expired UNCERTAIN: their cards are inside a machine nobody drives. The controller of that id, when it
 *       starts again, recovers them ({@link #recover()} lists its own cards only) and purges or finishes them.
 * </ul>
 *
 * <p>One connection, guarded by this object's monitor; every update is one transaction committed with the
 * server's {@code synchronous_commit} (keep it on: off, a server crash loses acknowledged updates), except
 * {@link #stepStarted}, committed with {@code synchronous_commit=off}: it only says where a card was.
 */
final class PostgresJournal implements Journal {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresJournal.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long BEGIN_LOCK = 0x7065_7273_6f42L; // "persoB"
  private static final String RECORD_COLUMNS = "record_id, state, attempts, machine, station, step,"
      + " reason_code, reason, location";
  /** This controller, at this epoch, with a live lease. */
  private static final String LIVE = "EXISTS (SELECT 1 FROM controllers WHERE controller_id = ? AND epoch = ?"
      + " AND lease_until > now())";

  private final Connection db;
  private final JournalServer server;
  private final String me;
  private final Map<String, PreparedStatement> statements = new HashMap<>();
  private ScheduledExecutorService renewer;
  private String jobId;
  /** This controller's epoch, 0 until it registered. */
  private long epoch;
  private String leaseLost;
  private boolean closed;

  private PostgresJournal(Connection db, JournalServer server) {
    this.db = db;
    this.server = server;
    this.me = server.controllerId();
  }

  static Journal open(JournalServer server) {
    if (server.user() == null) {
      throw new JournalException("journal " + server.address() + ": no credentials given (set "
          + JournalServer.ENV_USER + " and " + JournalServer.ENV_PASSWORD + " or " + JournalServer.ENV_PASSWORD_FILE
          + ")");
    }
    Properties p = new Properties();
    p.setProperty("user", server.user());
    char[] pw = server.password();
    p.setProperty("password", new String(pw));
    Arrays.fill(pw, '\0');
    p.setProperty("ApplicationName", "perso " + server.controllerId());
    p.setProperty("tcpKeepAlive", "true");
    p.setProperty("connectTimeout", "10");
    Connection c = null;
    try {
      c = DriverManager.getConnection(server.jdbcUrl(), p);
      SchemaMigrator.migrate(c, SchemaMigrator.Backend.POSTGRESQL,
          SchemaMigrator.bundled(SchemaMigrator.Backend.POSTGRESQL));
      c.setAutoCommit(false);
      PostgresJournal j = new PostgresJournal(c, server);
      j.bindJob();
      c.commit();
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
      // the driver's message names host, database and user at most, never the password
      throw new JournalException("journal " + server.address() + " cannot be opened: " + e.getMessage(), e);
    } finally {
      p.remove("password");
    }
  }

  // ---- plumbing -------------------------------------------------------------------------------------

  @FunctionalInterface
  private interface Work<T> {
    T run() throws SQLException;
  }

  /** Runs a read query on a cached statement; the caller closes the result. */
  private ResultSet query(String sql, Object... args) throws SQLException {
    return ps(sql, args).executeQuery();
  }

  private PreparedStatement ps(String sql, Object... args) throws SQLException {
    PreparedStatement p = statements.get(sql);
    if (p == null) {
      p = db.prepareStatement(sql);
      statements.put(sql, p);
    }
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      if (a instanceof Instant t) {
        p.setObject(i + 1, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
      } else {
        p.setObject(i + 1, a);
      }
    }
    return p;
  }

  private int update(String sql, Object... args) throws SQLException {
    return ps(sql, args).executeUpdate();
  }

  /** One transaction: committed when {@code work} returns, rolled back when it throws. */
  private synchronized <T> T tx(String op, Work<T> work) {
    if (closed) {
      throw new JournalException("journal is closed");
    }
    String bound = jobId;
    try {
      T result = work.run();
      db.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      jobId = bound;
      try {
        db.rollback();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e instanceof JournalException je ? je
          : new JournalException("journal " + op + " failed: " + e.getMessage(), e);
    }
  }

  private void bindJob() throws SQLException {
    try (ResultSet rs = ps("SELECT job_id FROM job ORDER BY started, job_id LIMIT 1").executeQuery()) {
      jobId = rs.next() ? rs.getString(1) : null;
    }
  }

  private String job() {
    return jobId == null ? "" : jobId;
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  // ---- controllers ----------------------------------------------------------------------------------

  /** Registers this controller (bumping its epoch) and starts renewing its lease; inside a transaction. */
  private void register() throws SQLException {
    if (leaseLost != null) {
      throw new JournalException(leaseLost);
    }
    if (epoch != 0) {
      return;
    }
    long leaseMs = server.leaseDuration().toMillis();
    try (ResultSet rs = ps("INSERT INTO controllers (controller_id, epoch, lease_until, registered)"
        + " VALUES (?, 1, now() + ? * interval '1 millisecond', now()) ON CONFLICT (controller_id) DO UPDATE"
        + " SET epoch = controllers.epoch + 1, lease_until = excluded.lease_until, registered = now()"
        + " RETURNING epoch", me, leaseMs).executeQuery()) {
      rs.next();
      epoch = rs.getLong(1);
    }
    renewer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "perso journal lease " + me);
      t.setDaemon(true);
      return t;
    });
    long every = Math.max(100, leaseMs / 3);
    renewer.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
    LOG.info("controller {} registered on journal {} (epoch {})", me, server.address(), epoch);
  }

  /** Renews this controller's lease and takes over the records of controllers whose lease expired. */
  private void renew() {
    synchronized (this) {
      if (closed || epoch == 0 || leaseLost != null) {
        return;
      }
      try {
        if (update("UPDATE controllers SET lease_until = now() + ? * interval '1 millisecond'"
            + " WHERE controller_id = ? AND epoch = ? AND lease_until > now()",
            server.leaseDuration().toMillis(), me, epoch) != 1) {
          leaseLost = "controller " + me + " lost its lease on journal " + server.address()
              + " (it expired, or another process registered under the same id): it completes nothing more";
          LOG.error(leaseLost);
        }
        int taken = takeOver();
        db.commit();
        if (taken > 0) {
          LOG.warn("{} record(s) of controllers whose lease expired are now UNCERTAIN, until their controller"
              + " starts again and purges their cards", taken);
        }
      } catch (SQLException | RuntimeException e) {
        try {
          db.rollback();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        LOG.warn("journal lease renewal failed: {}", e.getMessage());
      }
    }
  }

  /** Marks UNCERTAIN the IN_PROGRESS records of controllers whose lease expired; inside a transaction. */
  private int takeOver() throws SQLException {
    return update("UPDATE records SET state = 'UNCERTAIN' WHERE state = 'IN_PROGRESS' AND owner IN"
        + " (SELECT controller_id FROM controllers WHERE lease_until <= now() AND controller_id <> ?)", me);
  }

  /** Throws unless this controller is registered with a live lease; inside a transaction. */
  private void live(String op) throws SQLException {
    register();
    try (ResultSet rs = ps("SELECT " + LIVE, me, epoch).executeQuery()) {
      rs.next();
      if (!rs.getBoolean(1)) {
        leaseLost = "controller " + me + " lost its lease on journal " + server.address() + " before " + op
            + ": it completes nothing more";
        throw new JournalException(leaseLost);
      }
    }
  }

  // ---- job ------------------------------------------------------------------------------------------

  @Override
  public JobInfo begin(String jobId, String stage, String cardType, String input, Instant now) {
    String st = nz(stage);
    return tx("begin", () -> {
      ps("SELECT pg_advisory_xact_lock(" + BEGIN_LOCK + ")").executeQuery().close();
      bindJob();
      if (this.jobId == null) {
        update("INSERT INTO job (job_id, card_type, input, started, ended, runs, stage)"
            + " VALUES (?, ?, ?, ?, NULL, 0, ?)", jobId, cardType, nz(input), now, st);
        update("UPDATE records SET job_id = ? WHERE job_id = ''", jobId);
        this.jobId = jobId;
      }
      String type;
      String in;
      Instant started;
      int runs;
      String held;
      try (ResultSet rs = ps("SELECT card_type, input, started, runs, stage FROM job WHERE job_id = ?", this.jobId)
          .executeQuery()) {
        rs.next();
        type = rs.getString(1);
        in = rs.getString(2);
        started = instant(rs, 3);
        runs = rs.getInt(4) + 1;
        held = rs.getString(5);
      }
      if (!this.jobId.equals(jobId) || !type.equals(cardType) || !held.equals(st)) {
        throw new JournalException("this journal holds job " + this.jobId + StageNames.of(held) + " (card type "
            + type + "), not job " + jobId + StageNames.of(st) + " (card type " + cardType + ")");
      }
      register();
      update("UPDATE job SET runs = ?, ended = NULL WHERE job_id = ?", runs, jobId);
      return new JobInfo(jobId, type, in, started, runs, held);
    });
  }

  @Override
  public Optional<StageRecord> stageRecord(String recordId) {
    return tx("stageRecord", () -> StageRecordRows.one(this::query, job(), recordId, PostgresJournal::instant));
  }

  @Override
  public List<StageRecord> stageRecords() {
    return tx("stageRecords", () -> StageRecordRows.all(this::query, job(), "seq", PostgresJournal::instant));
  }

  @Override
  public List<String> recordsWithOutput(String name, String value) {
    return tx("recordsWithOutput", () -> {
      List<String> out = new ArrayList<>();
      try (ResultSet rs = ps("SELECT o.record_id FROM stage_outputs o JOIN records r ON r.job_id = o.job_id"
          + " AND r.record_id = o.record_id WHERE o.job_id = ? AND o.name = ? AND o.value = ? AND r.state = 'DONE'"
          + " ORDER BY r.seq", job(), name, value).executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    });
  }

  @Override
  public void end(Instant now) {
    tx("end", () -> update("UPDATE job SET ended = ? WHERE job_id = ?", now, job()));
  }

  // ---- records --------------------------------------------------------------------------------------

  private static RecordStatus status(ResultSet rs) throws SQLException {
    String code = rs.getString(7);
    return new RecordStatus(rs.getString(1), RecordState.valueOf(rs.getString(2)), rs.getInt(3), rs.getString(4),
        rs.getString(5), rs.getString(6), code.isEmpty() ? "" : code + ": " + rs.getString(8), rs.getString(9));
  }

  @Override
  public Optional<RecordStatus> record(String recordId) {
    return tx("record", () -> {
      try (ResultSet rs = ps("SELECT " + RECORD_COLUMNS + " FROM records WHERE job_id = ? AND record_id = ?",
          job(), recordId).executeQuery()) {
        return rs.next() ? Optional.of(status(rs)) : Optional.empty();
      }
    });
  }

  @Override
  public Map<String, RecordStatus> records(Collection<String> recordIds) {
    String[] ids = recordIds.toArray(String[]::new);
    return tx("records", () -> {
      Map<String, RecordStatus> out = new HashMap<>();
      try (ResultSet rs = ps("SELECT " + RECORD_COLUMNS + " FROM records WHERE job_id = ? AND record_id = ANY (?)",
          job(), db.createArrayOf("text", ids)).executeQuery()) {
        while (rs.next()) {
          RecordStatus s = status(rs);
          out.put(s.recordId(), s);
        }
      }
      return out;
    });
  }

  @Override
  public void queued(Map<String, String> records) {
    if (records.isEmpty()) {
      return;
    }
    // sorted, so that two controllers queueing the same records lock them in the same order
    Map<String, String> sorted = new TreeMap<>(records);
    tx("queued", () -> {
      PreparedStatement p = ps("INSERT INTO records (job_id, record_id, location) VALUES (?, ?, ?)"
          + " ON CONFLICT (job_id, record_id) DO NOTHING");
      for (Map.Entry<String, String> e : sorted.entrySet()) {
        p.setString(1, job());
        p.setString(2, e.getKey());
        p.setString(3, nz(e.getValue()));
        p.addBatch();
      }
      p.executeBatch();
      return null;
    });
  }

  @Override
  public void rejectedOnRead(String recordId, String location, String reasonCode, String reason) {
    String key = recordId == null || recordId.equals("?") ? "?@" + location : recordId;
    tx("rejectedOnRead", () -> {
      update("INSERT INTO records (job_id, record_id, location) VALUES (?, ?, ?) ON CONFLICT (job_id, record_id)"
          + " DO NOTHING", job(), key, nz(location));
      update("UPDATE records SET state = 'REJECTED', reason_code = ?, reason = ?, read_reject = true, location = ?"
          + " WHERE job_id = ? AND record_id = ? AND state IN ('QUEUED', 'REJECTED')",
          nz(reasonCode), nz(reason), nz(location), job(), key);
      return null;
    });
  }

  // ---- cards ----------------------------------------------------------------------------------------

  /**
   * @return the record's state, locked for this transaction; empty if the record does not exist; null if
   *     another transaction holds its lock (it is being fed elsewhere)
   */
  private Optional<RecordState> lockRecord(String recordId) throws SQLException {
    try (ResultSet rs = ps("SELECT state FROM records WHERE job_id = ? AND record_id = ? FOR UPDATE SKIP LOCKED",
        job(), recordId).executeQuery()) {
      if (rs.next()) {
        return Optional.of(RecordState.valueOf(rs.getString(1)));
      }
    }
    try (ResultSet rs = ps("SELECT 1 FROM records WHERE job_id = ? AND record_id = ?", job(), recordId)
        .executeQuery()) {
      return rs.next() ? null : Optional.empty();
    }
  }

  private String ownerOf(String recordId) throws SQLException {
    try (ResultSet rs = ps("SELECT owner FROM records WHERE job_id = ? AND record_id = ?", job(), recordId)
        .executeQuery()) {
      return rs.next() ? nz(rs.getString(1)) : "";
    }
  }

  /**
   * Locks a record that must be QUEUED for this controller (added when the journal does not know it yet).
   *
   * @param recordId the record
   * @param otherwise what cannot happen when it is in another state, for the message
   * @throws RecordTakenException when another controller holds it
   * @throws JournalException when it is in another state
   */
  private void lockQueued(String recordId, String otherwise) throws SQLException {
    Optional<RecordState> state = lockRecord(recordId);
    if (state != null && state.isEmpty()) {
      update("INSERT INTO records (job_id, record_id, location) VALUES (?, ?, '') ON CONFLICT (job_id, record_id)"
          + " DO NOTHING", job(), recordId);
      state = lockRecord(recordId);
    }
    if (state == null || state.isEmpty()) {
      throw new RecordTakenException("record " + recordId + " is being fed by another controller");
    }
    if (state.get() != RecordState.QUEUED) {
      String owner = ownerOf(recordId);
      if (state.get() == RecordState.IN_PROGRESS && !owner.isEmpty() && !owner.equals(me)) {
        throw new RecordTakenException("record " + recordId + " is IN_PROGRESS on controller " + owner);
      }
      throw new JournalException("record " + recordId + " is " + state.get() + ": " + otherwise);
    }
  }

  @Override
  public long cardFed(String recordId, String machine, String station, Instant now) {
    return tx("cardFed", () -> {
      live("cardFed");
      lockQueued(recordId, "no card may be fed for it");
      long serial;
      try (ResultSet rs = ps("INSERT INTO cards (job_id, record_id, machine, station, fed_at, controller)"
          + " VALUES (?, ?, ?, ?, ?, ?) RETURNING serial", job(), recordId, nz(machine), nz(station), now, me)
          .executeQuery()) {
        rs.next();
        serial = rs.getLong(1);
      }
      fenced("cardFed", update("UPDATE records SET state = 'IN_PROGRESS', attempts = attempts + 1, machine = ?,"
          + " station = ?, step = '', open_card = ?, read_reject = false, owner = ?"
          + " WHERE job_id = ? AND record_id = ? AND state = 'QUEUED'",
          nz(machine), nz(station), serial, me, job(), recordId));
      return serial;
    });
  }

  private static void fenced(String op, int count) {
    if (count != 1) {
      throw new JournalException("journal " + op + " lost a race: the record changed under it");
    }
  }

  /** A card inside a machine, its record's state, open card (0 for none) and the card's controller. */
  private record CardRow(String recordId, RecordState state, long openCard, String controller) {}

  private CardRow openCard(long card) throws SQLException {
    try (ResultSet rs = ps("SELECT c.outcome, c.record_id, r.state, r.open_card, c.controller"
        + " FROM cards c JOIN records r ON r.job_id = c.job_id AND r.record_id = c.record_id"
        + " WHERE c.job_id = ? AND c.serial = ? FOR UPDATE OF r, c", job(), card).executeQuery()) {
      if (!rs.next()) {
        throw new JournalException("no card #" + card + " in this journal");
      }
      CardOutcome outcome = CardOutcome.valueOf(rs.getString(1));
      if (outcome != CardOutcome.INSIDE) {
        throw new JournalException("card #" + card + " is already " + outcome);
      }
      long open = rs.getLong(4);
      return new CardRow(rs.getString(2), RecordState.valueOf(rs.getString(3)), rs.wasNull() ? 0L : open,
          rs.getString(5));
    }
  }

  /** The card, inside a machine of this controller; throws otherwise. */
  private CardRow ourOpenCard(long card) throws SQLException {
    CardRow c = openCard(card);
    if (!c.controller().equals(me)) {
      throw new JournalException("card #" + card + " is inside a machine of controller " + c.controller()
          + ", not of " + me);
    }
    return c;
  }

  @Override
  public void stepStarted(long card, String station, String step) {
    tx("stepStarted", () -> {
      update("SET LOCAL synchronous_commit = off");
      CardRow c = ourOpenCard(card);
      update("UPDATE cards SET station = ? WHERE serial = ? AND outcome = 'INSIDE'", nz(station), card);
      update("UPDATE records SET station = ?, step = ? WHERE job_id = ? AND record_id = ? AND open_card = ?",
          nz(station), nz(step), job(), c.recordId(), card);
      return null;
    });
  }

  /** Why a fenced completion of {@code card} matched nothing. */
  private JournalException refused(String op, long card) throws SQLException {
    CardRow c = openCard(card);
    if (c.state() != RecordState.IN_PROGRESS || c.openCard() != card) {
      return new JournalException("card #" + card + " cannot be " + op + ": record " + c.recordId() + " is "
          + c.state() + (c.openCard() != card ? " with another card" : ""));
    }
    String owner = ownerOf(c.recordId());
    if (!owner.equals(me)) {
      return new JournalException("card #" + card + " cannot be " + op + ": record " + c.recordId()
          + " is held by controller " + owner);
    }
    leaseLost = "controller " + me + " lost its lease on journal " + server.address() + ": card #" + card
        + " cannot be " + op;
    return new JournalException(leaseLost);
  }

  @Override
  public void issued(long card, Map<String, String> stageOutputs, Instant now) {
    String outputs = stageOutputs.isEmpty() ? null : json(new TreeMap<>(stageOutputs));
    tx("issued", () -> {
      register();
      if (update("UPDATE records SET state = 'DONE', open_card = NULL, owner = NULL, reason_code = '', reason = '',"
          + " stage_outputs = ? WHERE open_card = ? AND job_id = ? AND state = 'IN_PROGRESS' AND owner = ? AND "
          + LIVE, outputs, card, job(), me, me, epoch) != 1) {
        throw refused("issued", card);
      }
      fenced("issued", update("UPDATE cards SET outcome = 'ISSUED', ended_at = ? WHERE serial = ?"
          + " AND outcome = 'INSIDE'", now, card));
      if (outputs != null) {
        update("INSERT INTO stage_outputs (job_id, record_id, name, value) SELECT c.job_id, c.record_id,"
            + " o.key, o.value FROM cards c, jsonb_each_text(CAST(? AS jsonb)) o WHERE c.serial = ?", outputs, card);
      }
      return null;
    });
  }

  @Override
  public void reassigned(long card, String recordId, Instant now) {
    tx("reassigned", () -> {
      live("reassigned");
      CardRow c = ourOpenRecord(card, "reassigned");
      lockQueued(recordId, "card #" + card + " cannot become its card");
      if (update("UPDATE records SET state = 'QUEUED', open_card = NULL, owner = NULL, attempts = attempts - 1"
          + " WHERE job_id = ? AND record_id = ? AND open_card = ? AND state = 'IN_PROGRESS' AND owner = ? AND "
          + LIVE, job(), c.recordId(), card, me, me, epoch) != 1) {
        throw refused("reassigned", card);
      }
      fenced("reassigned", update("UPDATE cards SET record_id = ? WHERE serial = ? AND outcome = 'INSIDE'",
          recordId, card));
      fenced("reassigned", update("UPDATE records SET state = 'IN_PROGRESS', attempts = attempts + 1,"
          + " machine = c.machine, station = c.station, step = '', open_card = c.serial, read_reject = false,"
          + " owner = ? FROM cards c WHERE c.serial = ? AND records.job_id = ? AND records.record_id = ?"
          + " AND records.state = 'QUEUED'", me, card, job(), recordId));
      return null;
    });
  }

  @Override
  public void exchanged(long card, long other, Instant now) {
    tx("exchanged", () -> {
      live("exchanged");
      CardRow a = ourOpenRecord(card, "exchanged");
      CardRow b = ourOpenRecord(other, "exchanged");
      if (a.recordId().equals(b.recordId())) {
        throw new JournalException("cards #" + card + " and #" + other + " are the same card");
      }
      exchange(card, b.recordId(), a.recordId());
      exchange(other, a.recordId(), b.recordId());
      return null;
    });
  }

  /** Makes {@code card} the open card of {@code to} (which had {@code from}'s card), fenced. */
  private void exchange(long card, String to, String from) throws SQLException {
    fenced("exchanged", update("UPDATE cards SET record_id = ? WHERE serial = ? AND outcome = 'INSIDE'"
        + " AND record_id = ?", to, card, from));
    fenced("exchanged", update("UPDATE records SET open_card = c.serial, machine = c.machine, station = c.station"
        + " FROM cards c WHERE c.serial = ? AND records.job_id = ? AND records.record_id = ?"
        + " AND records.state = 'IN_PROGRESS' AND records.owner = ? AND " + LIVE, card, job(), to, me, me, epoch));
  }

  /** The card, open and of this controller, with its IN_PROGRESS record whose open card it is. */
  private CardRow ourOpenRecord(long card, String op) throws SQLException {
    CardRow c = ourOpenCard(card);
    if (c.state() != RecordState.IN_PROGRESS || c.openCard() != card) {
      throw new JournalException("card #" + card + " cannot be " + op + ": record " + c.recordId() + " is "
          + c.state() + (c.openCard() != card ? " with another card" : ""));
    }
    return c;
  }

  @Override
  public RecordState rejected(long card, String reasonCode, String reason, boolean remake, Instant now) {
    RecordState next = remake ? RecordState.QUEUED : RecordState.REJECTED;
    tx("rejected", () -> {
      register();
      if (update("UPDATE records SET state = ?, open_card = NULL, owner = NULL, reason_code = ?, reason = ?"
          + " WHERE open_card = ? AND job_id = ? AND state = 'IN_PROGRESS' AND owner = ? AND " + LIVE,
          next.name(), nz(reasonCode), nz(reason), card, job(), me, me, epoch) != 1) {
        throw refused("rejected", card);
      }
      fenced("rejected", update("UPDATE cards SET outcome = 'REJECTED', reason_code = ?, ended_at = ?"
          + " WHERE serial = ? AND outcome = 'INSIDE'", nz(reasonCode), now, card));
      return null;
    });
    return next;
  }

  /**
   * Resumes this controller after a stop: its IN_PROGRESS records become UNCERTAIN (so do those of
   * controllers whose lease expired), and the cards it fed and did not finish are returned. Cards of other
   * controllers are theirs to recover.
   */
  @Override
  public List<OpenCard> recover() {
    return tx("recover", () -> {
      live("recover");
      update("UPDATE records SET state = 'UNCERTAIN' WHERE job_id = ? AND state = 'IN_PROGRESS' AND open_card IN"
          + " (SELECT serial FROM cards WHERE job_id = ? AND controller = ? AND outcome = 'INSIDE')",
          job(), job(), me);
      takeOver();
      List<OpenCard> out = new ArrayList<>();
      try (ResultSet rs = ps("SELECT c.serial, c.record_id, r.state, c.machine, c.station FROM cards c"
          + " JOIN records r ON r.job_id = c.job_id AND r.record_id = c.record_id"
          + " WHERE c.job_id = ? AND c.controller = ? AND c.outcome = 'INSIDE' ORDER BY c.serial", job(), me)
          .executeQuery()) {
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
    tx("purged", () -> {
      live("purged");
      CardRow c = ourOpenCard(card);
      update("UPDATE cards SET outcome = 'PURGED', ended_at = ? WHERE serial = ?", now, card);
      if (c.openCard() == card) {
        if (remake) {
          update("UPDATE records SET state = 'QUEUED', open_card = NULL, owner = NULL WHERE job_id = ?"
              + " AND record_id = ?", job(), c.recordId());
        } else {
          update("UPDATE records SET state = 'REJECTED', open_card = NULL, owner = NULL, reason_code = 'PURGED',"
              + " reason = 'purged after a restart and no remake left' WHERE job_id = ? AND record_id = ?",
              job(), c.recordId());
        }
      }
      return null;
    });
  }

  @Override
  public void notFed(long card) {
    tx("notFed", () -> {
      live("notFed");
      CardRow c = ourOpenCard(card);
      update("UPDATE cards SET outcome = 'VOID' WHERE serial = ?", card);
      if (c.openCard() == card) {
        update("UPDATE records SET state = 'QUEUED', open_card = NULL, owner = NULL, attempts = attempts - 1"
            + " WHERE job_id = ? AND record_id = ?", job(), c.recordId());
      }
      return null;
    });
  }

  @Override
  public void ejectedAfterRestart(long card) {
    tx("ejectedAfterRestart", () -> {
      if (update("UPDATE cards SET ejected = true WHERE job_id = ? AND serial = ? AND outcome = 'ISSUED'",
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

  private record JobRow(String cardType, Instant started, Instant ended, String stage) {}

  private JobRow jobRow() throws SQLException {
    try (ResultSet rs = ps("SELECT card_type, started, ended, stage FROM job WHERE job_id = ?", job())
        .executeQuery()) {
      return rs.next() ? new JobRow(rs.getString(1), instant(rs, 2), instant(rs, 3), rs.getString(4))
          : new JobRow("", null, null, "");
    }
  }

  @Override
  public JobStatus status() {
    return tx("status", () -> {
      if (jobId == null) {
        bindJob();
      }
      Map<CardOutcome, Long> cards = new EnumMap<>(CardOutcome.class);
      try (ResultSet rs = ps("SELECT outcome, count(*) FROM cards WHERE job_id = ? GROUP BY outcome", job())
          .executeQuery()) {
        while (rs.next()) {
          cards.put(CardOutcome.valueOf(rs.getString(1)), rs.getLong(2));
        }
      }
      JobRow row = jobRow();
      return new JobStatus(job(), row.cardType(), recordCounts(), cards, row.stage());
    });
  }

  @Override
  public Reconciliation reconcile() {
    return tx("reconcile", () -> {
      update("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"); // one snapshot for every count
      if (jobId == null) {
        bindJob();
      }
      ReconciliationRows rows = new ReconciliationRows();
      try (ResultSet rs = ps(ReconciliationRows.CARDS, job()).executeQuery()) {
        rows.cards(rs);
      }
      try (ResultSet rs = ps("SELECT reason_code, count(*) FROM records WHERE job_id = ? AND read_reject"
          + " GROUP BY reason_code", job()).executeQuery()) {
        rows.readRejects(rs);
      }
      try (ResultSet rs = ps("SELECT record_id, state, n FROM (SELECT r.seq, r.record_id, r.state,"
          + " (SELECT count(*) FROM cards c WHERE c.job_id = r.job_id AND c.record_id = r.record_id"
          + " AND c.outcome = 'ISSUED') AS n FROM records r WHERE r.job_id = ?) t"
          + " WHERE (state = 'DONE' AND n <> 1) OR (state <> 'DONE' AND n <> 0) ORDER BY seq", job())
          .executeQuery()) {
        rows.recordProblems(rs);
      }
      JobRow job = jobRow();
      return rows.build(job(), job.cardType(), job.started() == null ? Instant.EPOCH : job.started(),
          Optional.ofNullable(job.ended()), recordCounts());
    });
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new JournalException("journal issued: stage outputs cannot be written as JSON", e);
    }
  }

  @Override
  public void close() {
    ScheduledExecutorService r;
    synchronized (this) {
      if (closed) {
        return;
      }
      r = renewer;
    }
    if (r != null) {
      r.shutdownNow();
      try {
        r.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (this) {
      closed = true;
      try {
        if (epoch != 0 && leaseLost == null) {
          // a clean stop gives the lease up: records still open here are UNCERTAIN for the others at once
          update("UPDATE controllers SET lease_until = now() WHERE controller_id = ? AND epoch = ?", me, epoch);
          db.commit();
        }
      } catch (SQLException e) {
        LOG.warn("journal: giving up the lease of controller {} failed: {}", me, e.getMessage());
      }
      try {
        for (PreparedStatement p : statements.values()) {
          p.close();
        }
        db.close();
      } catch (SQLException e) {
        throw new JournalException("journal close failed: " + e.getMessage(), e);
      }
    }
  }
}
