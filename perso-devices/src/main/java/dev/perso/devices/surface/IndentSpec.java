package dev.perso.devices.surface;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.perso.core.surface.EmbossFont;
import dev.perso.core.surface.Side;
import java.util.Objects;

/**
 * An indent (deboss) line of a layout, e.g. the CVV2 on the signature panel. Positions as in
 * {@link dev.perso.core.surface.IndentLine}: left edge of the first character and baseline, in mm from the
 * top-left corner of its side.
 *
 * <pre>{@code
 * {"name": "cvv2", "text": "{cvv2}", "font": "INDENT_OCR", "side": "BACK", "x": 66, "y": 29}
 * }</pre>
 *
 * @param name element name
 * @param text field template
 * @param font the indent font (default INDENT_OCR)
 * @param side side (default BACK)
 * @param x left edge, mm
 * @param y baseline, mm
 */
public record IndentSpec(@JsonProperty(required = true) String name, @JsonProperty(required = true) String text,
    EmbossFont font, Side side, @JsonProperty(required = true) double x, @JsonProperty(required = true) double y) {
  /** Checks and fills defaults. */
  public IndentSpec {
    Elements.name(name);
    FieldTemplate.parse(name + ".text", text);
    font = font == null ? EmbossFont.INDENT_OCR : font;
    side = side == null ? Side.BACK : side;
    Objects.requireNonNull(side);
  }
}
