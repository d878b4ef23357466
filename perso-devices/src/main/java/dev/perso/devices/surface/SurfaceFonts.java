package dev.perso.devices.surface;

import dev.perso.core.surface.EmbossFont;
import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.font.FontRenderContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The faces previews and printed faces are drawn with: DejaVu (Debian {@code fonts-dejavu-core}) and OCR-B
 * (Debian {@code fonts-ocr-b}), loaded from the system's font files; the SDK ships no font. Farrington 7B
 * is not free: the 7B emboss style is drawn with OCR-B, the Gothic emboss style with DejaVu Sans Mono Bold.
 * A face whose file is missing falls back to a JDK logical font and says so in {@link #warnings()}.
 */
final class SurfaceFonts {
  static final FontRenderContext FRC = new FontRenderContext(null, true, true);
  private static final Path DEJAVU = Path.of("/usr/share/fonts/truetype/dejavu");
  private static final Path OCRB = Path.of("/usr/share/fonts/opentype/ocr-b/OCRB.otf");
  private static volatile SurfaceFonts system;

  private final Map<PrintElement.TextFont, Font> text = new EnumMap<>(PrintElement.TextFont.class);
  private final Map<EmbossFont, Font> emboss = new EnumMap<>(EmbossFont.class);
  private final List<String> warnings = new ArrayList<>();

  private SurfaceFonts() {
    Font sans = load(DEJAVU.resolve("DejaVuSans.ttf"), Font.SANS_SERIF, Font.PLAIN, "DejaVu Sans (fonts-dejavu-core)");
    Font bold = load(DEJAVU.resolve("DejaVuSans-Bold.ttf"), Font.SANS_SERIF, Font.BOLD,
        "DejaVu Sans Bold (fonts-dejavu-core)");
    Font mono = load(DEJAVU.resolve("DejaVuSansMono.ttf"), Font.MONOSPACED, Font.PLAIN,
        "DejaVu Sans Mono (fonts-dejavu-core)");
    Font monoBold = load(DEJAVU.resolve("DejaVuSansMono-Bold.ttf"), Font.MONOSPACED, Font.BOLD,
        "DejaVu Sans Mono Bold (fonts-dejavu-core)");
    Font ocrb = load(OCRB, Font.MONOSPACED, Font.PLAIN, "OCR-B (fonts-ocr-b)");
    text.put(PrintElement.TextFont.SANS, sans);
    text.put(PrintElement.TextFont.SANS_BOLD, bold);
    text.put(PrintElement.TextFont.MONO, mono);
    text.put(PrintElement.TextFont.OCR_B, ocrb);
    emboss.put(EmbossFont.FARRINGTON_7B, ocrb);
    emboss.put(EmbossFont.GOTHIC, monoBold);
    emboss.put(EmbossFont.INDENT_OCR, ocrb);
  }

  /** @return the system's faces, loaded once */
  static SurfaceFonts system() {
    SurfaceFonts f = system;
    if (f == null) {
      synchronized (SurfaceFonts.class) {
        if (system == null) {
          system = new SurfaceFonts();
        }
        f = system;
      }
    }
    return f;
  }

  private Font load(Path file, String logical, int style, String what) {
    if (Files.isReadable(file)) {
      try {
        return Font.createFont(Font.TRUETYPE_FONT, file.toFile());
      } catch (FontFormatException | IOException e) {
        warnings.add(what + " at " + file + " could not be read (" + e.getMessage() + "); drawn with the JDK's "
            + logical + " font instead");
      }
    } else {
      warnings.add(what + " not found at " + file + "; drawn with the JDK's " + logical + " font instead");
    }
    return new Font(logical, style, 12);
  }

  /**
   * @param face a text face
   * @param sizePx size in pixels (or mm when measuring)
   * @return the font
   */
  Font text(PrintElement.TextFont face, double sizePx) {
    return text.get(face).deriveFont((float) sizePx);
  }

  /**
   * @param font an emboss font
   * @param capHeight the wanted height of capitals and digits (pixels or mm)
   * @return the font scaled so that its digits are that high
   */
  Font emboss(EmbossFont font, double capHeight) {
    Font unit = emboss.get(font).deriveFont(100f);
    double digit = unit.createGlyphVector(FRC, "0").getVisualBounds().getHeight();
    return unit.deriveFont((float) (100 * capHeight / digit));
  }

  /** @return the fallbacks used, empty when every face came from its Debian font */
  List<String> warnings() {
    return List.copyOf(warnings);
  }
}
