package dev.perso.core.line;

import dev.perso.core.journal.Reconciliation;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What a run of a job did, on the line's clock, and the journal's reconciliation after it.
 *
 * <pre>{@code
 * JobReport r = line.run(job, events);
 * System.out.printf("%d issued, %d rejected, %.0f cards/hour%n", r.issued(), r.rejectedCards(), r.cardsPerHour());
 * r.reconciliation().addsUp();
 * }</pre>
 *
 * @param jobId the job
 * @param resumed whether this run resumed an earlier one
 * @param started when the run started (line clock)
 * @param ended when it ended (line clock)
 * @param recordsRead records read from the input in this run
 * @param alreadyFinished records skipped because the journal had them DONE or REJECTED
 * @param issued cards issued in this run
 * @param rejectedCards cards rejected in this run
 * @param remade records queued again for a new card in this run
 * @param recordsRejected records rejected for good in this run (bad data or no remake left)
 * @param purged cards purged from machines when the run started (after a crash)
 * @param byMachine issued and rejected cards per machine in this run
 * @param reconciliation the journal's reconciliation at the end
 */
public record JobReport(String jobId, boolean resumed, Instant started, Instant ended, long recordsRead,
    long alreadyFinished, long issued, long rejectedCards, long remade, long recordsRejected, long purged,
    Map<String, MachineCounts> byMachine, Reconciliation reconciliation) {

  /** Copies the map. */
  public JobReport {
    byMachine = Map.copyOf(byMachine);
  }

  /**
   * Cards per machine.
   *
   * @param issued cards issued
   * @param rejected cards rejected
   */
  public record MachineCounts(long issued, long rejected) {}

  /** @return how long the run took on the line's clock */
  public Duration elapsed() {
    return Duration.between(started, ended);
  }

  /** @return cards issued per hour of line time in this run */
  public double cardsPerHour() {
    double s = elapsed().toNanos() / 1e9;
    return s <= 0 ? 0 : issued * 3600.0 / s;
  }
}
