package dev.perso.core.journal;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A record's entry for one stage of a job: what a later stage reads before it continues a card. Stage
 * outputs are identifiers only (a chip serial, a card id), never secrets or track data.
 *
 * <pre>{@code
 * StageRecord chip = chipJournal.stageRecord("0001").orElseThrow();
 * chip.done();                       // true: the chip stage issued a card for it
 * chip.outputs().get("chip-serial"); // "4F2A0001"
 * }</pre>
 *
 * @param recordId the record's id
 * @param stage the stage's name ({@code ""} for a job without declared stages)
 * @param state where the record stands in this stage
 * @param machine the machine of its last card, or empty
 * @param station the station of its last card, or empty
 * @param finished when its card was issued in this stage, if it was
 * @param outputs the small outputs its issued card left, by name
 */
public record StageRecord(String recordId, String stage, RecordState state, String machine, String station,
    Optional<Instant> finished, Map<String, String> outputs) {
  /** Checks and copies the values. */
  public StageRecord {
    Objects.requireNonNull(recordId, "recordId");
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(state, "state");
    machine = machine == null ? "" : machine;
    station = station == null ? "" : station;
    Objects.requireNonNull(finished, "finished");
    outputs = Map.copyOf(outputs);
  }

  /** @return true when a card was issued for the record in this stage */
  public boolean done() {
    return state == RecordState.DONE;
  }
}
