package dev.perso.core.device;

import java.util.Objects;

/**
 * The controller's tag for one physical card inside a machine: a serial the journal gave it when it was
 * fed, and the record it carries. Transports keep cards by tag so that after a crash a controller can
 * tell which card is where. A record remade after a reject gets a new physical card and a new serial. The
 * serial names the physical card: two tags are equal when their serials are, so a card a later stage
 * identified as another record's ({@link CardTransport#retag}) is still the same card.
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
   * @param record the record the card is personalized as from now on
   * @return this card's tag with that record
   */
  public CardTag withRecord(String record) {
    return new CardTag(serial, record);
  }

  /**
   * @param o another object
   * @return whether it is a tag of the same physical card (the same serial), whatever record it carries
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof CardTag t && t.serial == serial;
  }

  /**
   * Spreads consecutive serials over a hash table's buckets (a plain {@code Long.hashCode} of consecutive
   * serials fills a small table's buckets in runs).
   *
   * @return the hash code
   */
  @Override
  public int hashCode() {
    return Long.hashCode(serial * 0x9E3779B97F4A7C15L);
  }

  @Override
  public String toString() {
    return "card #" + serial + " (record " + recordId + ")";
  }
}
