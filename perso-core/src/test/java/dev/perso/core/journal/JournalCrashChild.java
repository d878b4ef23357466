package dev.perso.core.journal;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * A journal writer for the crash and multi-process tests, run in its own JVM: {@code <file> <durability>
 * <prefix> <records>}. It queues {@code <prefix>-0 ... <prefix>-(n-1)}, then feeds, moves and issues a card
 * for each (every tenth rejected with a remake first) and prints {@code ISSUED <serial> <record>} once each
 * update is acknowledged, then {@code END}.
 */
public final class JournalCrashChild {
  private JournalCrashChild() {}

  /**
   * @param args file, durability, record id prefix, record count
   */
  public static void main(String[] args) {
    Path file = Path.of(args[0]);
    Durability durability = Durability.valueOf(args[1]);
    String prefix = args[2];
    int n = Integer.parseInt(args[3]);
    Instant now = Instant.parse("2030-01-01T00:00:00Z");
    try (Journal j = Journal.sqlite(file, durability)) {
      j.begin("crash-job", "debit", "crash.jsonl", now);
      Map<String, String> queue = new java.util.LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        queue.put(prefix + "-" + i, "crash.jsonl:" + (i + 1));
      }
      j.queued(queue);
      for (int i = 0; i < n; i++) {
        String id = prefix + "-" + i;
        if (j.record(id).orElseThrow().state() != RecordState.QUEUED) {
          continue;
        }
        if (i % 10 == 0) {
          long bad = j.cardFed(id, "mx-" + prefix, "feeder", now);
          j.rejected(bad, "CHIP_MUTE", "no answer", true, now);
        }
        long card = j.cardFed(id, "mx-" + prefix, "feeder", now);
        j.stepStarted(card, "chip", "emv");
        j.issued(card, Map.of(), now);
        System.out.println("ISSUED " + card + " " + id);
        System.out.flush();
      }
    }
    System.out.println("END");
    System.out.flush();
  }
}
