package dev.perso.iso7813;

import dev.perso.core.MalformedDataException;
import dev.perso.core.PersoException;
import dev.perso.core.ValidationException;
import java.util.List;

/**
 * Parses track text whose track number is not known. {@code %} (or a letter or {@code ^} in lenient
 * mode) means track 1. Otherwise text with three or more {@code =} separators is tried as track 3 first
 * (ISO 4909 always has at least four), anything else as track 2 first, then the other one.
 *
 * <pre>{@code
 * Parsed<Track> p = Tracks.parse(";4111111111111111=2612101?");
 * if (p.value() instanceof Track2 t2) { ... }
 * }</pre>
 */
public final class Tracks {
  private Tracks() {}

  /**
   * Parses exactly what a track holds, sentinels and LRC character included where given.
   *
   * @param text track text
   * @return the parsed track (nothing tolerated)
   * @throws MalformedDataException or {@link ValidationException} when the text is no track
   */
  public static Parsed<Track> parse(String text) {
    return parse(text, false);
  }

  /**
   * Parses what real readers send (surrounding blanks, missing sentinels, lower case; see each track's
   * {@code parseLenient}) and reports what it tolerated.
   *
   * @param text track text as a reader gave it
   * @return the parsed track and what was tolerated
   * @throws MalformedDataException or {@link ValidationException} when the text is no track
   */
  public static Parsed<Track> parseLenient(String text) {
    return parse(text, true);
  }

  private static Parsed<Track> parse(String text, boolean lenient) {
    if (text == null) {
      throw new ValidationException("text", "must not be null");
    }
    String s = lenient ? text.strip() : text;
    if (s.isEmpty()) {
      throw new MalformedDataException(0, "empty track text");
    }
    boolean t1 = s.charAt(0) == '%' || (lenient && s.charAt(0) != ';' && hasTrack1Marks(s));
    if (t1) {
      return widen(lenient ? Track1.parseLenient(text) : new Parsed<>(Track1.parse(text), List.of()));
    }
    if (!lenient && s.charAt(0) != ';') {
      throw new MalformedDataException(0, "track text must start with % (track 1) or ; (tracks 2 and 3)");
    }
    long separators = s.chars().filter(c -> c == '=').count();
    boolean threeFirst = separators >= 3;
    PersoException first;
    try {
      return threeFirst ? track3(text, lenient) : track2(text, lenient);
    } catch (PersoException e) {
      first = e;
    }
    try {
      return threeFirst ? track2(text, lenient) : track3(text, lenient);
    } catch (PersoException e) {
      throw first;
    }
  }

  private static boolean hasTrack1Marks(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '^' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z' && c != 'd')) {
        return true;
      }
    }
    return false;
  }

  private static Parsed<Track> track2(String text, boolean lenient) {
    return widen(lenient ? Track2.parseLenient(text) : new Parsed<>(Track2.parse(text), List.of()));
  }

  private static Parsed<Track> track3(String text, boolean lenient) {
    return widen(lenient ? Track3.parseLenient(text) : new Parsed<>(Track3.parse(text), List.of()));
  }

  private static Parsed<Track> widen(Parsed<? extends Track> p) {
    return new Parsed<>(p.value(), p.tolerated());
  }
}
