package dev.perso.core.record;

import dev.perso.core.PersoException;
import java.util.Objects;

/**
 * One item read from a {@link RecordSource}: a record, or one that was rejected while reading (the batch
 * goes on and the rejection is journaled).
 *
 * <pre>{@code
 * if (input instanceof RecordInput.Read r) run(r.record());
 * else if (input instanceof RecordInput.Rejected r) journal.rejectedOnRead(r.cardId(), r.location(), r.reason().getMessage());
 * }</pre>
 */
public sealed interface RecordInput {

  /** @return where in the source this came from, e.g. {@code cards.jsonl:17} */
  String location();

  /**
   * A record read.
   *
   * @param record the record
   * @param location where it was read
   */
  record Read(CardRecord record, String location) implements RecordInput {
    /** Rejects null. */
    public Read {
      Objects.requireNonNull(record, "record");
      Objects.requireNonNull(location, "location");
    }
  }

  /**
   * A record that could not be read; it is reported, never silently dropped.
   *
   * @param location where it was read
   * @param cardId the id if it could be read, else {@code "?"}
   * @param reason what is wrong, naming the field
   */
  record Rejected(String location, String cardId, PersoException reason) implements RecordInput {
    /** Rejects null reasons. */
    public Rejected {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(location, "location");
      cardId = cardId == null ? "?" : cardId;
    }
  }
}
