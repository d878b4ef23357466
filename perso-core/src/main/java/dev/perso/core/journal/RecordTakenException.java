package dev.perso.core.journal;

/**
 * A card could not be fed for a record because another controller sharing the journal holds it (it is
 * feeding it this moment, or its card is inside that controller's machine). Not an error for the line: the
 * record is that controller's work, and this controller moves on to the next record.
 *
 * <pre>{@code
 * try { serial = journal.cardFed(id, machine, station, now); }
 * catch (RecordTakenException e) { skip(id); }
 * }</pre>
 */
public class RecordTakenException extends JournalException {
  private static final long serialVersionUID = 1L;

  /** @param message which record, and who holds it (never card data) */
  public RecordTakenException(String message) {
    super(message);
  }
}
