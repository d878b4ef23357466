package dev.perso.core.surface;

/** Emboss and indent fonts. */
public enum EmbossFont {
  /** The ID-line font in the Farrington 7B style (large, for the PAN). */
  FARRINGTON_7B,
  /** The smaller Gothic font (name, dates). */
  GOTHIC,
  /** The indent printer's OCR-style font. */
  INDENT_OCR
}
