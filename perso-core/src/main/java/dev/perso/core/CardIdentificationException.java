package dev.perso.core;

/**
 * A card in a later stage could not be matched to the record the line holds for it: it carries no
 * identifier, another record's, or its record is not ready for this stage. The card is rejected, never
 * personalized with another record's data. Messages name records and outputs, never card data.
 *
 * <pre>{@code
 * throw new CardIdentificationException("0007", "the card belongs to record 0009");
 * }</pre>
 */
public class CardIdentificationException extends PersoException {
  private static final long serialVersionUID = 1L;

  private final String recordId;

  /**
   * @param recordId the record the line held for the card
   * @param why why the card does not belong to it, in words
   */
  public CardIdentificationException(String recordId, String why) {
    super("card for record " + recordId + " not identified: " + why);
    this.recordId = recordId;
  }

  /** @return the record the line held for the card */
  public String recordId() {
    return recordId;
  }
}
