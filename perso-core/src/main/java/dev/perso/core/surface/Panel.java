package dev.perso.core.surface;

/** Ribbon panels of a card printer. */
public enum Panel {
  /** Yellow dye. */
  Y,
  /** Magenta dye. */
  M,
  /** Cyan dye. */
  C,
  /** Black resin. */
  K,
  /** Overlay (clear protective layer). */
  O
}
