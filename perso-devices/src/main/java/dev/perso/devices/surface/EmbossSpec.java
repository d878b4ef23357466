package dev.perso.devices.surface;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.perso.core.surface.EmbossFont;
import dev.perso.core.surface.Topping;
import java.util.Objects;

/**
 * An emboss line of a layout: a field template placed in an ISO/IEC 7811-3 area. Positions follow
 * {@link dev.perso.core.surface.EmbossLine}: {@code x} is the left edge of the first character, {@code y}
 * the baseline, in mm from the front's top-left corner.
 *
 * <pre>{@code
 * {"name": "pan", "text": "{pan:4-4-4-4}", "font": "FARRINGTON_7B", "x": 9.5, "y": 34.7, "topping": "GOLD"}
 * }</pre>
 *
 * @param name element name
 * @param text field template
 * @param font the emboss font
 * @param x left edge of the first character, mm
 * @param y baseline, mm from the top
 * @param topping topping foil (default NONE)
 * @param area the ISO/IEC 7811-3 area the line belongs to (default: ID_NUMBER for 7B, else NAME_ADDRESS)
 */
public record EmbossSpec(@JsonProperty(required = true) String name, @JsonProperty(required = true) String text,
    @JsonProperty(required = true) EmbossFont font, @JsonProperty(required = true) double x,
    @JsonProperty(required = true) double y, Topping topping, Area area) {

  /** The embossing areas of ISO/IEC 7811-3. */
  public enum Area {
    /** Area 1: the identification-number line. */
    ID_NUMBER,
    /** Area 2: name and address, 4 lines x 27 characters. */
    NAME_ADDRESS
  }

  /** Checks and fills defaults. */
  public EmbossSpec {
    Elements.name(name);
    FieldTemplate.parse(name + ".text", text);
    Objects.requireNonNull(font, "font");
    topping = topping == null ? Topping.NONE : topping;
    area = area != null ? area : font == EmbossFont.FARRINGTON_7B ? Area.ID_NUMBER : Area.NAME_ADDRESS;
  }
}
