package dev.perso.emv.cps;

import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.StatusWord;
import java.util.Objects;

/**
 * A proprietary command a profile sends before or after STORE DATA (for example a vendor's
 * "set perso state"), with the status word it must return.
 *
 * <pre>{@code
 * ProfileCommand setState = new ProfileCommand("set state", CommandApdu.parse(Bytes.fromHex("80F0000F00")), StatusWord.SUCCESS);
 * }</pre>
 *
 * @param name what it does, for the audit trail
 * @param command the command (sent through the secure channel when one is open)
 * @param expected the status word that means success
 */
public record ProfileCommand(String name, CommandApdu command, StatusWord expected) {
  /** Rejects nulls. */
  public ProfileCommand {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(expected, "expected");
  }
}
