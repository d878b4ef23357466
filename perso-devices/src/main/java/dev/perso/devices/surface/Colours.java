package dev.perso.devices.surface;

import dev.perso.core.ValidationException;
import java.awt.Color;

/** {@code #RRGGBB} colours of layout files. */
final class Colours {
  private Colours() {}

  static String check(String field, String text) {
    if (text == null || !text.matches("#[0-9A-Fa-f]{6}")) {
      throw new ValidationException(field, "must be a colour #RRGGBB");
    }
    return text.toUpperCase(java.util.Locale.ROOT);
  }

  static Color of(String text) {
    return new Color(Integer.parseInt(text.substring(1), 16));
  }
}
