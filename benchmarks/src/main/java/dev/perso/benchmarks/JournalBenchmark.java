package dev.perso.benchmarks;

import dev.perso.core.journal.Durability;
import dev.perso.core.journal.Journal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The journal's cost per card: one record's life cycle (cardFed + stepStarted + issued, each a committed
 * transaction) per operation, on the SQLite journal with {@link Durability#FULL} (synced to disk; stepStarted
 * is kept in memory and written by the next update's transaction) and {@link Durability#PROCESS_CRASH_SAFE}, and on the in-memory journal. A line
 * of a few machines needs tens of records per second; the journal must never be the bottleneck.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class JournalBenchmark {
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

  @Param({"SQLITE_FULL", "SQLITE_PROCESS_CRASH_SAFE", "IN_MEMORY"})
  public String journal;

  private Path dir;
  private Journal j;
  private long next;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("journal-bench");
    j = switch (journal) {
      case "SQLITE_FULL" -> Journal.sqlite(dir.resolve("bench.db"), Durability.FULL);
      case "SQLITE_PROCESS_CRASH_SAFE" -> Journal.sqlite(dir.resolve("bench.db"), Durability.PROCESS_CRASH_SAFE);
      default -> Journal.inMemory();
    };
    j.begin("bench", "debit", "bench.jsonl", NOW);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    j.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** One record through the line: fed, at a station, issued (records per second). */
  @Benchmark
  public long cardLifeCycle() {
    long card = j.cardFed("r" + next++, "mx-1", "mx-1/feeder", NOW);
    j.stepStarted(card, "mx-1/chip-1", "emv");
    j.issued(card, Map.of(), NOW);
    return card;
  }
}
