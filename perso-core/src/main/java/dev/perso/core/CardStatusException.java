package dev.perso.core;

import dev.perso.core.apdu.StatusWord;
import java.util.Objects;

/**
 * The card answered a command with an unexpected status word.
 *
 * <pre>{@code
 * ResponseApdu r = channel.transmit(select);
 * r.requireSuccess("SELECT PPSE");   // throws CardStatusException "SELECT PPSE: 6A82 (file or application not found)"
 * }</pre>
 */
public class CardStatusException extends PersoException {
  private static final long serialVersionUID = 1L;

  private final StatusWord sw;

  /**
   * @param operation the command in words, e.g. {@code "STORE DATA block 3"}
   * @param sw the status word the card returned
   */
  public CardStatusException(String operation, StatusWord sw) {
    super(operation + ": " + Objects.requireNonNull(sw, "sw"));
    this.sw = sw;
  }

  /** @return the status word the card returned */
  public StatusWord sw() {
    return sw;
  }
}
