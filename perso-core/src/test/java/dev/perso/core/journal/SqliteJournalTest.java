package dev.perso.core.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.journal.internal.SchemaMigrator;
import dev.perso.core.journal.internal.SchemaMigrator.Backend;
import dev.perso.core.journal.internal.SchemaMigrator.Migration;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only the file journal does: persistence, migrations, sharing a file, surviving kill -9. */
class SqliteJournalTest {
  static final Instant T0 = Instant.parse("2030-01-02T03:04:05.678Z");

  @TempDir
  Path dir;

  private Connection connect(Path file) throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + file + "?busy_timeout=10000");
  }

  private String one(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Test
  void aReopenedFileResumesTheJobWhereItStood() {
    Path file = dir.resolve("job.db");
    long open;
    try (Journal j = Journal.sqlite(file)) {
      j.begin("job-1", "debit", "batch.jsonl", T0);
      j.queued(Map.of("a", "batch.jsonl:1", "b", "batch.jsonl:2", "c", "batch.jsonl:3"));
      j.issued(j.cardFed("a", "mx-1", "f", T0), Map.of("chip.serial", "7"), T0.plusSeconds(1));
      open = j.cardFed("b", "mx-1", "f", T0.plusSeconds(2));
      j.stepStarted(open, "mx-1/chip", "emv");
    }
    try (Journal j = Journal.sqlite(file, Durability.PROCESS_CRASH_SAFE)) {
      assertThat(j.status().jobId()).isEqualTo("job-1");
      JobInfo info = j.begin("job-1", "debit", "batch.jsonl", T0.plusSeconds(60));
      assertThat(info.runs()).isEqualTo(2);
      assertThat(info.started()).isEqualTo(T0);
      assertThat(j.record("a").orElseThrow().state()).isEqualTo(RecordState.DONE);
      assertThat(j.recover()).containsExactly(new OpenCard(open, "b", RecordState.UNCERTAIN, "mx-1", "mx-1/chip"));
      j.purged(open, true, T0.plusSeconds(61));
      long next = j.cardFed("b", "mx-1", "f", T0.plusSeconds(62));
      assertThat(next).isGreaterThan(open);
      j.issued(next, Map.of(), T0.plusSeconds(63));
      assertThat(j.reconcile().total()).isEqualTo(new Reconciliation.Counts(3, 2, Map.of(), 1, 0));
    }
  }

  private String whereInFile(Path file, long card) throws SQLException {
    try (Connection c = connect(file)) {
      return one(c, "SELECT c.station || ' ' || r.station || ' ' || r.step FROM cards c JOIN records r"
          + " ON r.job_id = c.job_id AND r.record_id = c.record_id WHERE c.serial = " + card);
    }
  }

  @Test
  void aStepOfACardFedBeforeAReopenIsCheckedInTheFileAndWrittenAtOnce() throws SQLException {
    Path file = dir.resolve("job.db");
    long card;
    try (Journal j = Journal.sqlite(file)) {
      j.begin("job-1", "debit", "in", T0);
      card = j.cardFed("a", "mx-1", "mx-1/feeder", T0);
    }
    try (Journal j = Journal.sqlite(file)) {
      j.stepStarted(card, "mx-1/chip-2", "emv");
      assertThat(whereInFile(file, card)).isEqualTo("mx-1/chip-2 mx-1/chip-2 emv");
      assertThatThrownBy(() -> j.stepStarted(card + 1, "x", "y")).isInstanceOf(JournalException.class)
          .hasMessageContaining("no card #" + (card + 1));
      j.issued(card, Map.of(), T0);
      assertThatThrownBy(() -> j.stepStarted(card, "x", "y")).isInstanceOf(JournalException.class)
          .hasMessageContaining("already ISSUED");
      assertThat(j.record("a").orElseThrow().station()).isEqualTo("mx-1/chip-2");
    }
  }

  @Test
  void aStepOfItsOwnCardIsWrittenWithTheNextUpdateBeforeRecoverAndOnClose() throws SQLException {
    Path file = dir.resolve("job.db");
    try (Journal j = Journal.sqlite(file)) {
      j.begin("job-1", "debit", "in", T0);
      long a = j.cardFed("a", "mx-1", "mx-1/feeder", T0);
      j.stepStarted(a, "mx-1/mag", "stripe");
      j.stepStarted(a, "mx-1/chip-1", "emv");
      // kept in memory: not yet in the file, but this journal answers with it
      assertThat(whereInFile(file, a)).isEqualTo("mx-1/feeder mx-1/feeder ");
      long b = j.cardFed("b", "mx-1", "mx-1/feeder", T0);
      assertThat(whereInFile(file, a)).isEqualTo("mx-1/chip-1 mx-1/chip-1 emv");
      j.stepStarted(b, "mx-1/chip-2", "emv");
      assertThat(j.recover()).containsExactly(new OpenCard(a, "a", RecordState.UNCERTAIN, "mx-1", "mx-1/chip-1"),
          new OpenCard(b, "b", RecordState.UNCERTAIN, "mx-1", "mx-1/chip-2"));
      j.stepStarted(b, "mx-1/exit", "eject");
    }
    assertThat(whereInFile(file, 2)).isEqualTo("mx-1/exit mx-1/exit eject");
  }

  @Test
  void aStepKeptInMemorySurvivesAnUpdateThatFailsAndARecordLookup() throws SQLException {
    Path file = dir.resolve("job.db");
    try (Journal j = Journal.sqlite(file)) {
      j.begin("job-1", "debit", "in", T0);
      j.issued(j.cardFed("done", "mx-1", "f", T0), Map.of(), T0);
      long a = j.cardFed("a", "mx-1", "f", T0);
      j.stepStarted(a, "mx-1/chip-1", "emv");
      assertThatThrownBy(() -> j.cardFed("done", "mx-1", "f", T0)).isInstanceOf(JournalException.class)
          .hasMessageContaining("DONE");
      assertThat(whereInFile(file, a)).isEqualTo("f f ");
      assertThat(j.record("a").orElseThrow().step()).isEqualTo("emv");
      assertThat(whereInFile(file, a)).isEqualTo("mx-1/chip-1 mx-1/chip-1 emv");
    }
  }

  @Test
  void aStepKeptInMemoryNeverMovesACardAnotherJournalFinished() throws SQLException {
    Path file = dir.resolve("shared.db");
    try (Journal a = Journal.sqlite(file); Journal b = Journal.sqlite(file)) {
      a.begin("job-1", "debit", "in", T0);
      long card = a.cardFed("r", "mx-1", "f", T0);
      a.stepStarted(card, "mx-1/chip-1", "emv");
      b.issued(card, Map.of(), T0);
      // a does not know yet; its step is kept, then dropped by the fence when written
      a.stepStarted(card, "mx-1/chip-9", "late");
      a.queued(Map.of("s", "in:2"));
      assertThat(whereInFile(file, card)).isEqualTo("f f ");
      assertThatThrownBy(() -> a.issued(card, Map.of(), T0)).isInstanceOf(JournalException.class)
          .hasMessageContaining("already ISSUED");
      assertThat(a.reconcile().total().issued()).isEqualTo(1);
    }
  }

  @Test
  void concurrentUpdatesCommitTogetherYetEachFailsAlone() throws Exception {
    Path file = dir.resolve("job.db");
    int threads = 6;
    int records = 80;
    List<Integer> won = new ArrayList<>();
    try (Journal j = Journal.sqlite(file)) {
      j.begin("job-1", "debit", "in", T0);
      Map<String, String> queue = new HashMap<>();
      for (int i = 0; i < records; i++) {
        queue.put("r" + i, "in:" + i);
      }
      j.queued(queue);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Integer>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int me = t;
        done.add(pool.submit(() -> {
          go.await();
          int wins = 0;
          for (int i = 0; i < records; i++) {
            long card;
            try {
              card = j.cardFed("r" + i, "mx-" + me, "mx-" + me + "/feeder", T0); // all threads race for r<i>
            } catch (JournalException lost) {
              continue;
            }
            wins++;
            j.stepStarted(card, "mx-" + me + "/chip", "emv");
            if (i % 7 == 0) {
              j.rejected(card, "CHIP_MUTE", "no answer", false, T0);
            } else {
              j.issued(card, Map.of(), T0);
            }
            assertThatThrownBy(() -> j.issued(card, Map.of(), T0)).isInstanceOf(JournalException.class);
          }
          return wins;
        }));
      }
      go.countDown();
      for (Future<Integer> f : done) {
        won.add(f.get(120, TimeUnit.SECONDS));
      }
      pool.shutdown();
    }
    assertThat(won.stream().mapToInt(Integer::intValue).sum()).isEqualTo(records);
    try (Journal j = Journal.sqlite(file)) {
      Reconciliation r = j.reconcile();
      assertThat(r.total().issued()).isEqualTo(records - (records + 6) / 7);
      assertThat(r.total().rejectedByReason()).isEqualTo(Map.of("CHIP_MUTE", (long) (records + 6) / 7));
      assertThat(r.addsUp()).isTrue();
      for (int i = 0; i < records; i++) {
        RecordStatus s = j.record("r" + i).orElseThrow();
        assertThat(s.attempts()).isEqualTo(1);
        assertThat(s.station()).isEqualTo(s.machine() + "/chip");
      }
    }
  }

  @Test
  void timestampsAreTheLineClocksNotTheWallClock() throws SQLException {
    Path file = dir.resolve("job.db");
    try (Journal j = Journal.sqlite(file)) {
      j.begin("job-1", "debit", "in", T0);
      j.issued(j.cardFed("a", "m", "s", T0.plusMillis(5)), Map.of(), T0.plusMillis(9));
    }
    try (Connection c = connect(file)) {
      assertThat(one(c, "SELECT started FROM job")).isEqualTo(Long.toString(T0.toEpochMilli()));
      assertThat(one(c, "SELECT fed_at || ' ' || ended_at FROM cards"))
          .isEqualTo(T0.toEpochMilli() + 5 + " " + (T0.toEpochMilli() + 9));
    }
  }

  @Test
  void theUniqueIndexRefusesASecondIssuedCardEvenBehindTheJournalsBack() throws SQLException {
    Path file = dir.resolve("job.db");
    try (Journal j = Journal.sqlite(file)) {
      j.begin("job-1", "debit", "in", T0);
      j.issued(j.cardFed("a", "m", "s", T0), Map.of(), T0);
    }
    try (Connection c = connect(file); Statement st = c.createStatement()) {
      assertThatThrownBy(() -> st.executeUpdate("INSERT INTO cards (job_id, record_id, machine, station, outcome,"
          + " fed_at) VALUES ('job-1', 'a', 'm', 's', 'ISSUED', 0)")).isInstanceOf(SQLException.class)
          .hasMessageContaining("UNIQUE");
    }
  }

  @Test
  void reconciliationNamesRecordsWhoseCardsDoNotMatchTheirState() throws SQLException {
    Path file = dir.resolve("job.db");
    try (Journal j = Journal.sqlite(file)) {
      j.begin("job-1", "debit", "in", T0);
      j.queued(Map.of("a", "1"));
      j.queued(Map.of("b", "2"));
      j.issued(j.cardFed("a", "m", "s", T0), Map.of(), T0);
      j.issued(j.cardFed("b", "m", "s", T0), Map.of(), T0);
    }
    try (Connection c = connect(file); Statement st = c.createStatement()) {
      // damage done behind the journal's back (a hand edit): the report names it, in queue order
      st.executeUpdate("UPDATE records SET state = 'REJECTED' WHERE record_id = 'a'");
      st.executeUpdate("UPDATE cards SET outcome = 'REJECTED' WHERE record_id = 'b'");
    }
    try (Journal j = Journal.sqlite(file)) {
      Reconciliation r = j.reconcile();
      assertThat(r.addsUp()).isFalse();
      assertThat(r.discrepancies()).containsExactly("record a is REJECTED but has 1 issued card(s)",
          "record b is DONE with 0 issued cards");
    }
  }

  @Test
  void migrationsApplyOnceAndAreRecordedWithTheirChecksum() throws SQLException {
    Path file = dir.resolve("m.db");
    List<Migration> bundled = SchemaMigrator.bundled(Backend.SQLITE);
    assertThat(bundled).extracting(Migration::version).containsExactly(1, 2, 3);
    try (Connection c = connect(file)) {
      assertThat(SchemaMigrator.migrate(c, Backend.SQLITE, bundled)).isEqualTo(3);
      assertThat(SchemaMigrator.migrate(c, Backend.SQLITE, bundled)).isZero();
      assertThat(one(c, "SELECT name || ' ' || sha256 FROM schema_version WHERE version = 1"))
          .isEqualTo("journal " + bundled.get(0).sha256());
      List<Migration> next = new ArrayList<>(bundled);
      next.add(Migration.of("V4__note.sql", "CREATE TABLE note (x TEXT);"));
      assertThat(SchemaMigrator.migrate(c, Backend.SQLITE, next)).isEqualTo(1);
      assertThat(one(c, "SELECT count(*) FROM schema_version")).isEqualTo("4");
      // a database newer than the files is refused
      assertThatThrownBy(() -> SchemaMigrator.migrate(c, Backend.SQLITE, bundled))
          .isInstanceOf(JournalException.class).hasMessageContaining("newer");
    }
  }

  @Test
  void version3MovesTheStageOutputsOfAVersion2JournalIntoTheirTable() throws SQLException {
    Path file = dir.resolve("v2.db");
    List<Migration> bundled = SchemaMigrator.bundled(Backend.SQLITE);
    try (Connection c = connect(file)) {
      SchemaMigrator.migrate(c, Backend.SQLITE, bundled.subList(0, 2));
      try (Statement st = c.createStatement()) {
        st.executeUpdate("INSERT INTO job (job_id, card_type, input, started, runs) VALUES ('job-1', 'debit', 'in', 0, 1)");
        st.executeUpdate("INSERT INTO records (job_id, record_id, state, stage_outputs) VALUES"
            + " ('job-1', 'a', 'DONE', '{\"chip-serial\":\"0042\"}'), ('job-1', 'b', 'QUEUED', NULL)");
      }
    }
    try (Journal j = Journal.sqlite(file)) {
      assertThat(j.begin("job-1", "debit", "in", T0).stage()).isEmpty();
      assertThat(j.recordsWithOutput("chip-serial", "0042")).containsExactly("a");
      assertThat(j.stageRecord("a").orElseThrow().outputs()).containsEntry("chip-serial", "0042");
    }
  }

  @Test
  void anAppliedFileEditedLaterIsAnError() throws SQLException {
    Path file = dir.resolve("m.db");
    Migration v1 = SchemaMigrator.bundled(Backend.SQLITE).get(0);
    try (Connection c = connect(file)) {
      SchemaMigrator.migrate(c, Backend.SQLITE, List.of(v1));
      Migration edited = new Migration(1, v1.name(), v1.sql() + "\n-- edited\n");
      assertThatThrownBy(() -> SchemaMigrator.migrate(c, Backend.SQLITE, List.of(edited)))
          .isInstanceOf(JournalException.class).hasMessageContaining("V1__journal.sql was edited");
      // the failed run left no transaction open
      assertThat(SchemaMigrator.migrate(c, Backend.SQLITE, List.of(v1))).isZero();
    }
  }

  @Test
  void aMigrationThatFailsRollsBackWhole() throws SQLException {
    Path file = dir.resolve("m.db");
    try (Connection c = connect(file)) {
      Migration bad = Migration.of("V1__bad.sql", "CREATE TABLE ok (x TEXT); CREATE TABLE broken (;");
      assertThatThrownBy(() -> SchemaMigrator.migrate(c, Backend.SQLITE, List.of(bad)))
          .isInstanceOf(JournalException.class);
      assertThat(one(c, "SELECT count(*) FROM sqlite_master WHERE name = 'ok'")).isEqualTo("0");
    }
  }

  @Test
  void badMigrationFileNamesAndDuplicateVersionsAreRefused() {
    assertThatThrownBy(() -> Migration.of("journal.sql", "")).isInstanceOf(JournalException.class)
        .hasMessageContaining("V<version>__<name>.sql");
    assertThatThrownBy(() -> SchemaMigrator.migrate(null, Backend.SQLITE,
        List.of(Migration.of("V1__a.sql", ""), Migration.of("V1__b.sql", ""))))
        .isInstanceOf(JournalException.class).hasMessageContaining("version 1");
  }

  @Test
  void thePostgresqlSchemaShipsWithTheSameVersions() {
    assertThat(SchemaMigrator.bundled(Backend.POSTGRESQL)).extracting(Migration::version, Migration::name)
        .containsExactlyElementsOf(SchemaMigrator.bundled(Backend.SQLITE).stream()
            .map(m -> org.assertj.core.groups.Tuple.tuple(m.version(), m.name())).toList());
  }

  @Test
  void twoJournalsOnOneFileWriteConcurrentlyWithoutBusyErrors() throws Exception {
    Path file = dir.resolve("shared.db");
    int perWriter = 150;
    try (Journal a = Journal.sqlite(file, Durability.PROCESS_CRASH_SAFE);
        Journal b = Journal.sqlite(file, Durability.PROCESS_CRASH_SAFE)) {
      a.begin("job-1", "debit", "in", T0);
      ExecutorService pool = Executors.newFixedThreadPool(2);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (Journal j : List.of(a, b)) {
        String prefix = j == a ? "a" : "b";
        done.add(pool.submit(() -> {
          go.await();
          for (int i = 0; i < perWriter; i++) {
            long card = j.cardFed(prefix + i, "mx-" + prefix, "f", T0);
            j.stepStarted(card, "chip", "emv");
            j.issued(card, Map.of(), T0);
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
      pool.shutdown();
      assertThat(b.status().jobId()).isEqualTo("job-1");
      Reconciliation r = a.reconcile();
      assertThat(r.total().issued()).isEqualTo(2L * perWriter);
      assertThat(r.byMachine()).containsOnlyKeys("mx-a", "mx-b");
      assertThat(r.addsUp()).isTrue();
    }
  }

  private static Process child(Path file, Durability d, String prefix, int records) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        JournalCrashChild.class.getName(), file.toString(), d.name(), prefix, Integer.toString(records))
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }

  /** The acknowledged cards a child printed, serial to record id. */
  private static Map<Long, String> acked(List<String> lines) {
    Map<Long, String> out = new HashMap<>();
    for (String line : lines) {
      String[] f = line.split(" ");
      if (f.length == 3 && f[0].equals("ISSUED")) {
        out.put(Long.parseLong(f[1]), f[2]);
      }
    }
    return out;
  }

  private static Thread reader(Process p, List<String> lines, CountDownLatch first) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          synchronized (lines) {
            lines.add(line);
          }
          first.countDown();
        }
      } catch (IOException e) {
        // the child was killed mid-line: what was read is what was acknowledged
      }
    });
    t.start();
    return t;
  }

  @Test
  void twoProcessesOnOneFileBothFinish() throws Exception {
    Path file = dir.resolve("two.db");
    List<List<String>> out = List.of(new ArrayList<>(), new ArrayList<>());
    Process a = child(file, Durability.PROCESS_CRASH_SAFE, "p", 200);
    Process b = child(file, Durability.PROCESS_CRASH_SAFE, "q", 200);
    Thread ra = reader(a, out.get(0), new CountDownLatch(1));
    Thread rb = reader(b, out.get(1), new CountDownLatch(1));
    assertThat(a.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(b.waitFor(120, TimeUnit.SECONDS)).isTrue();
    ra.join();
    rb.join();
    assertThat(a.exitValue()).isZero();
    assertThat(b.exitValue()).isZero();
    assertThat(out.get(0)).last().isEqualTo("END");
    assertThat(out.get(1)).last().isEqualTo("END");
    try (Journal j = Journal.sqlite(file)) {
      Reconciliation r = j.reconcile();
      assertThat(r.total().issued()).isEqualTo(400);
      assertThat(r.total().rejectedByReason()).isEqualTo(Map.of("CHIP_MUTE", 40L));
      assertThat(r.addsUp()).isTrue();
    }
  }

  @Test
  void everyAcknowledgedUpdateSurvivesKillDashNine() throws Exception {
    int rounds = Integer.getInteger("perso.soak", 3);
    Random random = new Random(Long.getLong("perso.seed", System.nanoTime()));
    Path file = dir.resolve("crash.db");
    Map<Long, String> allAcked = new HashMap<>();
    for (int round = 0; round < rounds; round++) {
      Durability d = round % 2 == 0 ? Durability.FULL : Durability.PROCESS_CRASH_SAFE;
      List<String> lines = new ArrayList<>();
      CountDownLatch first = new CountDownLatch(1);
      Process p = child(file, d, "r" + round, 5_000);
      Thread t = reader(p, lines, first);
      assertThat(first.await(60, TimeUnit.SECONDS)).as("the child acknowledged a card").isTrue();
      Thread.sleep(random.nextInt(300));
      p.destroyForcibly();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      t.join();
      Map<Long, String> acked;
      synchronized (lines) {
        acked = acked(lines);
      }
      assertThat(acked).isNotEmpty();
      allAcked.putAll(acked);
      try (Connection c = connect(file)) {
        assertThat(one(c, "PRAGMA integrity_check")).isEqualTo("ok");
        assertThat(one(c, "PRAGMA foreign_key_check")).isNull();
      }
      try (Journal j = Journal.sqlite(file)) {
        for (Map.Entry<Long, String> e : allAcked.entrySet()) {
          assertThat(j.record(e.getValue())).as("record %s", e.getValue()).map(RecordStatus::state)
              .contains(RecordState.DONE);
        }
        for (OpenCard open : j.recover()) {
          j.purged(open.serial(), true, T0);
        }
        Reconciliation r = j.reconcile();
        assertThat(r.total().issued()).isGreaterThanOrEqualTo(allAcked.size());
        assertThat(r.total().inside()).isZero();
        assertThat(r.discrepancies()).isEmpty();
      }
    }
    try (Connection c = connect(file)) {
      for (Map.Entry<Long, String> e : allAcked.entrySet()) {
        assertThat(one(c, "SELECT outcome || ' ' || record_id FROM cards WHERE serial = " + e.getKey()))
            .isEqualTo("ISSUED " + e.getValue());
      }
    }
  }
}
