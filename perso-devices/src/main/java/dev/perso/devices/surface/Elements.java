package dev.perso.devices.surface;

import dev.perso.core.ValidationException;

/** Shared checks of layout elements. */
final class Elements {
  private Elements() {}

  static String name(String name) {
    if (name == null || !name.matches("[A-Za-z0-9_.-]{1,40}")) {
      throw new ValidationException("element name", "must be 1..40 letters, digits, '_', '.' or '-'");
    }
    return name;
  }
}
