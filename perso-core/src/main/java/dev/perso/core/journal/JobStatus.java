package dev.perso.core.journal;

import java.util.Map;

/**
 * A snapshot of a job: records per state and cards per outcome.
 *
 * <pre>{@code
 * JobStatus s = journal.status();
 * s.records().getOrDefault(RecordState.DONE, 0L);
 * }</pre>
 *
 * @param jobId the job, or empty if the journal has none
 * @param cardType the card type's name
 * @param records records per state
 * @param cards cards per outcome
 * @param stage the stage the journal keeps, {@code ""} for a job without declared stages
 */
public record JobStatus(String jobId, String cardType, Map<RecordState, Long> records, Map<CardOutcome, Long> cards,
    String stage) {
  /** Copies the maps. */
  public JobStatus {
    records = Map.copyOf(records);
    cards = Map.copyOf(cards);
    stage = stage == null ? "" : stage;
  }

  /**
   * A job without declared stages.
   *
   * @param jobId the job, or empty if the journal has none
   * @param cardType the card type's name
   * @param records records per state
   * @param cards cards per outcome
   */
  public JobStatus(String jobId, String cardType, Map<RecordState, Long> records, Map<CardOutcome, Long> cards) {
    this(jobId, cardType, records, cards, "");
  }

  /**
   * @param state a state
   * @return how many records are in it
   */
  public long count(RecordState state) {
    return records.getOrDefault(state, 0L);
  }
}
