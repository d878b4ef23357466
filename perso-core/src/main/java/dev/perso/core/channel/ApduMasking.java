package dev.perso.core.channel;

import dev.perso.core.Bytes;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.tlv.EmvTags;
import dev.perso.core.tlv.Tag;
import java.util.Set;

/**
 * Decides which APDU data is sensitive and must not be printed in traces, logs or events. Masked
 * data is <em>marked secret</em> (see {@link dev.perso.core.Bytes#asSecret()}), so it prints as its
 * length only.
 *
 * <p>{@link #DEFAULT} masks by instruction and by content:
 * <ul>
 *   <li>the command data of VERIFY (20), CHANGE REFERENCE DATA (24), ENABLE/DISABLE VERIFICATION (28/26),
 *       RESET RETRY COUNTER (2C), PIN CHANGE/UNBLOCK (EMV, 24 with CLA 8x), STORE DATA (E2) and PUT KEY
 *       (D8), and of PUT DATA (DA) when P1-P2 name a sensitive tag;</li>
 *   <li>the response data of READ RECORD (B2), READ BINARY (B0) and GET DATA (CA/CB), which carry PAN
 *       and track data on payment cards;</li>
 *   <li>any command or response data that holds a sensitive data element ({@link #containsSensitiveData})
 *       at any depth, e.g. Track 2 Equivalent Data (57) in a GET PROCESSING OPTIONS response template 77,
 *       a PAN (5A) in a record template 70 written by UPDATE RECORD or PUT DATA.</li>
 * </ul>
 *
 * <p>Sensitive data elements are those {@link EmvTags#isSensitive(Tag)} marks: PAN (5A), Track 2
 * Equivalent Data (57), Track 1 and Track 2 Data (56, 9F6B), Track 1/2 Discretionary Data (9F1F, 9F20),
 * Cardholder Name (5F20) and Cardholder Name Extended (9F0B), PIN data (99) and IBAN (5F53); names and
 * tags as in EMV Book 3 v4.4 Annex A1. They are PCI DSS v4.0 cardholder data and sensitive authentication
 * data (PAN, cardholder name, full track data and its chip equivalent). Expiration date (5F24), service
 * code (5F30) and PAN sequence number (5F34) are cardholder data only together with the PAN, which is
 * masked, and stay readable for debugging.
 *
 * <pre>{@code
 * CardChannel traced = channel.with(ApduTrace.toLog(ApduMasking.DEFAULT));
 * CardChannel lab = channel.with(ApduTrace.toLog(ApduMasking.NONE));   // lab cards only
 * ApduMasking.containsSensitiveData(Bytes.fromHex("770A9F6B07476173900101D2"));   // true
 * }</pre>
 */
public interface ApduMasking {

  /** Masks the sensitive commands and responses listed in the class description. */
  ApduMasking DEFAULT = new ApduMasking() {
    private final Set<Integer> sensitiveCommands = Set.of(0x20, 0x21, 0x24, 0x26, 0x28, 0x2C, 0xE2, 0xD8);
    private final Set<Integer> sensitiveResponses = Set.of(0xB0, 0xB1, 0xB2, 0xB3, 0xCA, 0xCB);

    @Override
    public boolean maskCommandData(CommandApdu command) {
      return sensitiveCommands.contains(command.ins())
          || command.ins() == 0xDA && SensitiveTlv.sensitive(command.p1() << 8 | command.p2())
          || containsSensitiveData(command.data());
    }

    @Override
    public boolean maskResponseData(CommandApdu command, ResponseApdu response) {
      return sensitiveResponses.contains(command.ins()) || containsSensitiveData(response.data());
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
   * Reads data as BER-TLV as far as it parses (padding skipped, constructed objects searched at any
   * depth, a value cut short read as far as it goes; never throws) and tells whether a sensitive data
   * element is among its tags.
   *
   * @param data command or response data, possibly not TLV at all
   * @return true if a tag {@link EmvTags#isSensitive(Tag)} marks occurs in it
   */
  static boolean containsSensitiveData(Bytes data) {
    return data != null && !data.isEmpty() && SensitiveTlv.in(data.toByteArray());
  }

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
