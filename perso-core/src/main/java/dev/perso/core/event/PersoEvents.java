package dev.perso.core.event;

import dev.perso.core.PersoException;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Listener for everything that happens during personalization. Every method is a no-op; override
 * what you need. Logging, metrics, audit trails and CLI progress bars are all listeners.
 *
 * <p>APDUs arrive as the trace decorator saw them: data the masking policy deems sensitive is
 * <em>marked secret</em>, so {@code toString()} prints its length only. Card ids are the job's
 * record ids, never PANs.
 *
 * <pre>{@code
 * PersoEvents audit = new PersoEvents() {
 *   @Override public void cardRejected(String cardId, PersoException reason) {
 *     log.warn("card {} rejected: {}", cardId, reason.getMessage());
 *   }
 * };
 * CardChannel traced = channel.with(ApduTrace.to(PersoEvents.composite(audit, metrics)));
 * }</pre>
 */
public abstract class PersoEvents {

  /** A listener that ignores everything. */
  public static final PersoEvents NONE = new PersoEvents() {};

  /**
   * Fans events out to several listeners in order. A listener that throws does not stop the others;
   * the first exception is rethrown after all have run.
   *
   * @param listeners the listeners
   * @return a listener calling each of them
   */
  public static PersoEvents composite(PersoEvents... listeners) {
    List<PersoEvents> all = List.of(listeners);
    return new Composite(all);
  }

  /**
   * A command is about to be sent to a card.
   *
   * @param command the command (sensitive data marked secret)
   */
  public void apduSent(CommandApdu command) {}

  /**
   * A response was received.
   *
   * @param command the command it answers (sensitive data marked secret)
   * @param response the response (sensitive data marked secret)
   * @param elapsed time from sending the command to the response
   */
  public void apduReceived(CommandApdu command, ResponseApdu response, Duration elapsed) {}

  /**
   * A crypto backend operation completed.
   *
   * @param operation the operation's name, e.g. {@code "MAC ISO9797_1_M3"}
   * @param keyLabel the key reference's label (never key bytes)
   * @param elapsed the time it took
   */
  public void cryptoCall(String operation, String keyLabel, Duration elapsed) {}

  /**
   * Personalization of a card started.
   *
   * @param cardId the record id from the job
   */
  public void cardStarted(String cardId) {}

  /**
   * A card was personalized successfully.
   *
   * @param cardId the record id from the job
   */
  public void cardDone(String cardId) {}

  /**
   * A card was rejected.
   *
   * @param cardId the record id from the job
   * @param reason the typed reason
   */
  public void cardRejected(String cardId, PersoException reason) {}

  /**
   * One line of a card's audit trail, e.g. {@code "STORE DATA P1=60 P2=03 [8000, 8010] 64 bytes"}.
   * Entries never carry secrets: DGI ids and lengths, never values.
   *
   * @param cardId the record id from the job
   * @param entry what was done
   */
  public void audit(String cardId, String entry) {}

  /**
   * A device reported a fault.
   *
   * @param device the device address
   * @param fault the fault in words
   */
  public void deviceFault(String device, String fault) {}

  /**
   * Progress of a batch or a long operation.
   *
   * @param done units done
   * @param total units in all, or -1 if unknown
   */
  public void progress(long done, long total) {}

  private static final class Composite extends PersoEvents {
    private final List<PersoEvents> all;

    Composite(List<PersoEvents> all) {
      all.forEach(l -> Objects.requireNonNull(l, "listener"));
      this.all = all;
    }

    private void each(java.util.function.Consumer<PersoEvents> call) {
      RuntimeException first = null;
      for (PersoEvents l : all) {
        try {
          call.accept(l);
        } catch (RuntimeException e) {
          if (first == null) {
            first = e;
          }
        }
      }
      if (first != null) {
        throw first;
      }
    }

    @Override
    public void apduSent(CommandApdu command) {
      each(l -> l.apduSent(command));
    }

    @Override
    public void apduReceived(CommandApdu command, ResponseApdu response, Duration elapsed) {
      each(l -> l.apduReceived(command, response, elapsed));
    }

    @Override
    public void cryptoCall(String operation, String keyLabel, Duration elapsed) {
      each(l -> l.cryptoCall(operation, keyLabel, elapsed));
    }

    @Override
    public void cardStarted(String cardId) {
      each(l -> l.cardStarted(cardId));
    }

    @Override
    public void cardDone(String cardId) {
      each(l -> l.cardDone(cardId));
    }

    @Override
    public void cardRejected(String cardId, PersoException reason) {
      each(l -> l.cardRejected(cardId, reason));
    }

    @Override
    public void audit(String cardId, String entry) {
      each(l -> l.audit(cardId, entry));
    }

    @Override
    public void deviceFault(String device, String fault) {
      each(l -> l.deviceFault(device, fault));
    }

    @Override
    public void progress(long done, long total) {
      each(l -> l.progress(done, total));
    }
  }
}
