package dev.perso.core.journal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The card count a bureau must account for: cards fed = issued + rejected (by reason) + purged (+ still
 * inside), per machine and station, with the job's start and end, and every place where the count does
 * not add up named.
 *
 * <pre>{@code
 * Reconciliation r = journal.reconcile();
 * if (!r.addsUp()) r.discrepancies().forEach(System.err::println);
 * }</pre>
 *
 * @param jobId the job
 * @param cardType the card type's name
 * @param started when the first run started
 * @param ended when the last run ended, if it did
 * @param total the counts over the whole job
 * @param byMachine counts per machine, by machine id
 * @param byStation counts per station (the station a card ended at), by station id
 * @param records records per state
 * @param rejectedOnRead records rejected before any card was used (bad data), by reason code
 * @param discrepancies where the counts do not add up; empty when they do
 */
public record Reconciliation(String jobId, String cardType, Instant started, Optional<Instant> ended,
    Counts total, Map<String, Counts> byMachine, Map<String, Counts> byStation,
    Map<RecordState, Long> records, Map<String, Long> rejectedOnRead, List<String> discrepancies) {

  /** Copies the collections. */
  public Reconciliation {
    byMachine = Map.copyOf(byMachine);
    byStation = Map.copyOf(byStation);
    records = Map.copyOf(records);
    rejectedOnRead = Map.copyOf(rejectedOnRead);
    discrepancies = List.copyOf(discrepancies);
  }

  /** @return true when every count adds up */
  public boolean addsUp() {
    return discrepancies.isEmpty();
  }

  /**
   * Physical card counts.
   *
   * @param fed cards fed (VOID ones excluded)
   * @param issued cards issued
   * @param rejectedByReason cards rejected, by reason code (a fault or an error type)
   * @param purged cards purged after a crash
   * @param inside cards still inside a machine
   */
  public record Counts(long fed, long issued, Map<String, Long> rejectedByReason, long purged, long inside) {
    /** Copies the map. */
    public Counts {
      rejectedByReason = Map.copyOf(rejectedByReason);
    }

    /** @return cards rejected, all reasons */
    public long rejected() {
      return rejectedByReason.values().stream().mapToLong(Long::longValue).sum();
    }

    /** @return true when fed = issued + rejected + purged + inside */
    public boolean addsUp() {
      return fed == issued + rejected() + purged + inside;
    }
  }
}
