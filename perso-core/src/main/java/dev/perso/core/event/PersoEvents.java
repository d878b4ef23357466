package dev.perso.core.event;

import dev.perso.core.DeviceException;
import dev.perso.core.device.CardTag;
import dev.perso.core.device.DeviceStatus;
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
 *   @Override public void cardRejected(CardTag card, String station, PersoException reason, boolean remade) {
 *     log.warn("{} rejected at {}: {}", card, station, reason.getMessage());
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
   * One line of a card's audit trail, e.g. {@code "STORE DATA P1=60 P2=03 [8000, 8010] 64 bytes"}.
   * Entries never carry secrets: DGI ids and lengths, never values.
   *
   * @param cardId the record id from the job
   * @param entry what was done
   */
  public void audit(String cardId, String entry) {}

  /**
   * A personalizer began a card's chip: the first command to the card is next. Fired by the chip
   * personalizer ({@code CpsPersonalizer}) on its own, as {@code perso cps run} uses it, and inside a
   * line's chip step, where the line's card events surround it.
   *
   * @param cardId the record id
   */
  public void personalizationStarted(String cardId) {}

  /**
   * A personalizer finished a card's chip: the card accepted every command.
   *
   * @param cardId the record id
   * @param applications the AIDs personalized, in order, hex
   * @param storeDataCommands the STORE DATA commands the card accepted
   * @param elapsed how long the card took
   */
  public void personalizationDone(String cardId, List<String> applications, int storeDataCommands,
      Duration elapsed) {}

  /**
   * A personalizer stopped on a card's chip: the card must be rejected for this reason.
   *
   * @param cardId the record id
   * @param reason the typed reason (a status word, a secure channel or data error, naming what failed)
   * @param elapsed how long the card took until it failed
   */
  public void personalizationFailed(String cardId, PersoException reason, Duration elapsed) {}

  /**
   * A blank card was fed into a machine for a record.
   *
   * @param card the physical card and its record
   * @param machine the machine's id
   */
  public void cardFed(CardTag card, String machine) {}

  /**
   * A later stage identified a card as another record's card than the one it was fed for (a shuffled hopper):
   * the card is personalized as {@code card.recordId()}, and every event after this one names it so. The
   * record it was fed for waits for its own card.
   *
   * @param card the physical card, with the record it now belongs to
   * @param fedFor the record it was fed (or last named) for
   */
  public void cardReassigned(CardTag card, String fedFor) {}

  /**
   * A card reached a station.
   *
   * @param card the card
   * @param station the station's id
   */
  public void cardEntered(CardTag card, String station) {}

  /**
   * A step finished on a card.
   *
   * @param card the card
   * @param step the step's name
   * @param station where
   * @param elapsed how long it took on the line's clock
   */
  public void stepDone(CardTag card, String step, String station, Duration elapsed) {}

  /**
   * A card left a station.
   *
   * @param card the card
   * @param station the station's id
   */
  public void cardLeft(CardTag card, String station) {}

  /**
   * A card failed at a station before anything was written to it and goes to another station.
   *
   * @param card the card
   * @param station the station it failed at
   * @param reason why
   */
  public void cardRetried(CardTag card, String station, PersoException reason) {}

  /**
   * A card was issued: personalized and ejected to the output hopper.
   *
   * @param card the card, with the record it was personalized as
   * @param machine the machine
   */
  public void cardDone(CardTag card, String machine) {}

  /**
   * A card went to the reject bin.
   *
   * @param card the card, with the record it was last personalized as
   * @param station where it failed
   * @param reason the typed reason
   * @param remade true if its record is queued again for a new card
   */
  public void cardRejected(CardTag card, String station, PersoException reason, boolean remade) {}

  /**
   * After a restart, a card found inside a machine was dropped in the reject bin.
   *
   * @param card the card
   * @param machine the machine
   */
  public void cardPurged(CardTag card, String machine) {}

  /**
   * A record was rejected without using a card: bad data, or no card left to remake it.
   *
   * @param recordId the record id, or {@code "?"}
   * @param location where it was read
   * @param reason the typed reason naming the field
   */
  public void recordRejected(String recordId, String location, PersoException reason) {}

  /**
   * A device's status changed (faulted, offline, ready again).
   *
   * @param device the device's id
   * @param status its new status
   */
  public void deviceStatus(String device, DeviceStatus status) {}

  /**
   * A station went offline after a fault; the line runs on the others.
   *
   * @param station the station's id
   * @param reason the fault
   */
  public void stationOffline(String station, DeviceException reason) {}

  /**
   * A machine paused for a person: ribbon out, cover open, hopper empty...
   *
   * @param machine the machine's id
   * @param reason the fault that needs a person
   */
  public void machinePaused(String machine, DeviceException reason) {}

  /**
   * A paused machine's devices are ready again and it runs.
   *
   * @param machine the machine's id
   */
  public void machineResumed(String machine) {}

  /**
   * Progress of a job: records finished (issued or rejected) of all known.
   *
   * @param done records finished
   * @param total records in all, or -1 if not known yet
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
    public void audit(String cardId, String entry) {
      each(l -> l.audit(cardId, entry));
    }

    @Override
    public void personalizationStarted(String cardId) {
      each(l -> l.personalizationStarted(cardId));
    }

    @Override
    public void personalizationDone(String cardId, List<String> applications, int storeDataCommands,
        Duration elapsed) {
      each(l -> l.personalizationDone(cardId, applications, storeDataCommands, elapsed));
    }

    @Override
    public void personalizationFailed(String cardId, PersoException reason, Duration elapsed) {
      each(l -> l.personalizationFailed(cardId, reason, elapsed));
    }

    @Override
    public void cardFed(CardTag card, String machine) {
      each(l -> l.cardFed(card, machine));
    }

    @Override
    public void cardReassigned(CardTag card, String fedFor) {
      each(l -> l.cardReassigned(card, fedFor));
    }

    @Override
    public void cardEntered(CardTag card, String station) {
      each(l -> l.cardEntered(card, station));
    }

    @Override
    public void stepDone(CardTag card, String step, String station, Duration elapsed) {
      each(l -> l.stepDone(card, step, station, elapsed));
    }

    @Override
    public void cardLeft(CardTag card, String station) {
      each(l -> l.cardLeft(card, station));
    }

    @Override
    public void cardRetried(CardTag card, String station, PersoException reason) {
      each(l -> l.cardRetried(card, station, reason));
    }

    @Override
    public void cardDone(CardTag card, String machine) {
      each(l -> l.cardDone(card, machine));
    }

    @Override
    public void cardRejected(CardTag card, String station, PersoException reason, boolean remade) {
      each(l -> l.cardRejected(card, station, reason, remade));
    }

    @Override
    public void cardPurged(CardTag card, String machine) {
      each(l -> l.cardPurged(card, machine));
    }

    @Override
    public void recordRejected(String recordId, String location, PersoException reason) {
      each(l -> l.recordRejected(recordId, location, reason));
    }

    @Override
    public void deviceStatus(String device, DeviceStatus status) {
      each(l -> l.deviceStatus(device, status));
    }

    @Override
    public void stationOffline(String station, DeviceException reason) {
      each(l -> l.stationOffline(station, reason));
    }

    @Override
    public void machinePaused(String machine, DeviceException reason) {
      each(l -> l.machinePaused(machine, reason));
    }

    @Override
    public void machineResumed(String machine) {
      each(l -> l.machineResumed(machine));
    }

    @Override
    public void progress(long done, long total) {
      each(l -> l.progress(done, total));
    }
  }
}
