package dev.perso.core.journal;

import java.util.Objects;

/**
 * A record's journal entry.
 *
 * <pre>{@code
 * RecordStatus s = journal.record("0001").orElseThrow();
 * s.state();      // IN_PROGRESS
 * s.station();    // "mx-1/chip-3"
 * }</pre>
 *
 * @param recordId the record's id
 * @param state where it stands
 * @param attempts physical cards used for it so far
 * @param machine the machine of its last card, or empty
 * @param station the station of its last card, or empty
 * @param step the step its last card was at, or empty
 * @param reason why it was rejected (code and words), or empty
 * @param location where it was read, e.g. {@code batch.jsonl:17}
 */
public record RecordStatus(String recordId, RecordState state, int attempts, String machine, String station,
    String step, String reason, String location) {
  /** Normalises nulls to empty strings. */
  public RecordStatus {
    Objects.requireNonNull(recordId, "recordId");
    Objects.requireNonNull(state, "state");
    machine = machine == null ? "" : machine;
    station = station == null ? "" : station;
    step = step == null ? "" : step;
    reason = reason == null ? "" : reason;
    location = location == null ? "" : location;
  }
}
