package dev.perso.core.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Any sequence of journal calls, legal or not, gives the same answers on the SQLite and in-memory journals,
 * also when the SQLite journal is closed and opened again in between (its cards then belong to an earlier
 * instance, and the steps it kept in memory must have reached the file).
 */
class JournalEquivalenceProperties {
  private static final Instant T0 = Instant.parse("2030-01-02T03:04:05Z");
  private static final int RECORDS = 6;

  @Property(tries = 100)
  void sqliteBehavesExactlyAsInMemory(@ForAll @Size(min = 5, max = 70) List<@IntRange(min = 0, max = 99_999) Integer> ops)
      throws IOException {
    Path dir = Files.createTempDirectory("journal-prop");
    Path file = dir.resolve("p.db");
    Journal sql = Journal.sqlite(file, Durability.PROCESS_CRASH_SAFE);
    try (Journal mem = Journal.inMemory()) {
      same(mem, sql, j -> j.begin("job", "debit", "in.jsonl", T0));
      long serials = 0;
      for (int i = 0; i < ops.size(); i++) {
        int op = ops.get(i) % 21;
        int arg = ops.get(i) / 21;
        if (op == 20) {
          sql.close();
          sql = Journal.sqlite(file, Durability.PROCESS_CRASH_SAFE);
          continue;
        }
        String id = "r" + arg % RECORDS;
        // mostly the newest cards; sometimes any, 0 and serials+1 being unknown cards
        long card = arg % 5 == 0 ? arg % (serials + 2) : Math.max(1, serials - arg / 5 % 2);
        Instant now = T0.plusSeconds(i + 1);
        Object result = same(mem, sql, j -> switch (op) {
          case 0 -> run(() -> j.queued(Map.of(id, "in.jsonl:" + arg % 7)));
          case 1 -> run(() -> j.queued(Map.of(id, "a", "r" + (arg + 1) % RECORDS, "b")));
          case 2 -> run(() -> j.rejectedOnRead(arg % 3 == 0 ? "?" : id, "in.jsonl:" + arg % 4,
              "Code" + arg % 2, "field " + arg % 5));
          case 3, 4, 5, 6 -> j.cardFed(id, "mx-" + arg % 2, "st-" + arg % 3, now);
          case 7, 18 -> run(() -> j.stepStarted(card, "st-" + arg % 4, "step" + arg % 2));
          case 8, 9, 10, 11, 19 -> run(() -> j.issued(card, arg % 2 == 0 ? Map.of() : Map.of("k", "v"), now));
          case 12 -> j.rejected(card, "FAULT_" + arg % 3, "why", arg % 2 == 0, now);
          case 13 -> j.recover();
          case 14 -> run(() -> j.purged(card, arg % 2 == 0, now));
          case 15 -> run(() -> j.notFed(card));
          case 16 -> run(() -> j.ejectedAfterRestart(card));
          default -> arg % 2 == 0 ? run(() -> j.end(now)) : j.begin("job", "debit", "x", now);
        });
        if (result instanceof Long) {
          serials++;
        }
      }
      List<String> ids = Stream.concat(Stream.iterate(0, k -> k + 1).limit(RECORDS).map(k -> "r" + k),
          Stream.iterate(0, k -> k + 1).limit(4).map(k -> "?@in.jsonl:" + k)).toList();
      same(mem, sql, j -> j.records(ids));
      same(mem, sql, Journal::status);
      same(mem, sql, Journal::reconcile);
      assertThat(sql.reconcile().addsUp()).isTrue();
      Map<CardOutcome, Long> cards = sql.status().cards();
      Statistics.label("issued").collect(cards.containsKey(CardOutcome.ISSUED));
      Statistics.label("purged or void").collect(cards.containsKey(CardOutcome.PURGED)
          || cards.containsKey(CardOutcome.VOID));
    } finally {
      sql.close();
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static Object run(Runnable r) {
    r.run();
    return "ok";
  }

  /** Calls both; both must answer the same or both refuse with a JournalException. */
  private static Object same(Journal mem, Journal sql, Function<Journal, Object> call) {
    List<Object> out = new ArrayList<>();
    for (Journal j : List.of(mem, sql)) {
      try {
        out.add(call.apply(j));
      } catch (JournalException e) {
        out.add(JournalException.class);
      }
    }
    assertThat(out.get(1)).isEqualTo(out.get(0));
    return out.get(0);
  }
}
