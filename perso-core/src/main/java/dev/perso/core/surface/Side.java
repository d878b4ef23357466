package dev.perso.core.surface;

/** A side of the card. */
public enum Side {
  /** The front (the side with the chip or the emboss lines). */
  FRONT,
  /** The back (stripe and signature panel). */
  BACK
}
