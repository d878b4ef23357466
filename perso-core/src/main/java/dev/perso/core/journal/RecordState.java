package dev.perso.core.journal;

/**
 * Where a record stands in a job. QUEUED -> IN_PROGRESS -> DONE | REJECTED; a card rejected with a
 * remake left sends its record back to QUEUED; after a crash with its card inside a machine a record
 * is UNCERTAIN until that card is purged (or, already journaled DONE, ejected).
 *
 * <pre>{@code
 * if (journal.record("0001").map(RecordStatus::state).orElse(null) == RecordState.DONE) skip();
 * }</pre>
 */
public enum RecordState {
  /** Known to the job, waiting for a card. */
  QUEUED,
  /** A card is being personalized with it. */
  IN_PROGRESS,
  /** Issued: a card with it reached the output. Never personalized again. */
  DONE,
  /** Given up, with a reason. */
  REJECTED,
  /** A controller stopped while its card was inside a machine: resolved at the next start. */
  UNCERTAIN;

  /** @return true for DONE and REJECTED */
  public boolean isFinal() {
    return this == DONE || this == REJECTED;
  }
}
