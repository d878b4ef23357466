package dev.perso.core.surface;

/** The relief colouring foil applied over embossed characters. */
public enum Topping {
  /** No topping. */
  NONE,
  /** Gold foil. */
  GOLD,
  /** Silver foil. */
  SILVER,
  /** Black foil. */
  BLACK,
  /** White foil. */
  WHITE
}
