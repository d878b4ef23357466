package dev.perso.devices.surface;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.perso.core.ValidationException;
import dev.perso.core.surface.EmbossFont;
import java.util.EnumMap;
import java.util.Map;

/**
 * What an emboss or indent font of a device forms: its character pitch, its character height and the
 * characters it has. These are device parameters, not the standard: ISO/IEC 7811-1 gives the shapes but
 * the pitch of the 7B style (about 7 characters per inch) and the heights (about 4.5 mm for 7B, 3 mm for
 * Gothic) are vendor figures of low confidence, so a layout may override each of them.
 *
 * <pre>{@code
 * FontSpec sevenB = FontSpec.defaults().get(EmbossFont.FARRINGTON_7B);
 * boolean can = sevenB.canForm('7');
 * }</pre>
 *
 * @param pitch centre-to-centre distance of characters, mm
 * @param height character height, mm
 * @param characters every character the font can form (space included)
 */
public record FontSpec(@JsonProperty(required = true) double pitch, @JsonProperty(required = true) double height,
    @JsonProperty(required = true) String characters) {
  /** Checks the values. */
  public FontSpec {
    if (!(pitch > 0 && pitch < 20 && height > 0 && height < 20)) {
      throw new ValidationException("font", "pitch and height must be 0..20 mm");
    }
    if (characters == null || characters.isEmpty()) {
      throw new ValidationException("font characters", "must list the characters the font forms");
    }
  }

  /**
   * The defaults when a layout names none (device parameters, see the class comment): 7B at 7 cpi
   * (3.63 mm), 4.5 mm high, digits, space and {@code / -}; Gothic at 10 cpi (2.54 mm, the name/address
   * pitch of ISO/IEC 7811-3), 3 mm high, capitals, digits and common punctuation; indent at 14 cpi.
   *
   * @return a new mutable map
   */
  public static Map<EmbossFont, FontSpec> defaults() {
    Map<EmbossFont, FontSpec> m = new EnumMap<>(EmbossFont.class);
    m.put(EmbossFont.FARRINGTON_7B, new FontSpec(25.4 / 7, 4.5, "0123456789 /-"));
    m.put(EmbossFont.GOTHIC, new FontSpec(2.54, 3.0, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,'/-&"));
    m.put(EmbossFont.INDENT_OCR, new FontSpec(25.4 / 14, 2.6, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,/-"));
    return m;
  }

  /**
   * @param c a character
   * @return whether the font can form it
   */
  public boolean canForm(char c) {
    return characters.indexOf(c) >= 0;
  }
}
