package dev.perso.core.channel;

import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import java.util.function.UnaryOperator;

/**
 * The host side of a card connection: one method, {@link #transmit}. Behaviour (GET RESPONSE
 * handling, tracing, secure messaging) is added by wrapping, never by flags.
 *
 * <pre>{@code
 * CardChannel channel = VirtualCard.connect(card)
 *     .with(GetResponse.auto())
 *     .with(ApduTrace.toLog());
 * ResponseApdu fci = channel.transmit(CommandApdu.of(0x00, 0xA4, 0x04, 0x00, aid, 256))
 *     .requireSuccess("SELECT");
 * }</pre>
 */
@FunctionalInterface
public interface CardChannel extends AutoCloseable {

  /**
   * Sends one command and returns the card's response.
   *
   * @param command the command
   * @return the response; any status word, including errors (check it or use
   *     {@link ResponseApdu#requireSuccess})
   * @throws dev.perso.core.TransportException if the link fails
   */
  ResponseApdu transmit(CommandApdu command);

  /**
   * Wraps this channel with a decorator.
   *
   * @param decorator e.g. {@code GetResponse.auto()}
   * @return the wrapped channel
   */
  default CardChannel with(UnaryOperator<CardChannel> decorator) {
    return decorator.apply(this);
  }

  /** Releases the channel. Decorators close what they wrap. */
  @Override
  default void close() {}
}
