package dev.perso.core.channel;

import dev.perso.core.PersoException;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.event.PersoEvents;
import java.time.Duration;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decorator that reports every APDU exchange, with sensitive data masked by an {@link ApduMasking}
 * policy, either to a {@link PersoEvents} listener or to an SLF4J logger at DEBUG level.
 *
 * <pre>{@code
 * CardChannel ch = raw.with(ApduTrace.to(events));   // events.apduSent / apduReceived
 * CardChannel logged = raw.with(ApduTrace.toLog());   // logger "dev.perso.apdu", DEBUG:
 * //   >> 00 A4 04 00 Lc=7 [A0000000041010] Le=256
 * //   << [6F...] 9000 (3 ms)
 * }</pre>
 */
public final class ApduTrace {
  private static final Logger DEFAULT_LOG = LoggerFactory.getLogger("dev.perso.apdu");

  private ApduTrace() {}

  /**
   * @param events the listener
   * @return a decorator reporting to {@code events} with {@link ApduMasking#DEFAULT}
   */
  public static UnaryOperator<CardChannel> to(PersoEvents events) {
    return to(events, ApduMasking.DEFAULT);
  }

  /**
   * @param events the listener
   * @param masking which data to mask
   * @return a decorator reporting to {@code events}
   */
  public static UnaryOperator<CardChannel> to(PersoEvents events, ApduMasking masking) {
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(masking, "masking");
    return next -> new Traced(next, events, masking);
  }

  /** @return a decorator logging to {@code dev.perso.apdu} at DEBUG with {@link ApduMasking#DEFAULT} */
  public static UnaryOperator<CardChannel> toLog() {
    return toLog(DEFAULT_LOG, ApduMasking.DEFAULT);
  }

  /**
   * @param masking which data to mask
   * @return a decorator logging to {@code dev.perso.apdu} at DEBUG
   */
  public static UnaryOperator<CardChannel> toLog(ApduMasking masking) {
    return toLog(DEFAULT_LOG, masking);
  }

  /**
   * @param log the logger
   * @param masking which data to mask
   * @return a decorator logging to {@code log} at DEBUG
   */
  public static UnaryOperator<CardChannel> toLog(Logger log, ApduMasking masking) {
    Objects.requireNonNull(log, "log");
    return to(new LogListener(log), masking);
  }

  private static final class Traced extends ForwardingChannel {
    private final PersoEvents events;
    private final ApduMasking masking;

    Traced(CardChannel next, PersoEvents events, ApduMasking masking) {
      super(next);
      this.events = events;
      this.masking = masking;
    }

    @Override
    public ResponseApdu transmit(CommandApdu command) {
      CommandApdu shown = masking.mask(command);
      events.apduSent(shown);
      long start = System.nanoTime();
      ResponseApdu response = next().transmit(command);
      events.apduReceived(shown, masking.mask(command, response), Duration.ofNanos(System.nanoTime() - start));
      return response;
    }
  }

  private static final class LogListener extends PersoEvents {
    private final Logger log;

    LogListener(Logger log) {
      this.log = log;
    }

    @Override
    public void apduSent(CommandApdu command) {
      if (log.isDebugEnabled()) {
        log.debug(">> {}", command);
      }
    }

    @Override
    public void apduReceived(CommandApdu command, ResponseApdu response, Duration elapsed) {
      if (log.isDebugEnabled()) {
        log.debug("<< {} ({} ms)", response, elapsed.toMillis());
      }
    }

    @Override
    public void cardRejected(dev.perso.core.device.CardTag card, String station, PersoException reason,
        boolean remade) {
      log.warn("{} rejected at {}: {}", card, station, reason.getMessage());
    }
  }
}
