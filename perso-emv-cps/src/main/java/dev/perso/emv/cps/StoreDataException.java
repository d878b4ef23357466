package dev.perso.emv.cps;

import dev.perso.core.CardStatusException;
import dev.perso.core.apdu.StatusWord;

/**
 * The card refused a STORE DATA command: the card is to be rejected. It says how many STORE DATA commands
 * the card had accepted before (in all applications), i.e. how much of the card was already written.
 *
 * <pre>{@code
 * try {
 *   personalizer.personalize(channel, record);
 * } catch (StoreDataException e) {
 *   log.warn("card rejected after {} STORE DATA commands: {}", e.accepted(), e.sw());
 * }
 * }</pre>
 */
public final class StoreDataException extends CardStatusException {
  private static final long serialVersionUID = 1L;

  private final int accepted;

  /**
   * @param operation the refused command in words, e.g. {@code "card 0001 A0000000031010 STORE DATA block 1"}
   * @param sw the status word the card returned
   * @param accepted how many STORE DATA commands the card accepted before this one
   */
  public StoreDataException(String operation, StatusWord sw, int accepted) {
    super(operation + " (after " + accepted + " accepted STORE DATA command" + (accepted == 1 ? "" : "s") + ")", sw);
    this.accepted = accepted;
  }

  /** @return how many STORE DATA commands the card accepted before the refused one */
  public int accepted() {
    return accepted;
  }
}
