package dev.perso.devices.surface;

import com.fasterxml.jackson.annotation.JsonFormat;
import dev.perso.core.ValidationException;

/**
 * A rectangle on a card side in millimetres, from the card's top-left corner as seen on that side.
 *
 * <pre>{@code
 * Box logo = new Box(5, 4, 20, 10);          // in layout files: "box": [5, 4, 20, 10]
 * boolean overlaps = logo.intersects(new Box(10, 8, 5, 5));
 * }</pre>
 *
 * @param x left edge, mm
 * @param y top edge, mm
 * @param width width, mm (positive)
 * @param height height, mm (positive)
 */
@JsonFormat(shape = JsonFormat.Shape.ARRAY)
public record Box(double x, double y, double width, double height) {
  /** An ID-1 card: 85.60 x 53.98 mm (ISO/IEC 7810). */
  public static final Box ID1 = new Box(0, 0, 85.60, 53.98);

  /** Checks the values. */
  public Box {
    if (!(width > 0 && height > 0) || !Double.isFinite(x) || !Double.isFinite(y) || !Double.isFinite(width)
        || !Double.isFinite(height)) {
      throw new ValidationException("box", "width and height must be positive and all values finite");
    }
  }

  /** @return the right edge, mm */
  public double right() {
    return x + width;
  }

  /** @return the bottom edge, mm */
  public double bottom() {
    return y + height;
  }

  /**
   * @param o another box
   * @return whether the two share an area (touching edges do not count)
   */
  public boolean intersects(Box o) {
    return x < o.right() && o.x < right() && y < o.bottom() && o.y < bottom();
  }

  /**
   * @param o another box
   * @return whether {@code o} lies wholly inside this box (a 1 µm tolerance for rounding)
   */
  public boolean contains(Box o) {
    double e = 0.001;
    return o.x >= x - e && o.y >= y - e && o.right() <= right() + e && o.bottom() <= bottom() + e;
  }

  /**
   * @param margin mm taken from each edge
   * @return the smaller box
   */
  public Box inset(double margin) {
    return new Box(x + margin, y + margin, width - 2 * margin, height - 2 * margin);
  }

  /** @return the same box seen from the other side of an ID-1 card (mirrored left to right) */
  public Box mirrored() {
    return new Box(ID1.width() - right(), y, width, height);
  }
}
