package dev.perso.devices.datacard;

import dev.perso.core.ValidationException;
import dev.perso.core.surface.EmbossFont;
import dev.perso.core.surface.IndentLine;
import dev.perso.core.surface.EmbossLine;
import dev.perso.core.surface.Side;
import dev.perso.core.surface.Topping;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Renders emboss and indent lines as the Datacard driver's text escapes {@code ~EM%<font>;<x>;<y>;<text>}
 * (notes magstripe-surface §4.1/§4.2; Datacard SD360 and CD800 guides, XPS SDK emboss_indent sample): x in
 * mils (1/1000 in) from the card's left edge to the centre of the first character, y in mils from the bottom
 * edge to the characters' vertical midpoint. The escapes travel as text in the print job (see
 * {@code CupsPrinter}), where the driver takes them out and drives its emboss and indent modules.
 *
 * <p>Offsets are checked against the device's limits (default {@link Limits#SD360}: x 280..3025 with
 * topping, 100..3275 without; y 135..860 with topping, 135..1460 without); the text must be 0x20..0xFF
 * without {@code <} and {@code >}. Font numbers, pitches and heights are device parameters: the defaults
 * (1 for the 7B-style font, 2 for Gothic, 10 for indent; 7, 10 and 14 characters per inch; 4.5, 3.0 and
 * 2.5 mm high) follow the notes' vendor figures, which the notes mark as low confidence, so set them from
 * the printer's font table. An indent line on the side other than its font's default side adds 20 to the
 * font number (the guides' side override).
 *
 * <pre>{@code
 * DatacardEscapes esc = DatacardEscapes.builder().build();
 * List<String> lines = esc.escapes(List.of(new EmbossLine("4000 1234 5678 9010", EmbossFont.FARRINGTON_7B,
 *     10.0, 34.81, Topping.SILVER)), List.of());   // ~EM%1;465;843;4000 1234 5678 9010
 * }</pre>
 */
public final class DatacardEscapes {
  private static final double MILS_PER_MM = 1000 / 25.4;
  private static final double CARD_HEIGHT_MM = 53.98;
  private final Map<EmbossFont, Font> fonts;
  private final Limits limits;

  /**
   * A font in the printer's table.
   *
   * @param number the driver's font number
   * @param pitchMm the distance between character centres, millimetres
   * @param heightMm the characters' height, millimetres
   * @param defaultSide the side the font works on unless the number is raised by 20
   */
  public record Font(int number, double pitchMm, double heightMm, Side defaultSide) {
    /** Checks the values. */
    public Font {
      Objects.requireNonNull(defaultSide, "defaultSide");
      if (number < 1 || number > 19) {
        throw new ValidationException("font number", "must be 1..19 (20 is added for the other side), was " + number);
      }
      if (!(pitchMm > 0 && pitchMm < 20 && heightMm > 0 && heightMm < 20)) {
        throw new ValidationException("font " + number, "pitch and height must be 0..20 mm");
      }
    }
  }

  /**
   * The device's offset limits, mils.
   *
   * @param xMinTopping smallest x with topping
   * @param xMaxTopping largest x with topping
   * @param xMin smallest x without topping
   * @param xMax largest x without topping
   * @param yMinTopping smallest y with topping
   * @param yMaxTopping largest y with topping
   * @param yMin smallest y without topping
   * @param yMax largest y without topping
   */
  public record Limits(int xMinTopping, int xMaxTopping, int xMin, int xMax, int yMinTopping, int yMaxTopping,
      int yMin, int yMax) {
    /** Datacard SD360 (notes §4.1, SD360 manual p.128). */
    public static final Limits SD360 = new Limits(280, 3025, 100, 3275, 135, 860, 135, 1460);
  }

  private DatacardEscapes(Map<EmbossFont, Font> fonts, Limits limits) {
    this.fonts = fonts;
    this.limits = limits;
  }

  /** @return a builder with the default fonts and the SD360 limits */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @param emboss emboss lines (front, raised)
   * @param indent indent lines
   * @return one escape per line, emboss lines first
   * @throws ValidationException naming the line (by its place, never its text) and the rule
   */
  public List<String> escapes(List<EmbossLine> emboss, List<IndentLine> indent) {
    List<String> out = new ArrayList<>(emboss.size() + indent.size());
    for (int i = 0; i < emboss.size(); i++) {
      EmbossLine l = emboss.get(i);
      out.add(escape("emboss line " + (i + 1), l.text(), l.font(), Side.FRONT, l.xMm(), l.yMm(),
          l.topping() != Topping.NONE));
    }
    for (int i = 0; i < indent.size(); i++) {
      IndentLine l = indent.get(i);
      out.add(escape("indent line " + (i + 1), l.text(), l.font(), l.side(), l.xMm(), l.yMm(), false));
    }
    return out;
  }

  private String escape(String what, String text, EmbossFont font, Side side, double xMm, double yMm, boolean topping) {
    Font f = fonts.get(font);
    if (f == null) {
      throw new ValidationException(what, "font " + font + " has no number in this printer's font table");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c > 0xFF || c == '<' || c == '>') {
        throw new ValidationException(what, "character " + (i + 1) + " is outside 0x20..0xFF or is < or >");
      }
    }
    long x = Math.round((xMm + f.pitchMm() / 2) * MILS_PER_MM);
    long y = Math.round((CARD_HEIGHT_MM - yMm + f.heightMm() / 2) * MILS_PER_MM);
    int xMin = topping ? limits.xMinTopping() : limits.xMin();
    int xMax = topping ? limits.xMaxTopping() : limits.xMax();
    int yMin = topping ? limits.yMinTopping() : limits.yMin();
    int yMax = topping ? limits.yMaxTopping() : limits.yMax();
    String t = topping ? " with topping" : " without topping";
    if (x < xMin || x > xMax) {
      throw new ValidationException(what, "horizontal offset " + x + " mils (left edge to the first character's centre)"
          + " is outside " + xMin + ".." + xMax + t);
    }
    if (y < yMin || y > yMax) {
      throw new ValidationException(what, "vertical offset " + y + " mils (bottom edge to the characters' midpoint)"
          + " is outside " + yMin + ".." + yMax + t);
    }
    int number = side == f.defaultSide() ? f.number() : f.number() + 20;
    return "~EM%" + number + ";" + x + ";" + y + ";" + text;
  }

  /** Builds {@link DatacardEscapes}. */
  public static final class Builder {
    private final EnumMap<EmbossFont, Font> fonts = new EnumMap<>(EmbossFont.class);
    private Limits limits = Limits.SD360;

    private Builder() {
      fonts.put(EmbossFont.FARRINGTON_7B, new Font(1, 25.4 / 7, 4.5, Side.FRONT));
      fonts.put(EmbossFont.GOTHIC, new Font(2, 25.4 / 10, 3.0, Side.FRONT));
      fonts.put(EmbossFont.INDENT_OCR, new Font(10, 25.4 / 14, 2.5, Side.FRONT));
    }

    /** @param font a font @param spec its number and metrics on this printer @return this */
    public Builder font(EmbossFont font, Font spec) {
      fonts.put(Objects.requireNonNull(font, "font"), Objects.requireNonNull(spec, "spec"));
      return this;
    }

    /** @param v the printer's offset limits @return this */
    public Builder limits(Limits v) {
      this.limits = Objects.requireNonNull(v, "limits");
      return this;
    }

    /** @return the renderer */
    public DatacardEscapes build() {
      return new DatacardEscapes(new EnumMap<>(fonts), limits);
    }
  }
}
