package dev.perso.core.channel;

import java.util.Objects;

/**
 * Base for decorators: holds the wrapped channel and forwards {@link #close()} to it.
 *
 * <pre>{@code
 * final class CountingChannel extends ForwardingChannel {
 *   int count;
 *   CountingChannel(CardChannel next) { super(next); }
 *   @Override public ResponseApdu transmit(CommandApdu c) { count++; return next().transmit(c); }
 * }
 * }</pre>
 */
public abstract class ForwardingChannel implements CardChannel {
  private final CardChannel next;

  /** @param next the channel this one wraps */
  protected ForwardingChannel(CardChannel next) {
    this.next = Objects.requireNonNull(next, "next");
  }

  /** @return the wrapped channel */
  protected final CardChannel next() {
    return next;
  }

  @Override
  public void close() {
    next.close();
  }
}
