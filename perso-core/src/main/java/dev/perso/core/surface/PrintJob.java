package dev.perso.core.surface;

import dev.perso.core.Bytes;
import dev.perso.core.ValidationException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a card printer prints: per side, a rendered face (PNG at the printer's resolution) and the
 * ribbon panels to use. Rendering layouts to faces is the surface module's work; printers take faces.
 *
 * <pre>{@code
 * PrintJob job = PrintJob.builder().face(Side.FRONT, png, EnumSet.of(Panel.Y, Panel.M, Panel.C, Panel.K, Panel.O)).build();
 * }</pre>
 */
public final class PrintJob {

  /**
   * One side's face.
   *
   * @param png the rendered face as a PNG image (may show card data: never logged)
   * @param panels the ribbon panels to print
   */
  public record Face(Bytes png, Set<Panel> panels) {
    /** Checks and copies. */
    public Face {
      Objects.requireNonNull(png, "png");
      if (panels == null || panels.isEmpty()) {
        throw new ValidationException("panels", "a face needs at least one ribbon panel");
      }
      panels = Collections.unmodifiableSet(EnumSet.copyOf(panels));
      png = png.asSecret();
    }

    @Override
    public String toString() {
      return "face " + png.length() + " bytes PNG, panels " + panels;
    }
  }

  private final Map<Side, Face> faces;

  private PrintJob(Map<Side, Face> faces) {
    this.faces = faces;
  }

  /** @return a builder */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the faces by side */
  public Map<Side, Face> faces() {
    return faces;
  }

  @Override
  public String toString() {
    return "print " + faces;
  }

  /** Builds a {@link PrintJob}. */
  public static final class Builder {
    private final EnumMap<Side, Face> faces = new EnumMap<>(Side.class);

    private Builder() {}

    /**
     * @param side the side
     * @param png the rendered face
     * @param panels the ribbon panels
     * @return this
     */
    public Builder face(Side side, Bytes png, Set<Panel> panels) {
      faces.put(Objects.requireNonNull(side, "side"), new Face(png, panels));
      return this;
    }

    /** @return the job, with at least one face */
    public PrintJob build() {
      if (faces.isEmpty()) {
        throw new ValidationException("print job", "has no face");
      }
      return new PrintJob(Collections.unmodifiableMap(new EnumMap<>(faces)));
    }
  }
}
