package dev.perso.core.journal;

import dev.perso.core.PersoException;

/**
 * The journal refused an update that would break exactly-once issuance (a record issued twice, a card
 * finished twice), or its store failed. The message names the record or card, never card data.
 *
 * <pre>{@code
 * catch (JournalException e) { stopTheLine(e); }   // never carry on without a journal
 * }</pre>
 */
public class JournalException extends PersoException {
  private static final long serialVersionUID = 1L;

  /** @param message what was refused or what failed */
  public JournalException(String message) {
    super(message);
  }

  /**
   * @param message what failed
   * @param cause the store's error
   */
  public JournalException(String message, Throwable cause) {
    super(message, cause);
  }
}
