package dev.perso.core;

/**
 * What went wrong at a device, as a line reacts to it. Each fault says who must act: the card (it is
 * rejected), the station (it goes offline, the line runs on the others) or a person (the machine
 * pauses until the device reports ready again).
 *
 * <pre>{@code
 * catch (DeviceException e) {
 *   if (e.fault().needsOperator()) machine.pause(e);          // ribbon out, cover open, hopper empty...
 *   else if (e.fault().takesStationOffline()) station.offline(e);
 * }
 * }</pre>
 */
public enum DeviceFault {
  /** A card is stuck in the transport; a person must clear it. */
  JAM(Scope.OPERATOR),
  /** No card where one was expected (feed found nothing, or the card left the position). */
  NO_CARD(Scope.CARD),
  /** The input hopper is empty; a person must refill it. */
  HOPPER_EMPTY(Scope.OPERATOR),
  /** The reject bin is full; a person must empty it. */
  REJECT_BIN_FULL(Scope.OPERATOR),
  /** The printer's ribbon or the embosser's topping foil is used up. */
  RIBBON_OUT(Scope.OPERATOR),
  /** A cover or door is open. */
  COVER_OPEN(Scope.OPERATOR),
  /** Writing to the card failed (stripe write, chip command, print). */
  WRITE_ERROR(Scope.CARD),
  /** What was read back after writing differs from what was written. */
  READ_BACK_MISMATCH(Scope.CARD),
  /** The chip station could not power or talk to the card's chip. */
  CHIP_CONTACT_ERROR(Scope.STATION),
  /** The device did not answer in time. */
  TIMEOUT(Scope.STATION),
  /** The device is unreachable or answered something its protocol does not allow. */
  COMMUNICATION_ERROR(Scope.STATION);

  /** Who has to act on a fault. */
  public enum Scope {
    /** The card is bad or was spoiled; the device is fine. */
    CARD,
    /** The station is suspect: it goes offline and its card may be retried elsewhere. */
    STATION,
    /** A person must act; the machine pauses until the device is ready. */
    OPERATOR
  }

  private final Scope scope;

  DeviceFault(Scope scope) {
    this.scope = scope;
  }

  /** @return who has to act */
  public Scope scope() {
    return scope;
  }

  /** @return true if a person must act before the device works again */
  public boolean needsOperator() {
    return scope == Scope.OPERATOR;
  }

  /** @return true if the station should go offline */
  public boolean takesStationOffline() {
    return scope == Scope.STATION;
  }
}
