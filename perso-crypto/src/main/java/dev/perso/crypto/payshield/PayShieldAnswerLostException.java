package dev.perso.crypto.payshield;

import dev.perso.core.TransportException;

/**
 * A command reached (or may have reached) the HSM but its answer was lost: the connection dropped,
 * timed out or carried a malformed answer. {@link PayShieldBackend} re-sends only commands that
 * change nothing in the HSM; a key-generating or counter-moving command is never re-sent silently, so
 * the caller learns here that its effect is unknown.
 *
 * <pre>{@code
 * try { hsm.generate(template); } catch (PayShieldAnswerLostException e) { // check the HSM's audit log }
 * }</pre>
 */
public class PayShieldAnswerLostException extends TransportException {
  private static final long serialVersionUID = 1L;

  private final String command;

  /**
   * @param command the command code whose answer was lost
   * @param detail what happened
   * @param cause the I/O cause, or null
   */
  public PayShieldAnswerLostException(String command, String detail, Throwable cause) {
    super("payShield " + command + ": answer lost (" + detail + "); the command was not re-sent because it "
        + "generates keys or moves a counter", cause);
    this.command = command;
  }

  /** @return the command code */
  public String command() {
    return command;
  }
}
