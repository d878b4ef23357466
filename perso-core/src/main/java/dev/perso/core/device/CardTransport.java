package dev.perso.core.device;

import java.util.List;

/**
 * Moves cards through a machine: feeds from the input hopper, moves to a named position (a module or a
 * station), ejects to the output hopper, or drops in the reject bin. Its sensors say which cards are
 * inside, which is what a controller needs after a crash.
 *
 * <pre>{@code
 * transport.feed(card);                    // DeviceException HOPPER_EMPTY, JAM
 * transport.moveTo(card, "chip-3");
 * transport.eject(card);                   // or transport.reject(card)
 * }</pre>
 */
public interface CardTransport extends Device {

  /**
   * Takes a blank card from the input hopper into the machine.
   *
   * @param card the tag the card carries from now on
   * @throws dev.perso.core.DeviceException HOPPER_EMPTY, JAM, COVER_OPEN
   */
  void feed(CardTag card);

  /**
   * Moves a card inside the machine.
   *
   * @param card a card inside
   * @param position the position's name (a module or station id)
   * @throws dev.perso.core.DeviceException JAM, NO_CARD
   */
  void moveTo(CardTag card, String position);

  /**
   * Delivers a finished card to the output hopper.
   *
   * @param card a card inside
   * @throws dev.perso.core.DeviceException JAM, NO_CARD
   */
  void eject(CardTag card);

  /**
   * Drops a card in the reject bin.
   *
   * @param card a card inside
   * @throws dev.perso.core.DeviceException REJECT_BIN_FULL, JAM, NO_CARD
   */
  void reject(CardTag card);

  /**
   * A later stage identified a card inside as another record's card: from now on the controller names it with
   * {@code card} (the same serial, the record it is personalized as). A transport that keeps its cards' records
   * (a state kept across restarts, a log) records the change, so {@link #cardsInside()} names the record the
   * card now carries; the default does nothing (a tag is matched by its serial).
   *
   * @param card the card's tag with its new record
   * @throws dev.perso.core.DeviceException NO_CARD if no card with that serial is inside
   */
  default void retag(CardTag card) {}

  /** @return the cards the transport's sensors find inside, in the order they entered */
  List<CardTag> cardsInside();

  /**
   * Whether {@link #cardsInside()} still knows the cards after the controller restarts (the machine's own
   * sensors and card tracking, or a persisted state). When it does not, a restarted line cannot tell a card
   * that was never fed from one left inside: it counts every card the journal has open as purged (and
   * remakes its record), and the machine must be emptied into the reject bin by hand.
   *
   * @return true if the transport reports the cards inside across a controller restart; false by default
   */
  default boolean knowsCardsAfterRestart() {
    return false;
  }

  /** @return the hopper and bin levels */
  TransportSensors sensors();
}
