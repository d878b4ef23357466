package dev.perso.core.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.ValidationException;
import dev.perso.core.testing.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only the shared journal does: several controllers on one job, leases, fencing, takeover. */
class PostgresSharedJournalTest {
  static final Instant T0 = Instant.parse("2030-01-02T03:04:05.678Z");
  static PostgresServer pg;

  @TempDir
  Path dir;

  @BeforeAll
  static void startServer() {
    pg = PostgresServer.start();
  }

  @AfterAll
  static void stopServer() {
    if (pg != null) {
      pg.close();
    }
  }

  private static Map<String, String> ids(int n) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      m.put(String.format("r%04d", i), "batch.jsonl:" + (i + 1));
    }
    return m;
  }

  private static String databaseOf(JournalServer s) {
    return s.address().substring(s.address().lastIndexOf('/') + 1);
  }

  @Test
  void threeControllersFeedingTheSameRecordsIssueEachExactlyOnce() throws Exception {
    JournalServer db = pg.newDatabase();
    Map<String, String> records = ids(300);
    Map<String, String> issuedBy = new ConcurrentHashMap<>();
    List<String> doubles = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    List<Future<Integer>> done = new ArrayList<>();
    for (int k = 0; k < 3; k++) {
      String ctl = "ctl-" + k;
      done.add(pool.submit(() -> {
        int mine = 0;
        try (Journal j = Journal.postgresql(db.controller(ctl))) {
          j.begin("job-1", "debit", "batch.jsonl", T0);
          j.queued(records);
          for (String id : records.keySet()) {   // every controller reads the whole input, as perso run does
            long card;
            try {
              card = j.cardFed(id, ctl, ctl + "/feeder", T0);
            } catch (RecordTakenException e) {
              continue;
            } catch (JournalException e) {
              assertThat(j.record(id).orElseThrow().state()).isIn(RecordState.DONE, RecordState.IN_PROGRESS);
              continue;
            }
            j.issued(card, Map.of("chip.serial", id), T0);
            if (issuedBy.put(id, ctl) != null) {
              synchronized (doubles) {
                doubles.add(id);
              }
            }
            mine++;
          }
        }
        return mine;
      }));
    }
    int total = 0;
    for (Future<Integer> f : done) {
      total += f.get();
    }
    pool.shutdown();
    assertThat(doubles).isEmpty();
    assertThat(total).isEqualTo(300);
    assertThat(issuedBy).hasSize(300);
    try (Journal j = Journal.postgresql(db.controller("report"))) {
      Reconciliation r = j.reconcile();
      assertThat(r.addsUp()).as(r.discrepancies().toString()).isTrue();
      assertThat(r.total().issued()).isEqualTo(300);
      assertThat(r.records()).isEqualTo(Map.of(RecordState.DONE, 300L));
    }
  }

  @Test
  void aCardIsNeverReassignedToARecordAnotherControllerHoldsNorExchangedWithItsCard() {
    JournalServer db = pg.newDatabase();
    try (Journal a = Journal.postgresql(db.controller("a"));
         Journal b = Journal.postgresql(db.controller("b"))) {
      a.begin("job-1", "finish", "debit", "in", T0);
      b.begin("job-1", "finish", "debit", "in", T0);
      a.queued(ids(4));
      long ca = a.cardFed("r0000", "mx-a", "f", T0);
      long cb = b.cardFed("r0001", "mx-b", "f", T0);
      // a's card belongs to r0001, which b holds: refused as taken, and a's card keeps its record
      assertThatThrownBy(() -> a.reassigned(ca, "r0001", T0)).isInstanceOf(RecordTakenException.class)
          .hasMessageContaining("controller b");
      assertThatThrownBy(() -> a.exchanged(ca, cb, T0)).isInstanceOf(JournalException.class)
          .hasMessageContaining("controller b");
      assertThatThrownBy(() -> b.reassigned(ca, "r0002", T0)).isInstanceOf(JournalException.class)
          .hasMessageContaining("controller a");
      assertThat(a.record("r0000").orElseThrow().state()).isEqualTo(RecordState.IN_PROGRESS);
      // a QUEUED record is taken, and the other controller can no longer feed it
      a.reassigned(ca, "r0002", T0);
      assertThatThrownBy(() -> b.cardFed("r0002", "mx-b", "f", T0)).isInstanceOf(RecordTakenException.class);
      assertThat(b.record("r0000").orElseThrow().state()).isEqualTo(RecordState.QUEUED);
      long ca2 = a.cardFed("r0000", "mx-a", "f", T0);
      a.exchanged(ca, ca2, T0);
      a.issued(ca, Map.of("chip-serial", "S-0"), T0);
      a.issued(ca2, Map.of("chip-serial", "S-2"), T0);
      b.issued(cb, Map.of(), T0);
      assertThat(b.recordsWithOutput("chip-serial", "S-0")).containsExactly("r0000");
      assertThat(b.recordsWithOutput("chip-serial", "S-2")).containsExactly("r0002");
      Reconciliation r = b.reconcile();
      assertThat(r.addsUp()).as(r.discrepancies().toString()).isTrue();
      assertThat(r.total()).isEqualTo(new Reconciliation.Counts(3, 3, Map.of(), 0, 0));
      assertThat(a.record("r0000").orElseThrow().attempts()).isEqualTo(1);
    }
  }

  @Test
  void aControllerWhoseLeaseExpiredCompletesNothingAndItsRecordsBecomeUncertain() throws Exception {
    JournalServer db = pg.newDatabase().lease(Duration.ofMillis(600));
    try (Journal a = Journal.postgresql(db.controller("a"));
         Journal b = Journal.postgresql(db.controller("b"))) {
      a.begin("job-1", "debit", "in", T0);
      b.begin("job-1", "debit", "in", T0);
      a.queued(ids(3));
      long ca = a.cardFed("r0000", "mx-a", "f", T0);
      long cb = b.cardFed("r0001", "mx-b", "f", T0);
      assertThatThrownBy(() -> b.cardFed("r0000", "mx-b", "f", T0)).isInstanceOf(RecordTakenException.class)
          .hasMessageContaining("controller a");
      // b may not finish a's card, nor recover it
      assertThatThrownBy(() -> b.issued(ca, Map.of(), T0)).isInstanceOf(JournalException.class)
          .hasMessageContaining("controller a");
      assertThat(b.recover()).extracting(OpenCard::serial).containsExactly(cb);   // as after b's restart
      b.purged(cb, true, T0);
      // a stops renewing (as a hung or dead process would): its lease expires, b takes its record over
      try (Connection c = pg.connect(databaseOf(db)); Statement st = c.createStatement()) {
        st.executeUpdate("UPDATE controllers SET lease_until = now() - interval '1 second' WHERE controller_id = 'a'");
      }
      b.recover();
      assertThat(b.record("r0000").orElseThrow().state()).isEqualTo(RecordState.UNCERTAIN);
      // refused by the fence whichever a noticed first: its lost lease or its record taken over
      assertThatThrownBy(() -> a.issued(ca, Map.of(), T0)).isInstanceOf(JournalException.class)
          .hasMessageMatching("(?s).*(is UNCERTAIN|lost its lease).*");
      assertThat(b.record("r0000").orElseThrow().state()).isEqualTo(RecordState.UNCERTAIN);
      assertThatThrownBy(() -> a.cardFed("r0002", "mx-a", "f", T0)).isInstanceOf(JournalException.class)
          .hasMessageContaining("lost its lease");
      b.issued(b.cardFed("r0001", "mx-b", "f", T0), Map.of(), T0);
    }
    // a starts again under its id: it recovers its own card and purges it; the record is remade
    try (Journal a = Journal.postgresql(db.controller("a"))) {
      a.begin("job-1", "debit", "in", T0);
      List<OpenCard> open = a.recover();
      assertThat(open).extracting(OpenCard::recordId).containsExactly("r0000");
      a.purged(open.get(0).serial(), true, T0);
      a.issued(a.cardFed("r0000", "mx-a", "f", T0), Map.of(), T0);
      Reconciliation r = a.reconcile();
      assertThat(r.addsUp()).as(r.discrepancies().toString()).isTrue();
      assertThat(r.total()).isEqualTo(new Reconciliation.Counts(4, 2, Map.of(), 2, 0));
    }
  }

  @Test
  void aServerCrashLosesNoAcknowledgedUpdate() throws Exception {
    // the server runs with synchronous_commit=on: every update the journal returned from is on disk
    JournalServer db = pg.newDatabase();
    Map<String, String> records = ids(2000);
    List<String> acknowledged = java.util.Collections.synchronizedList(new ArrayList<>());
    Thread writer;
    try (Journal a = Journal.postgresql(db.controller("crash"))) {
      a.begin("job-1", "debit", "in", T0);
      a.queued(records);
      writer = new Thread(() -> {
        for (String id : records.keySet()) {
          try {
            a.issued(a.cardFed(id, "mx", "f", T0), Map.of(), T0);
            acknowledged.add(id);
          } catch (JournalException e) {
            return;   // the connection died with its backend
          }
        }
      });
      writer.start();
      while (acknowledged.size() < 100) {
        Thread.sleep(5);
      }
      assertThat(pg.killBackends("perso crash")).isEqualTo(1);
      writer.join(30_000);
      assertThat(writer.isAlive()).isFalse();
    }
    pg.awaitAccepting();
    try (Journal again = Journal.postgresql(db.controller("crash"))) {
      again.begin("job-1", "debit", "in", T0);
      Map<String, RecordStatus> after = again.records(acknowledged);
      assertThat(after.values()).hasSize(acknowledged.size()).allMatch(s -> s.state() == RecordState.DONE);
      for (OpenCard open : again.recover()) {
        again.purged(open.serial(), true, T0);   // a card fed when the server died
      }
      Reconciliation r = again.reconcile();
      assertThat(r.addsUp()).as(r.discrepancies().toString()).isTrue();
      assertThat(r.total().issued()).isGreaterThanOrEqualTo(acknowledged.size());
    }
  }

  @Test
  void aSecondProcessUnderTheSameIdFencesTheFirst() {
    JournalServer db = pg.newDatabase();
    try (Journal old = Journal.postgresql(db.controller("a"))) {
      old.begin("job-1", "debit", "in", T0);
      old.queued(ids(2));
      long card = old.cardFed("r0000", "mx", "f", T0);
      try (Journal restarted = Journal.postgresql(db.controller("a"))) {
        restarted.begin("job-1", "debit", "in", T0);
        assertThatThrownBy(() -> old.issued(card, Map.of(), T0)).isInstanceOf(JournalException.class)
            .hasMessageContaining("lost its lease");
        assertThat(restarted.recover()).extracting(OpenCard::serial).containsExactly(card);
      }
    }
  }

  @Test
  void theLeaseIsRenewedWhileTheControllerRuns() throws Exception {
    JournalServer db = pg.newDatabase().lease(Duration.ofMillis(600));
    try (Journal a = Journal.postgresql(db.controller("a"))) {
      a.begin("job-1", "debit", "in", T0);
      a.queued(ids(1));
      long card = a.cardFed("r0000", "mx", "f", T0);
      Thread.sleep(1500);   // two and a half leases: the renewer kept it alive
      a.issued(card, Map.of(), T0);
      assertThat(a.record("r0000").orElseThrow().state()).isEqualTo(RecordState.DONE);
    }
  }

  @Test
  void stageOutputsAreKeptPerRecord() throws Exception {
    JournalServer db = pg.newDatabase();
    try (Journal a = Journal.postgresql(db.controller("a"))) {
      a.begin("job-1", "debit", "in", T0);
      a.issued(a.cardFed("r0000", "mx", "f", T0), Map.of("chip.serial", "0102"), T0);
    }
    try (Connection c = pg.connect(databaseOf(db)); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT stage_outputs FROM records WHERE record_id = 'r0000'")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("{\"chip.serial\":\"0102\"}");
    }
  }

  @Test
  void credentialsComeFromTheEnvironmentOrAFileNeverFromTheAddress() throws Exception {
    assertThatThrownBy(() -> JournalServer.parse("postgresql://u:secret@127.0.0.1:5432/db"))
        .isInstanceOf(ValidationException.class).hasMessageNotContaining("secret");
    assertThatThrownBy(() -> JournalServer.parse("postgresql://127.0.0.1:5432/db?password=secret"))
        .isInstanceOf(ValidationException.class).hasMessageNotContaining("secret");
    assertThatThrownBy(() -> JournalServer.parse("mysql://127.0.0.1/db")).isInstanceOf(ValidationException.class);
    JournalServer db = pg.newDatabase();
    JournalServer bare = JournalServer.parse(db.address());
    assertThatThrownBy(() -> Journal.postgresql(bare)).isInstanceOf(JournalException.class)
        .hasMessageContaining(JournalServer.ENV_USER);
    Path pw = dir.resolve("pw");
    Files.writeString(pw, pg.password() + "\n");
    Map<String, String> env = new HashMap<>();
    env.put(JournalServer.ENV_USER, PostgresServer.USER);
    env.put(JournalServer.ENV_PASSWORD_FILE, pw.toString());
    JournalServer fromFile = bare.credentialsFrom(env).controller("a");
    assertThat(fromFile.toString()).doesNotContain(pg.password());
    try (Journal j = Journal.postgresql(fromFile)) {
      assertThat(j.status().jobId()).isEmpty();
    }
    env.remove(JournalServer.ENV_PASSWORD_FILE);
    env.put(JournalServer.ENV_PASSWORD, "wrong-password");
    assertThatThrownBy(() -> Journal.postgresql(bare.credentialsFrom(env)))
        .isInstanceOf(JournalException.class).hasMessageNotContaining("wrong-password");
  }
}
