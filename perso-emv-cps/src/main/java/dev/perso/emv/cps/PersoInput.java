package dev.perso.emv.cps;

import dev.perso.core.PersoException;
import java.util.Objects;

/**
 * One item read from a {@link PersoDataSource}: a card to personalize, or a record that was rejected
 * while reading (the batch goes on).
 *
 * <pre>{@code
 * if (input instanceof PersoInput.Card c) personalize(c.data());
 * else if (input instanceof PersoInput.Rejected r) journal.rejected(r.cardId(), r.reason());
 * }</pre>
 */
public sealed interface PersoInput {

  /** @return where in the source this came from, e.g. {@code cards.jsonl:17} */
  String location();

  /**
   * A card ready for personalization.
   *
   * @param data the card's data
   * @param location where it was read
   */
  record Card(CardPersoData data, String location) implements PersoInput {
    /** Rejects null. */
    public Card {
      Objects.requireNonNull(data, "data");
    }
  }

  /**
   * A record that could not be read; it is reported, never silently dropped.
   *
   * @param location where it was read
   * @param cardId the card id if it could be read, else {@code "?"}
   * @param reason what is wrong, naming the field
   */
  record Rejected(String location, String cardId, PersoException reason) implements PersoInput {
    /** Rejects null reasons. */
    public Rejected {
      Objects.requireNonNull(reason, "reason");
      cardId = cardId == null ? "?" : cardId;
    }
  }
}
