package dev.perso.core.device;

import java.util.Objects;

/**
 * The controller's tag for one physical card inside a machine: a serial the journal gave it when it was
 * fed, and the record it carries. Transports keep cards by tag so that after a crash a controller can
 * tell which card is where. A record remade after a reject gets a new physical card and a new serial.
 *
 * <pre>{@code
 * CardTag card = new CardTag(journal.cardFed(...), "0001");
 * transport.feed(card);
 * }</pre>
 *
 * @param serial the physical card's serial in the job, positive
 * @param recordId the id of the record it is personalized with (never a PAN)
 */
public record CardTag(long serial, String recordId) {
  /** Checks the values. */
  public CardTag {
    if (serial <= 0) {
      throw new IllegalArgumentException("serial must be positive");
    }
    Objects.requireNonNull(recordId, "recordId");
  }

  /**
   * Spreads consecutive serials over a hash table's buckets (the record's default, {@code 31 * serial +
   * recordId.hashCode()}, steps by 32 for consecutive serials with consecutive numeric ids, so a small table
   * put every card in one or two buckets).
   *
   * @return the hash code
   */
  @Override
  public int hashCode() {
    return Long.hashCode(serial * 0x9E3779B97F4A7C15L) ^ recordId.hashCode();
  }

  @Override
  public String toString() {
    return "card #" + serial + " (record " + recordId + ")";
  }
}
