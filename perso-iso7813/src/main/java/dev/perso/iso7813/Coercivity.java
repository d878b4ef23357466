package dev.perso.iso7813;

/**
 * Coercivity of the stripe, which sets the write current of the encoder.
 *
 * <pre>{@code
 * MagStripe.builder().coercivity(Coercivity.HICO);
 * }</pre>
 */
public enum Coercivity {
  /** High coercivity, about 2750 Oe (black stripe). */
  HICO(2750),
  /** Low coercivity, about 300 Oe (brown stripe). */
  LOCO(300);

  private final int oersted;

  Coercivity(int oersted) {
    this.oersted = oersted;
  }

  /** @return the nominal coercivity in oersted */
  public int oersted() {
    return oersted;
  }
}
