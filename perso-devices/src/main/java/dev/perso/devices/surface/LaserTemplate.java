package dev.perso.devices.surface;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.perso.core.ValidationException;
import dev.perso.core.surface.Side;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A laser template: a static setup the engraver knows, with named variable elements (text, barcode,
 * image) and the field template that fills each one. The engraver gets a
 * {@link dev.perso.core.surface.LaserJob} of the template's name and the element values.
 *
 * <pre>{@code
 * {"name": "id-front", "side": "FRONT", "elements": [
 *   {"name": "holder", "kind": "TEXT", "value": "{name:upper}", "box": [8, 40, 50, 5], "size": 9},
 *   {"name": "code", "kind": "BARCODE", "format": "DATA_MATRIX", "value": "{id}", "box": [70, 38, 10, 10]}]}
 * }</pre>
 *
 * @param name the template's name (as the engraver knows it)
 * @param side side
 * @param elements its elements
 */
public record LaserTemplate(@JsonProperty(required = true) String name, @JsonProperty(required = true) Side side,
    @JsonProperty(required = true) List<Element> elements) {

  /** An element's kind. */
  public enum Kind { TEXT, BARCODE, IMAGE }

  /**
   * A named element.
   *
   * @param name its name
   * @param kind its kind
   * @param value field template (IMAGE: an image source as in {@link PrintElement.Image})
   * @param box where it is engraved
   * @param size TEXT: point size (default 9)
   * @param format BARCODE: symbology
   */
  public record Element(@JsonProperty(required = true) String name, @JsonProperty(required = true) Kind kind,
      @JsonProperty(required = true) String value, @JsonProperty(required = true) Box box, Double size,
      PrintElement.Format format) {
    /** Checks and fills defaults. */
    public Element {
      Elements.name(name);
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(box, "box");
      if (kind != Kind.IMAGE) {
        FieldTemplate.parse(name + ".value", value);
      }
      size = size == null ? 9.0 : size;
      if (kind == Kind.BARCODE && format == null) {
        throw new ValidationException(name + ".format", "a BARCODE element needs a format");
      }
    }
  }

  /** Checks and copies. */
  public LaserTemplate {
    Elements.name(name);
    Objects.requireNonNull(side, "side");
    elements = List.copyOf(elements);
    Set<String> seen = new HashSet<>();
    for (Element e : elements) {
      if (!seen.add(e.name())) {
        throw new ValidationException(name + ".elements", "two elements are named " + e.name());
      }
    }
  }

  /**
   * @param element an element's name
   * @return it
   * @throws ValidationException if the template has none of that name
   */
  public Element element(String element) {
    return elements.stream().filter(e -> e.name().equals(element)).findFirst().orElseThrow(
        () -> new ValidationException(name + "." + element, "template " + name + " has no such element"));
  }
}
