package dev.perso.benchmarks;

import dev.perso.core.journal.Journal;
import dev.perso.core.journal.JournalException;
import dev.perso.core.journal.JournalServer;
import dev.perso.core.journal.Reconciliation;
import dev.perso.core.journal.RecordTakenException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The shared journal's own ceiling: N controllers (each its own connection, lease and thread, zero-time
 * devices) take one job's records from one PostgreSQL database the way {@code perso run} does (every
 * controller walks the whole input; a record another holds is skipped), each record claimed (cardFed, a
 * {@code FOR UPDATE SKIP LOCKED} transaction) and completed (issued, a fenced transaction). Prints records per
 * second and the claim latency p50/p99 for 1, 2 and 4 controllers, a fresh job each.
 *
 * <pre>
 * PERSO_JOURNAL_USER=journal PERSO_JOURNAL_PASSWORD=... java -cp benchmarks.jar dev.perso.benchmarks.SharedJournalFigures \
 *     postgresql://127.0.0.1:55432/ RECORDS DB1 DB2 DB3
 * </pre>
 * (one empty database per controller count: a database holds one job)
 */
public final class SharedJournalFigures {
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

  private SharedJournalFigures() {}

  public static void main(String[] args) throws Exception {
    String base = args[0];
    int records = Integer.parseInt(args[1]);
    int[] controllers = {1, 2, 4};
    for (int i = 0; i < controllers.length; i++) {
      JournalServer db = JournalServer.parse(base + args[2 + i]).credentialsFrom(System.getenv());
      run(db, controllers[i], records);
    }
  }

  private static void run(JournalServer db, int n, int records) throws Exception {
    Map<String, String> ids = new LinkedHashMap<>();
    for (int i = 0; i < records; i++) {
      ids.put(String.format("%07d", i), "bench.jsonl:" + (i + 1));
    }
    try (Journal setup = Journal.postgresql(db.controller("setup"))) {
      setup.begin("bench", "debit", "bench.jsonl", NOW);
      setup.queued(ids);
    }
    List<long[]> latencies = new ArrayList<>();
    AtomicLong done = new AtomicLong();
    AtomicLong skipped = new AtomicLong();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    List<Journal> journals = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      Journal j = Journal.postgresql(db.controller("ctl-" + k));
      j.begin("bench", "debit", "bench.jsonl", NOW);
      journals.add(j);
      long[] lat = new long[records];
      latencies.add(lat);
      int me = k;
      threads.add(new Thread(() -> {
        int count = 0;
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (String id : ids.keySet()) {
          long t0 = System.nanoTime();
          long card;
          try {
            card = j.cardFed(id, "mx-" + me, "mx-" + me + "/feeder", NOW);
          } catch (RecordTakenException e) {
            skipped.incrementAndGet();
            continue;
          } catch (JournalException e) {
            skipped.incrementAndGet();   // DONE by another controller already
            continue;
          }
          lat[count++] = System.nanoTime() - t0;
          j.issued(card, Map.of(), NOW);
          done.incrementAndGet();
        }
        lat[records - 1] = count;   // the last slot holds the count (records > claims of one controller)
      }));
    }
    threads.forEach(Thread::start);
    long t0 = System.nanoTime();
    start.countDown();
    for (Thread t : threads) {
      t.join();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    List<Long> all = new ArrayList<>();
    for (long[] lat : latencies) {
      int count = (int) lat[records - 1];
      for (int i = 0; i < count && i < records - 1; i++) {
        all.add(lat[i]);
      }
    }
    long[] sorted = all.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(sorted);
    Reconciliation r = journals.get(0).reconcile();
    for (Journal j : journals) {
      j.close();
    }
    System.out.printf(Locale.ROOT, "%d controller(s): %d records claimed+completed in %.2f s = %.0f records/s;"
        + " claim latency p50 %.2f ms, p99 %.2f ms; %d skips (held or done elsewhere); issued %d, adds up %s%n",
        n, done.get(), seconds, done.get() / seconds, sorted[sorted.length / 2] / 1e6,
        sorted[(int) (sorted.length * 0.99)] / 1e6, skipped.get(), r.total().issued(), r.addsUp());
  }
}
