package dev.perso.core.device;

import dev.perso.core.Bytes;
import dev.perso.core.channel.CardChannel;

/**
 * A powered card at a chip station: its ATR and a host-side channel. Closing powers the card off.
 *
 * <pre>{@code
 * try (ChipSession chip = station.power(card)) {
 *   Atr.parse(chip.atr());
 *   chip.channel().transmit(select);
 * }
 * }</pre>
 */
public interface ChipSession extends AutoCloseable {

  /** @return the answer-to-reset */
  Bytes atr();

  /** @return the channel to the card */
  CardChannel channel();

  /** Powers the card off. */
  @Override
  void close();
}
