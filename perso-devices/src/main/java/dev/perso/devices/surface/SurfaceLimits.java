package dev.perso.devices.surface;

/**
 * The rules a layout is checked against: the ISO/IEC 7811-3 embossing areas on an ID-1 card and the
 * device's printable margin. Each value may be overridden in a layout file ({@code "limits": {...}}); a
 * missing value takes the default below.
 *
 * <p>Defaults and their sources (magstripe-surface notes §4.1): the identification-number line's centre
 * 21.42 mm above the bottom edge, up to 19 numerals (Guthery &amp; Jurgensen, <i>Smart Card Developer's
 * Kit</i>, ch. 3); the name/address area of 4 lines x 27 characters, at most 14.53 mm high, its bottom
 * 2.41 mm (2.54 mm with a magnetic stripe) or more above the bottom edge, the first character's centre at
 * least 7.65 mm from the left edge (GOST R ISO/IEC 7811-3-2003 §7). Device parameters, not the standard:
 * how far the ID line's centre may be from its nominal place ({@code idLineToleranceMm}, default 0.5 mm)
 * and the printer's unprintable margin ({@code printMarginMm}, default 0.5 mm).
 *
 * <pre>{@code
 * SurfaceLimits limits = SurfaceLimits.iso7811();
 * }</pre>
 *
 * @param idLineCentreFromBottomMm nominal centre line of the ID-number line above the bottom edge
 * @param idLineToleranceMm how far the ID line's centre may be from it
 * @param idLineMaxDigits most numerals on the ID line
 * @param nameMaxLines most lines in the name/address area
 * @param nameMaxChars most characters per name/address line
 * @param nameAreaMaxHeightMm the name/address area's greatest height
 * @param nameBottomMarginMm least distance from the area's bottom to the card's bottom edge
 * @param nameBottomMarginWithStripeMm the same on a card with a magnetic stripe
 * @param nameFirstCharCentreMinXMm least distance of a line's first character's centre from the left edge
 * @param printMarginMm the printer's unprintable margin at each edge
 */
public record SurfaceLimits(Double idLineCentreFromBottomMm, Double idLineToleranceMm, Integer idLineMaxDigits,
    Integer nameMaxLines, Integer nameMaxChars, Double nameAreaMaxHeightMm, Double nameBottomMarginMm,
    Double nameBottomMarginWithStripeMm, Double nameFirstCharCentreMinXMm, Double printMarginMm) {

  /** Fills the defaults for missing values. */
  public SurfaceLimits {
    idLineCentreFromBottomMm = or(idLineCentreFromBottomMm, 21.42);
    idLineToleranceMm = or(idLineToleranceMm, 0.5);
    idLineMaxDigits = idLineMaxDigits == null ? 19 : idLineMaxDigits;
    nameMaxLines = nameMaxLines == null ? 4 : nameMaxLines;
    nameMaxChars = nameMaxChars == null ? 27 : nameMaxChars;
    nameAreaMaxHeightMm = or(nameAreaMaxHeightMm, 14.53);
    nameBottomMarginMm = or(nameBottomMarginMm, 2.41);
    nameBottomMarginWithStripeMm = or(nameBottomMarginWithStripeMm, 2.54);
    nameFirstCharCentreMinXMm = or(nameFirstCharCentreMinXMm, 7.65);
    printMarginMm = or(printMarginMm, 0.5);
  }

  /** @return the defaults (see the class comment) */
  public static SurfaceLimits iso7811() {
    return new SurfaceLimits(null, null, null, null, null, null, null, null, null, null);
  }

  private static Double or(Double v, double d) {
    return v == null ? d : v;
  }
}
