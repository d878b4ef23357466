package dev.perso.devices.pcsc;

import dev.perso.core.Bytes;
import dev.perso.core.internal.Hex;
import dev.perso.core.TransportException;
import dev.perso.core.ValidationException;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.channel.CardChannel;
import dev.perso.devices.atr.Atr;
import javax.smartcardio.Card;
import javax.smartcardio.CardException;
import javax.smartcardio.CardTerminal;
import javax.smartcardio.ResponseAPDU;

/**
 * A card connected through PC/SC: a raw {@link CardChannel} (no GET RESPONSE or 6Cxx handling; the
 * JDK's own is switched off by {@link PcscReaders}), plus ATR, protocol, reconnect and reader control.
 * Failures, including a card removed mid-session, throw {@link TransportException}; after
 * reinsertion {@link #reconnect()} makes the connection usable again.
 *
 * <pre>{@code
 * try (PcscCard card = PcscReaders.system().connect("Perso Virtual Reader*", PcscProtocol.ANY, Sharing.SHARED)) {
 *   CardChannel ch = card.with(GetResponse.auto());
 *   ch.transmit(select);
 * }
 * }</pre>
 */
public final class PcscCard implements CardChannel {
  /** Largest response the JDK's PC/SC binding can receive (its native receive buffer). */
  public static final int MAX_RESPONSE = 8192;

  private final CardTerminal terminal;
  private final PcscProtocol protocol;
  private final Sharing sharing;
  private Card card;
  private javax.smartcardio.CardChannel basic;

  PcscCard(CardTerminal terminal, PcscProtocol protocol, Sharing sharing) {
    this.terminal = terminal;
    this.protocol = protocol;
    this.sharing = sharing;
    open();
  }

  private void open() {
    try {
      card = terminal.connect(protocol.jdkName());
      if (sharing == Sharing.EXCLUSIVE) {
        card.beginExclusive();
      }
      basic = card.getBasicChannel();
    } catch (CardException | RuntimeException e) {
      throw PcscReaders.translate("connect to '" + terminal.getName() + "' with " + protocol, e);
    }
  }

  /** @return the reader name */
  public String reader() {
    return terminal.getName();
  }

  /** @return the ATR */
  public Atr atr() {
    return Atr.parse(Bytes.of(card.getATR().getBytes()));
  }

  /** @return the ATR bytes, unparsed (for ATRs our parser rejects) */
  public Bytes atrBytes() {
    return Bytes.of(card.getATR().getBytes());
  }

  /** @return the protocol in use, as the JDK names it ({@code T=0}, {@code T=1}, {@code DIRECT}) */
  public String protocol() {
    return card.getProtocol();
  }

  @Override
  public synchronized ResponseApdu transmit(CommandApdu command) {
    if (command.needsExtended() && "T=0".equals(card.getProtocol())) {
      throw new ValidationException("command", "extended APDUs cannot be sent under T=0 (reader '" + reader() + "')");
    }
    ResponseAPDU r;
    try {
      r = basic.transmit(new javax.smartcardio.CommandAPDU(command.encode().toByteArray()));
    } catch (CardException | RuntimeException e) {
      throw PcscReaders.translate("transmit " + command.apduCase() + " INS " + Hex.byteToHex(command.ins())
          + " on '" + reader() + "'", e);
    }
    return ResponseApdu.parse(r.getBytes());
  }

  /**
   * Sends a reader control command ({@code SCardControl}).
   *
   * @param controlCode e.g. {@code PcscReaders.controlCode(3400)} for {@code CM_IOCTL_GET_FEATURE_REQUEST}
   * @param command the command bytes
   * @return the reader's answer
   */
  public synchronized Bytes control(int controlCode, Bytes command) {
    try {
      return Bytes.of(card.transmitControlCommand(controlCode, command.toByteArray()));
    } catch (CardException | RuntimeException e) {
      throw PcscReaders.translate("control " + controlCode + " on '" + reader() + "'", e);
    }
  }

  /** Drops the old handle (after removal or reset) and connects again with the same protocol and sharing. */
  public synchronized void reconnect() {
    try {
      card.disconnect(false);
    } catch (CardException | RuntimeException ignored) {
      // the old handle is gone anyway
    }
    open();
  }

  /** Ends the exclusive transaction if any and disconnects without resetting the card. */
  @Override
  public synchronized void close() {
    try {
      if (sharing == Sharing.EXCLUSIVE) {
        card.endExclusive();
      }
    } catch (CardException | RuntimeException ignored) {
      // card removed: nothing to end
    }
    try {
      card.disconnect(false);
    } catch (CardException | RuntimeException ignored) {
      // already gone
    }
  }

  @Override
  public String toString() {
    return "PcscCard[" + reader() + " " + card.getProtocol() + "]";
  }
}
