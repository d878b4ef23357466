package dev.perso.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perso.core.device.DeviceContext;
import dev.perso.core.device.Devices;
import dev.perso.core.journal.Journal;
import dev.perso.core.journal.Reconciliation;
import dev.perso.core.journal.RecordState;
import dev.perso.core.journal.RecordStatus;
import dev.perso.core.line.LineClock;
import dev.perso.devices.virtual.PhysicalCard;
import dev.perso.devices.virtual.VirtualWorld;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill -9: {@code perso run} in a child JVM on a virtual line whose transports keep their physical state in
 * files (cards inside, output hopper, reject bin), killed at random points and resumed each time. At the
 * end every record is DONE exactly once or REJECTED with a reason, the output hoppers hold no card twice,
 * and the reconciliation adds up. Default: 200 cards and 20 kills; {@code -Dperso.kills=N} and
 * {@code -Dperso.killCards=N} make it a longer soak; {@code -Dperso.seed} repeats a run.
 */
class LineKillTest {
  private static final int CARDS = Integer.getInteger("perso.killCards", 200);
  private static final int KILLS = Integer.getInteger("perso.kills", 20);

  @Test
  @Timeout(600)
  void killedAtRandomPointsAndResumedEveryRecordIsIssuedExactlyOnce(@TempDir Path dir) throws Exception {
    long seed = Long.getLong("perso.seed", System.nanoTime());
    Random random = new Random(seed);
    Path batch = TestBatch.write(dir.resolve("batch.jsonl"), CARDS);
    Path journal = dir.resolve("job.db");
    Path line = dir.resolve("line.json");
    Path mxState = dir.resolve("mx-1.state");
    Path deskState = dir.resolve("desk-1.state");
    // about 20 cards a second: a kill 0.1 to 0.6 s after the run starts leaves most of the batch for later
    // rounds, so kills keep landing while cards are moving
    Files.writeString(line, """
        {"name": "killable", "machines": [
          {"id": "mx-1", "kind": "conveyor",
           "transport": "virtual:transport?id=mx-1-transport&feedMs=2&state=%s",
           "modules": [{"name": "mag", "device": "virtual:magstripe?id=mx-1-mag&ms=80&readErrorAt=17"},
                       {"name": "chip", "stations": 4, "device": "virtual:chip?id=mx-1-chip-{n}&ms=20"}]},
          {"id": "desk-1", "kind": "desktop",
           "devices": ["virtual:desktop?id=desk-1&stripeMs=60&chipMs=60&state=%s"]}]}
        """.formatted(mxState, deskState));
    int killedMidRun = 0;
    for (int round = 0; round < KILLS; round++) {
      Process p = child(line, batch, journal);
      CountDownLatch progressing = new CountDownLatch(1);
      List<String> out = new ArrayList<>();
      Thread reader = new Thread(() -> read(p, out, progressing));
      reader.start();
      boolean sawProgress = progressing.await(60, TimeUnit.SECONDS);
      Thread.sleep(100 + random.nextInt(500));
      boolean alive = p.isAlive();
      p.destroyForcibly();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      reader.join();
      if (alive && sawProgress) {
        killedMidRun++;
      }
    }
    Process last = child(line, batch, journal);
    List<String> out = new ArrayList<>();
    Thread reader = new Thread(() -> read(last, out, new CountDownLatch(1)));
    reader.start();
    assertThat(last.waitFor(120, TimeUnit.SECONDS)).isTrue();
    reader.join();
    assertThat(last.exitValue()).as("seed %d: %s", seed, out).isZero();
    assertThat(killedMidRun).as("kills that landed while cards were moving (seed %d)", seed).isGreaterThan(KILLS / 2);

    try (Journal j = Journal.sqlite(journal)) {
      List<String> ids = new ArrayList<>();
      for (int i = 1; i <= CARDS; i++) {
        ids.add(String.format("%04d", i));
      }
      Map<String, RecordStatus> records = j.records(ids);
      assertThat(records).as("seed %d", seed).hasSize(CARDS);
      assertThat(records.values()).as("seed %d", seed).allMatch(s -> s.state() == RecordState.DONE
          || s.state() == RecordState.REJECTED && !s.reason().isEmpty());
      // a purge after a kill always remakes its record: only the read-back error on cue may reject one for good
      assertThat(records.values()).as("seed %d", seed).filteredOn(s -> s.state() == RecordState.REJECTED)
          .allMatch(s -> s.reason().startsWith("READ_BACK_MISMATCH")).hasSizeLessThanOrEqualTo(1);
      Reconciliation r = j.reconcile();
      assertThat(r.discrepancies()).as("seed %d", seed).isEmpty();
      assertThat(r.total().inside()).isZero();
      assertThat(r.total().purged()).as("cards found inside after kills were purged (seed %d)", seed).isPositive();
      assertThat(r.byStation().values()).allMatch(Reconciliation.Counts::addsUp);

      // the physical cards: reopen the transports' state and count what reached the output hoppers
      Map<String, Integer> issued = new HashMap<>();
      for (Path state : List.of(mxState, deskState)) {
        DeviceContext ctx = DeviceContext.builder().clock(LineClock.virtual()).build();
        String address = state == mxState ? "virtual:transport?id=check&state=" + state
            : "virtual:desktop?id=check&state=" + state;
        try (var t = Devices.open(address, ctx)) {
          VirtualWorld world = VirtualWorld.of(ctx);
          assertThat(world.inside()).as("no card left inside %s", state).isEmpty();
          for (PhysicalCard c : world.outputHopper()) {
            issued.merge(c.tag().recordId(), 1, Integer::sum);
          }
        }
      }
      assertThat(issued.values()).as("no record issued twice (seed %d)", seed).allMatch(n -> n == 1);
      assertThat(issued.keySet()).containsExactlyInAnyOrderElementsOf(records.values().stream()
          .filter(s -> s.state() == RecordState.DONE).map(RecordStatus::recordId).toList());
      assertThat((long) issued.size()).isEqualTo(r.total().issued());
      System.out.printf("kill test: %d records, %d kills (%d while the line ran), %d cards fed, %d issued, "
          + "%d rejected %s, %d purged after restarts, seed %d%n", CARDS, KILLS, killedMidRun, r.total().fed(),
          r.total().issued(), r.total().rejected(), r.total().rejectedByReason(), r.total().purged(), seed);
    }
  }

  private static Process child(Path line, Path batch, Path journal) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        PersoCli.class.getName(), "run", "--line", line.toString(), "--card-type", "debit-example", "--input",
        batch.toString(), "--journal", journal.toString(), "--durability", "PROCESS_CRASH_SAFE")
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }

  private static void read(Process p, List<String> out, CountDownLatch progressing) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String l;
      while ((l = r.readLine()) != null) {
        synchronized (out) {
          out.add(l);
        }
        if (l.startsWith("perso run:")) {
          progressing.countDown();   // the files are read and the line is running
        }
      }
    } catch (IOException e) {
      // the child was killed
    } finally {
      progressing.countDown();
    }
  }
}
