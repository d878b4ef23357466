package dev.perso.core.channel;

import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import java.util.Set;

/**
 * Decides which APDU data is sensitive and must not be printed in traces, logs or events. Masked
 * data is <em>marked secret</em> (see {@link dev.perso.core.Bytes#asSecret()}), so it prints as its
 * length only.
 *
 * <p>{@link #DEFAULT} masks the command data of VERIFY (20), CHANGE REFERENCE DATA (24), ENABLE/DISABLE
 * VERIFICATION (28/26), RESET RETRY COUNTER (2C), PIN CHANGE/UNBLOCK (EMV, 24 with CLA 8x), STORE DATA
 * (E2) and PUT KEY (D8); and the response data of READ RECORD (B2), READ BINARY (B0) and GET DATA
 * (CA/CB), which carry PAN and track data on payment cards.
 *
 * <pre>{@code
 * CardChannel traced = channel.with(ApduTrace.toLog(ApduMasking.DEFAULT));
 * CardChannel lab = channel.with(ApduTrace.toLog(ApduMasking.NONE));   // lab cards only
 * }</pre>
 */
public interface ApduMasking {

  /** Masks the sensitive commands and responses listed in the class description. */
  ApduMasking DEFAULT = new ApduMasking() {
    private final Set<Integer> sensitiveCommands = Set.of(0x20, 0x21, 0x24, 0x26, 0x28, 0x2C, 0xE2, 0xD8);
    private final Set<Integer> sensitiveResponses = Set.of(0xB0, 0xB1, 0xB2, 0xB3, 0xCA, 0xCB);

    @Override
    public boolean maskCommandData(CommandApdu command) {
      return sensitiveCommands.contains(command.ins());
    }

    @Override
    public boolean maskResponseData(CommandApdu command, ResponseApdu response) {
      return sensitiveResponses.contains(command.ins());
    }
  };

  /** Masks nothing beyond values already marked secret. For lab cards with test keys only. */
  ApduMasking NONE = new ApduMasking() {
    @Override
    public boolean maskCommandData(CommandApdu command) {
      return false;
    }

    @Override
    public boolean maskResponseData(CommandApdu command, ResponseApdu response) {
      return false;
    }
  };

  /**
   * @param command a command
   * @return true if its data must be masked
   */
  boolean maskCommandData(CommandApdu command);

  /**
   * @param command the command answered
   * @param response the response
   * @return true if the response data must be masked
   */
  boolean maskResponseData(CommandApdu command, ResponseApdu response);

  /**
   * @param command a command
   * @return the command with its data marked secret when this policy says so
   */
  default CommandApdu mask(CommandApdu command) {
    return maskCommandData(command) && !command.data().isEmpty()
        ? command.withData(command.data().asSecret()) : command;
  }

  /**
   * @param command the command answered
   * @param response the response
   * @return the response with its data marked secret when this policy says so
   */
  default ResponseApdu mask(CommandApdu command, ResponseApdu response) {
    return maskResponseData(command, response) && !response.data().isEmpty()
        ? new ResponseApdu(response.data().asSecret(), response.sw()) : response;
  }
}
