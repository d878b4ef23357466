package dev.perso.core.card;

import dev.perso.core.Bytes;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.channel.CardChannel;

/**
 * The card side of a connection: a card implemented in Java. Transports in perso-devices expose a
 * {@code VirtualCard} over PC/SC (vpcd), a serial pty (T=0/T=1) or in-process through
 * {@link #connect(VirtualCard)}.
 *
 * <pre>{@code
 * VirtualCard card = ScriptedCard.builder().expect("00A4040000", "9000").build();
 * try (CardChannel ch = VirtualCard.connect(card)) {
 *   ch.transmit(CommandApdu.parse(Bytes.fromHex("00A4040000")));
 * }
 * }</pre>
 */
public interface VirtualCard {

  /** @return the answer-to-reset the card presents */
  Bytes atr();

  /**
   * Processes one command. Implementations return error status words for bad commands rather than
   * throwing.
   *
   * @param command the command
   * @return the response
   */
  ResponseApdu process(CommandApdu command);

  /**
   * Cold or warm reset: volatile state (selected application, secure channel) is dropped.
   *
   * @return the ATR after reset
   */
  Bytes reset();

  /**
   * Connects in-process: the returned channel hands each command straight to {@code card}.
   *
   * @param card the card
   * @return a host-side channel
   */
  static CardChannel connect(VirtualCard card) {
    card.reset();
    return card::process;
  }
}
