package dev.perso.iso7813;

import dev.perso.core.ValidationException;
import java.util.List;

/** Shared pre-processing for lenient parsing and the soft-rule switch of the builders. */
final class Lenient {
  private Lenient() {}

  /**
   * Trims, drops characters after the end sentinel and adds missing sentinels; notes each step.
   *
   * @param text raw reader text
   * @param type track
   * @param notes where to record what was tolerated
   * @return text from SS to ES
   */
  static String prepare(String text, TrackType type, List<String> notes) {
    if (text == null) {
      throw new ValidationException("text", "must not be null");
    }
    String s = text.strip();
    if (s.length() != text.length()) {
      notes.add("leading or trailing whitespace removed");
    }
    int es = s.indexOf(type.endSentinel());
    if (es >= 0 && es < s.length() - 1) {
      notes.add((s.length() - 1 - es) + " character(s) after the end sentinel ignored (LRC or noise)");
      s = s.substring(0, es + 1);
    }
    if (s.isEmpty() || s.charAt(0) != type.startSentinel()) {
      notes.add("start sentinel " + type.startSentinel() + " missing, assumed");
      s = type.startSentinel() + s;
    }
    if (s.length() < 2 || s.charAt(s.length() - 1) != type.endSentinel()) {
      notes.add("end sentinel " + type.endSentinel() + " missing, assumed");
      s = s + type.endSentinel();
    }
    return s;
  }

  /**
   * Throws {@code e} unless {@code notes} is non-null, in which case the rule is recorded as tolerated.
   *
   * @param notes null when strict
   * @param e the broken rule
   */
  static void soft(List<String> notes, ValidationException e) {
    if (notes == null) {
      throw e;
    }
    notes.add(e.getMessage() + " (tolerated)");
  }
}
