package dev.perso.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perso.core.device.DeviceContext;
import dev.perso.core.device.Devices;
import dev.perso.core.journal.Journal;
import dev.perso.core.journal.JournalServer;
import dev.perso.core.journal.Reconciliation;
import dev.perso.core.journal.RecordState;
import dev.perso.core.journal.RecordStatus;
import dev.perso.core.line.LineClock;
import dev.perso.core.testing.PostgresServer;
import dev.perso.devices.virtual.PhysicalCard;
import dev.perso.devices.virtual.VirtualWorld;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three controllers, one job: three {@code perso run} child JVMs, each with its own virtual line (transports
 * keeping their physical state in files), share one PostgreSQL journal; each is killed -9 at random points
 * and restarted under its controller id. At the end every record is DONE exactly once or REJECTED with a
 * reason, the output hoppers of all three lines together hold no record twice and exactly the DONE ones, and
 * the reconciliation adds up. Default 150 records and 6 kills; {@code -Dperso.sharedCards=1000} and
 * {@code -Dperso.sharedKills=N} make it the soak; {@code -Dperso.seed} repeats a run.
 */
class SharedJournalKillTest {
  private static final int CARDS = Integer.getInteger("perso.sharedCards", 150);
  private static final int KILLS = Integer.getInteger("perso.sharedKills", 6);
  private static final int CONTROLLERS = 3;

