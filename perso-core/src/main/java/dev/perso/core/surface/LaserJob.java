package dev.perso.core.surface;

import dev.perso.core.ValidationException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a laser engraver engraves: a template the engraver knows, on one side, with values for its
 * named elements (text, or a reference to an image or barcode content). Values are card data:
 * {@code toString} prints element names only.
 *
 * <pre>{@code
 * new LaserJob("id-front", Side.FRONT, Map.of("name", "JANE DOE", "photo", "img:0001"));
 * }</pre>
 *
 * @param template the engraver's template name
 * @param side the side
 * @param elements element name to value, in order
 */
public record LaserJob(String template, Side side, Map<String, String> elements) {
  /** Checks and copies. */
  public LaserJob {
    Objects.requireNonNull(side, "side");
    if (template == null || template.isBlank()) {
      throw new ValidationException("template", "must not be blank");
    }
    elements = Collections.unmodifiableMap(new LinkedHashMap<>(elements));
  }

  @Override
  public String toString() {
    return "laser " + template + " " + side + " " + elements.keySet();
  }
}
