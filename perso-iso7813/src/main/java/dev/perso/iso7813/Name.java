package dev.perso.iso7813;

import dev.perso.core.ValidationException;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Objects;

/**
 * A cardholder name for track 1 in the ISO/IEC 7813 form {@code SURNAME/FIRST NAMES.TITLE}.
 *
 * <p>Letters are upper-cased and accents removed (NFD, combining marks dropped). Any other character
 * outside the track 1 set, or one of {@code % ^ ? / .} inside a part, is rejected.
 *
 * <p><b>Shortening rule</b> ({@link #trackText()}), applied step by step until the text fits in
 * {@value #MAX_LENGTH} characters:
 * <ol>
 *   <li>drop the title;</li>
 *   <li>reduce every first name after the first to its initial ({@code JOHN PAUL} becomes {@code JOHN P});</li>
 *   <li>reduce every first name to its initial ({@code J P});</li>
 *   <li>keep only the first initial ({@code J});</li>
 *   <li>cut the surname so that {@code SURNAME/J} is 26 characters.</li>
 * </ol>
 * {@link #isShortened()} tells whether any step was needed, so the caller can report it.
 *
 * <pre>{@code
 * Name n = Name.of("Smith", "John Paul", "Dr");
 * n.fullText();    // "SMITH/JOHN PAUL.DR"
 * Name.of("Featherstonehaugh-Wolfeschlegel", "Maximilian Alexander", "Prof").trackText();
 * // "FEATHERSTONEHAUGH-WOLFES/M"
 * }</pre>
 */
public final class Name {
  /** Maximum name length on track 1. */
  public static final int MAX_LENGTH = 26;

  private final String surname;
  private final String firstNames;
  private final String title;
  private final String trackText;

  private Name(String surname, String firstNames, String title) {
    this.surname = surname;
    this.firstNames = firstNames;
    this.title = title;
    this.trackText = shorten();
  }

  /**
   * @param surname surname(s), required
   * @param firstNames first names or initials separated by spaces; may be empty
   * @param title title such as {@code MR} or {@code DR}; may be empty
   * @return the name
   * @throws ValidationException naming the part and the rule
   */
  public static Name of(String surname, String firstNames, String title) {
    String s = clean("name.surname", surname);
    if (s.isEmpty()) {
      throw new ValidationException("name.surname", "must not be empty");
    }
    return new Name(s, clean("name.firstNames", firstNames), clean("name.title", title));
  }

  /**
   * @param surname surname(s)
   * @param firstNames first names
   * @return the name without a title
   */
  public static Name of(String surname, String firstNames) {
    return of(surname, firstNames, "");
  }

  private static String clean(String field, String part) {
    if (part == null) {
      return "";
    }
    String s = Normalizer.normalize(part.trim(), Normalizer.Form.NFD).replaceAll("\\p{M}+", "")
        .toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x5F || c == '%' || c == '^' || c == '?' || c == '/' || c == '.') {
        throw new ValidationException(field, "character at position " + i + " is not allowed in a track 1 name part");
      }
    }
    return s;
  }

  /** @return the surname(s), upper case */
  public String surname() {
    return surname;
  }

  /** @return the first names, upper case; may be empty */
  public String firstNames() {
    return firstNames;
  }

  /** @return the title, upper case; may be empty */
  public String title() {
    return title;
  }

  /** @return {@code SURNAME/FIRST NAMES.TITLE} without shortening (may exceed 26 characters) */
  public String fullText() {
    return compose(surname, firstNames, title);
  }

  /**
   * @return the text for track 1, shortened by the documented rule to at most 26 characters (and
   *     padded with a space when it would be shorter than 2)
   */
  public String trackText() {
    return trackText;
  }

  /** @return true when {@link #trackText()} differs from {@link #fullText()} */
  public boolean isShortened() {
    return !trackText.equals(fullText());
  }

  private static String compose(String surname, String first, String title) {
    StringBuilder b = new StringBuilder(surname).append('/').append(first);
    if (!title.isEmpty()) {
      b.append('.').append(title);
    }
    return b.toString();
  }

  private String shorten() {
    String t = compose(surname, firstNames, title);
    if (t.length() <= MAX_LENGTH) {
      return t;
    }
    t = compose(surname, firstNames, "");
    if (t.length() <= MAX_LENGTH) {
      return t;
    }
    String[] parts = firstNames.isEmpty() ? new String[0] : firstNames.split(" ");
    StringBuilder rest = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        rest.append(' ').append(parts[i].charAt(0));
      } else {
        rest.append(parts[0]);
      }
    }
    t = compose(surname, rest.toString(), "");
    if (t.length() <= MAX_LENGTH) {
      return t;
    }
    StringBuilder initials = new StringBuilder();
    for (String p : parts) {
      if (initials.length() > 0) {
        initials.append(' ');
      }
      initials.append(p.charAt(0));
    }
    t = compose(surname, initials.toString(), "");
    if (t.length() <= MAX_LENGTH) {
      return t;
    }
    String first = parts.length == 0 ? "" : parts[0].substring(0, 1);
    t = compose(surname, first, "");
    if (t.length() <= MAX_LENGTH) {
      return t;
    }
    return compose(surname.substring(0, MAX_LENGTH - 1 - first.length()).stripTrailing(), first, "");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Name n && n.surname.equals(surname) && n.firstNames.equals(firstNames) && n.title.equals(title);
  }

  @Override
  public int hashCode() {
    return Objects.hash(surname, firstNames, title);
  }

  /** @return a masked form: the cardholder name is personal data and is not printed */
  @Override
  public String toString() {
    return "Name[" + fullText().length() + " chars" + (isShortened() ? ", shortened" : "") + "]";
  }
}
