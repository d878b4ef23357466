package dev.perso.devices.surface;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A rendered card side and what the rendering had to say: a face drawn with a fallback font, a print job
 * at a different resolution, a laser job whose template the layout does not have.
 *
 * <pre>{@code
 * Preview p = renderer.render(surface, Side.FRONT, 300);
 * Files.write(out, CardRenderer.png(p.image()));
 * p.warnings().forEach(System.err::println);
 * }</pre>
 *
 * @param image the side, ARGB (transparent outside the rounded corners)
 * @param warnings what the reader of the image should know
 */
public record Preview(BufferedImage image, List<String> warnings) {
  /** Copies the warnings. */
  public Preview {
    warnings = List.copyOf(warnings);
  }
}
