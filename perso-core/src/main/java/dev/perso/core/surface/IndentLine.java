package dev.perso.core.surface;

import dev.perso.core.ValidationException;
import java.util.Objects;

/**
 * One line of indented (debossed) characters, e.g. the CVV2 on the signature panel. The text is card data:
 * {@code toString} prints its length only.
 *
 * <pre>{@code
 * new IndentLine("123", EmbossFont.INDENT_OCR, Side.BACK, 62.0, 12.5);
 * }</pre>
 *
 * @param text the characters
 * @param font the font
 * @param side the side
 * @param xMm left edge, millimetres
 * @param yMm baseline from the top edge, millimetres
 */
public record IndentLine(String text, EmbossFont font, Side side, double xMm, double yMm) {
  /** Checks the values. */
  public IndentLine {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(font, "font");
    Objects.requireNonNull(side, "side");
    if (text.isEmpty()) {
      throw new ValidationException("indent line", "text must not be empty");
    }
    if (!(xMm >= 0 && xMm <= 85.60 && yMm >= 0 && yMm <= 53.98)) {
      throw new ValidationException("indent line", "position must be on an ID-1 card (85.60 x 53.98 mm)");
    }
  }

  @Override
  public String toString() {
    return "indent " + side + " " + font + " " + text.length() + " chars at (" + xMm + ", " + yMm + ") mm";
  }
}
