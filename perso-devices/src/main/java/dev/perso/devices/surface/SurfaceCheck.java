package dev.perso.devices.surface;

/**
 * One finding of a surface layout check: the element, the rule it breaks and how bad it is. The detail
 * gives sizes and positions, never card data.
 *
 * <pre>{@code
 * for (SurfaceCheck w : plan.warnings()) log.warn("{}", w);   // "WARNING pan: EMBOSS_OVER_PRINT (over logo)"
 * }</pre>
 *
 * @param severity error (the card cannot be made) or warning
 * @param element the element's name
 * @param rule the rule
 * @param detail sizes, positions and limits
 */
public record SurfaceCheck(Severity severity, String element, Rule rule, String detail) {

  /** How bad. */
  public enum Severity { ERROR, WARNING }

  /** The rules (ISO/IEC 7811-3 areas and the device's limits). */
  public enum Rule {
    /** The ID-number line is not on its centre line (21.42 mm above the bottom edge, within the tolerance). */
    ID_LINE_AREA,
    /** More numerals on the ID-number line than allowed (19). */
    ID_LINE_LENGTH,
    /** A name/address line outside area 2 (bottom margin, height, first character). */
    NAME_AREA,
    /** More than 4 name/address lines, or more than 27 characters on one. */
    NAME_LENGTH,
    /** A character the emboss or indent font cannot form. */
    FONT_CHARACTERS,
    /** Embossing or indenting over the magnetic stripe. */
    OVER_STRIPE,
    /** Embossing or indenting over the chip contacts. */
    OVER_CHIP,
    /** An element off the card. */
    OUTSIDE_CARD,
    /** A printed element outside the printer's printable area. */
    OUTSIDE_PRINTABLE,
    /** Embossing over a printed element (relief on print: a warning). */
    EMBOSS_OVER_PRINT,
    /** A text wider than its maximum width, or a barcode its symbology cannot encode. */
    CONTENT
  }

  @Override
  public String toString() {
    return severity + " " + element + ": " + rule + " (" + detail + ")";
  }
}