  @Test
  @Timeout(600)
  void threeControllersKilledAtRandomIssueEveryRecordExactlyOnce(@TempDir Path dir) throws Exception {
    long seed = Long.getLong("perso.seed", System.nanoTime());
    Random random = new Random(seed);
    Path batch = TestBatch.write(dir.resolve("batch.jsonl"), CARDS);
    try (PostgresServer pg = PostgresServer.start()) {
      JournalServer db = pg.newDatabase();
      List<Path> lines = new ArrayList<>();
      List<Path> states = new ArrayList<>();
      for (int k = 0; k < CONTROLLERS; k++) {
        Path state = dir.resolve("mx-" + k + ".state");
        states.add(state);
        Path line = dir.resolve("line-" + k + ".json");
        Files.writeString(line, """
            {"name": "shared-%1$d", "machines": [
              {"id": "mx-%1$d", "kind": "conveyor",
               "transport": "virtual:transport?id=mx-%1$d-transport&feedMs=2&state=%2$s",
               "modules": [{"name": "mag", "device": "virtual:magstripe?id=mx-%1$d-mag&ms=15"},
                           {"name": "chip", "stations": 4, "device": "virtual:chip?id=mx-%1$d-chip-{n}&ms=10"},
                           {"name": "print", "device": "virtual:printer?id=mx-%1$d-printer&ms=2"},
                           {"name": "emboss", "device": "virtual:embosser?id=mx-%1$d-embosser&ms=2"},
                           {"name": "indent", "device": "virtual:indenter?id=mx-%1$d-indenter&ms=2"}]}]}
            """.formatted(k, state));
        lines.add(line);
      }
      Process[] running = new Process[CONTROLLERS];
      for (int k = 0; k < CONTROLLERS; k++) {
        running[k] = child(pg, db, k, lines.get(k), batch);
      }
      int killedMidRun = 0;
      for (int kill = 0; kill < KILLS; kill++) {
        int k = random.nextInt(CONTROLLERS);
        // once that controller's line runs (it printed its start line), 0.1 to 0.8 s later: cards are moving
        boolean started = awaitStarted(running[k], dir.resolve("ctl-" + k + ".log"));
        Thread.sleep(100 + random.nextInt(700));
        if (started && running[k].isAlive()) {
          killedMidRun++;
        }
        running[k].destroyForcibly();   // SIGKILL
        assertThat(running[k].waitFor(30, TimeUnit.SECONDS)).isTrue();
        running[k] = child(pg, db, k, lines.get(k), batch);
      }
      // then every controller runs to its end; rounds repeat while records remain open (a record skipped
      // because a controller that was killed was feeding it is done by the next round)
      for (int round = 0; round < 4; round++) {
        for (int k = 0; k < CONTROLLERS; k++) {
          assertThat(running[k].waitFor(300, TimeUnit.SECONDS)).isTrue();
          assertThat(running[k].exitValue()).as("controller %d exit (seed %d): %s", k, seed,
              Files.readString(dir.resolve("ctl-" + k + ".log"))).isZero();
        }
        try (Journal j = Journal.postgresql(db.controller("check"))) {
          var s = j.status();
          if (s.count(RecordState.QUEUED) + s.count(RecordState.IN_PROGRESS) + s.count(RecordState.UNCERTAIN) == 0
              && s.records().values().stream().mapToLong(Long::longValue).sum() == CARDS) {
            break;
          }
        }
        for (int k = 0; k < CONTROLLERS; k++) {
          running[k] = child(pg, db, k, lines.get(k), batch);
        }
      }
      // How many kills land mid-run depends on timing (a loaded machine starts JVMs slowly); at least one must,
      // and the purged cards below show that kills left cards inside the machines.
      assertThat(killedMidRun).as("kills that landed while a controller's line ran (seed %d)", seed)
          .isPositive();

      try (Journal j = Journal.postgresql(db.controller("check"))) {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= CARDS; i++) {
          ids.add(String.format("%04d", i));
        }
        Map<String, RecordStatus> records = j.records(ids);
        assertThat(records).as("seed %d", seed).hasSize(CARDS);
        assertThat(records.values()).as("seed %d", seed).allMatch(s -> s.state() == RecordState.DONE
            || s.state() == RecordState.REJECTED && !s.reason().isEmpty());
        Reconciliation r = j.reconcile();
        assertThat(r.discrepancies()).as("seed %d", seed).isEmpty();
        assertThat(r.total().inside()).isZero();
        assertThat(r.total().purged()).as("cards found inside after kills were purged (seed %d)", seed).isPositive();
        // The work was shared. Which controllers got records depends on where the kills fell: one killed early
        // and often may have issued nothing, so at least two machines, never a record twice (below).
        assertThat(r.byMachine().keySet()).as("the controllers shared the job (seed %d)", seed).hasSizeGreaterThanOrEqualTo(2);

        // the physical cards: every controller's output hopper, together
        Map<String, Integer> issued = new HashMap<>();
        for (Path state : states) {
          DeviceContext ctx = DeviceContext.builder().clock(LineClock.virtual()).build();
          try (var t = Devices.open("virtual:transport?id=check&state=" + state, ctx)) {
            VirtualWorld world = VirtualWorld.of(ctx);
            assertThat(world.inside()).as("no card left inside %s", state).isEmpty();
            for (PhysicalCard c : world.outputHopper()) {
              issued.merge(c.tag().recordId(), 1, Integer::sum);
            }
          }
        }
        assertThat(issued.values()).as("no record issued twice across controllers (seed %d)", seed)
            .allMatch(n -> n == 1);
        assertThat(issued.keySet()).containsExactlyInAnyOrderElementsOf(records.values().stream()
            .filter(s -> s.state() == RecordState.DONE).map(RecordStatus::recordId).toList());
        assertThat((long) issued.size()).isEqualTo(r.total().issued());
        // perso job report reads the shared journal too (credentials from the environment)
        ProcessBuilder report = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), PersoCli.class.getName(),
            "job", "report", "--journal", db.address(), "--json");
        report.environment().put(JournalServer.ENV_USER, PostgresServer.USER);
        report.environment().put(JournalServer.ENV_PASSWORD, pg.password());
        Process rp = report.redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String json = new String(rp.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(rp.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(rp.exitValue()).as(json).isZero();
        assertThat(json).contains("\"job\" : \"shared\"").contains("\"addsUp\" : true");
        System.out.printf("shared journal kill test: %d records, %d controllers, %d kills (%d while running), "
            + "%d cards fed, %d issued, %d rejected, %d purged, by machine %s, seed %d%n", CARDS, CONTROLLERS, KILLS,
            killedMidRun, r.total().fed(), r.total().issued(), r.total().rejected(), r.total().purged(),
            r.byMachine().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().issued()).toList(), seed);
      }
    }
  }

  /** Waits until the log holds more start lines than it held when the child was started. */
  private static boolean awaitStarted(Process p, Path log) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (p.isAlive() && System.nanoTime() < deadline) {
      if (Files.exists(log) && starts(log) > restartsSeen(log)) {
        return true;
      }
      Thread.sleep(20);
    }
    return false;
  }

  private static final Map<Path, Integer> STARTS_WHEN_LAUNCHED = new HashMap<>();

  private static int restartsSeen(Path log) {
    synchronized (STARTS_WHEN_LAUNCHED) {
      return STARTS_WHEN_LAUNCHED.getOrDefault(log, 0);
    }
  }

  private static int starts(Path log) throws IOException {
    return (int) Files.readAllLines(log).stream().filter(l -> l.startsWith("perso run:")).count();
  }

  private static Process child(PostgresServer pg, JournalServer db, int k, Path line, Path batch)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder b = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-Xmx256m", "-cp",
        System.getProperty("java.class.path"), PersoCli.class.getName(), "run", "--line", line.toString(),
        "--card-type", "debit-example", "--input", batch.toString(), "--journal", db.address(), "--job", "shared",
        "--controller", "ctl-" + k);
    // credentials through the environment, never the command line
    b.environment().put(JournalServer.ENV_USER, PostgresServer.USER);
    b.environment().put(JournalServer.ENV_PASSWORD, pg.password());
    Path log = batch.resolveSibling("ctl-" + k + ".log");
    synchronized (STARTS_WHEN_LAUNCHED) {
      STARTS_WHEN_LAUNCHED.put(log, Files.exists(log) ? starts(log) : 0);
    }
    return b.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
  }
}
