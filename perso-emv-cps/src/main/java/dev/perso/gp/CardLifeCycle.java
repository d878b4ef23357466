package dev.perso.gp;

import dev.perso.core.ValidationException;

/**
 * The card's life-cycle states, coded as the ISD reports them in GET STATUS and SET STATUS takes them
 * (GP Card Specification 2.3.1 §11.1.1, Table 11-6). OP_READY → INITIALIZED → SECURED are irreversible;
 * CARD_LOCKED and TERMINATED stop the card and are only ever sent on an explicit request.
 *
 * <pre>{@code
 * CardLifeCycle.of(0x0F);                       // SECURED
 * CardLifeCycle.INITIALIZED.canMoveTo(CardLifeCycle.SECURED);  // true
 * }</pre>
 */
public enum CardLifeCycle {
  /** 01. */
  OP_READY(0x01),
  /** 07. */
  INITIALIZED(0x07),
  /** 0F. */
  SECURED(0x0F),
  /** 7F: only the final application can be selected. */
  CARD_LOCKED(0x7F),
  /** FF: the end of the card's life. */
  TERMINATED(0xFF);

  private final int code;

  CardLifeCycle(int code) {
    this.code = code;
  }

  /** @return the coding byte */
  public int code() {
    return code;
  }

  /** @return true for CARD_LOCKED and TERMINATED, the states that take a card out of use */
  public boolean stopsCard() {
    return this == CARD_LOCKED || this == TERMINATED;
  }

  /**
   * The transitions GP 2.3.1 §5.1.1 allows: forward along OP_READY, INITIALIZED, SECURED (states may be
   * skipped); SECURED ↔ CARD_LOCKED; any state but TERMINATED to TERMINATED.
   *
   * @param target the wanted state
   * @return true if the specification allows it
   */
  public boolean canMoveTo(CardLifeCycle target) {
    if (this == TERMINATED || target == this) {
      return false;
    }
    switch (target) {
      case TERMINATED: return true;
      case CARD_LOCKED: return this == SECURED;
      case SECURED: return this == OP_READY || this == INITIALIZED || this == CARD_LOCKED;
      case INITIALIZED: return this == OP_READY;
      default: return false;
    }
  }

  /**
   * @param code the coding byte
   * @return the state
   * @throws ValidationException if the byte is no card state
   */
  public static CardLifeCycle of(int code) {
    for (CardLifeCycle c : values()) {
      if (c.code == code) {
        return c;
      }
    }
    throw new ValidationException("card life cycle", String.format("%02X is not a card state (GP 2.3.1 Table 11-6)",
        code & 0xFF));
  }

  /**
   * @param name a state name in any case, {@code CARD_LOCKED} also as {@code LOCKED}
   * @return the state
   * @throws ValidationException naming the known states
   */
  public static CardLifeCycle named(String name) {
    String n = name == null ? "" : name.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    if (n.equals("LOCKED")) {
      return CARD_LOCKED;
    }
    for (CardLifeCycle c : values()) {
      if (c.name().equals(n)) {
        return c;
      }
    }
    throw new ValidationException("card life cycle", "'" + name + "' is not one of OP_READY, INITIALIZED, SECURED, "
        + "CARD_LOCKED, TERMINATED");
  }
}
