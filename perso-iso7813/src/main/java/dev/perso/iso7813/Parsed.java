package dev.perso.iso7813;

import java.util.List;
import java.util.Objects;

/**
 * The result of a lenient parse: the value and, in words, every deviation from ISO that was tolerated.
 *
 * <pre>{@code
 * Parsed<Track2> p = Track2.parseLenient(" ;4111111111111111=2612101?x");
 * p.value().pan();       // "4111111111111111"
 * p.tolerated();         // ["leading or trailing whitespace removed", "1 character(s) after the end sentinel ignored (LRC or noise)"]
 * }</pre>
 *
 * @param value the parsed value
 * @param tolerated deviations, empty when the input was strictly valid
 * @param <T> the value type
 */
public record Parsed<T>(T value, List<String> tolerated) {
  /** Copies the list. */
  public Parsed {
    Objects.requireNonNull(value, "value");
    tolerated = List.copyOf(tolerated);
  }

  /** @return true when nothing had to be tolerated */
  public boolean isStrict() {
    return tolerated.isEmpty();
  }
}
