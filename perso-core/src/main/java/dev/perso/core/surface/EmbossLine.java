package dev.perso.core.surface;

import dev.perso.core.ValidationException;
import java.util.Objects;

/**
 * One line of embossed characters. The text is card data (PAN, name): {@code toString} prints its length only.
 *
 * <pre>{@code
 * new EmbossLine("4761 7390 0101 0010", EmbossFont.FARRINGTON_7B, 10.2, 21.0, Topping.SILVER);
 * }</pre>
 *
 * @param text the characters
 * @param font the font
 * @param xMm left edge of the first character from the card's left edge, millimetres
 * @param yMm baseline from the card's top edge, millimetres
 * @param topping the topping foil
 */
public record EmbossLine(String text, EmbossFont font, double xMm, double yMm, Topping topping) {
  /** Checks the values. */
  public EmbossLine {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(font, "font");
    Objects.requireNonNull(topping, "topping");
    if (text.isEmpty()) {
      throw new ValidationException("emboss line", "text must not be empty");
    }
    if (!(xMm >= 0 && xMm <= 85.60 && yMm >= 0 && yMm <= 53.98)) {
      throw new ValidationException("emboss line", "position must be on an ID-1 card (85.60 x 53.98 mm)");
    }
  }

  @Override
  public String toString() {
    return "emboss " + font + " " + text.length() + " chars at (" + xMm + ", " + yMm + ") mm, topping " + topping;
  }
}
