package dev.perso.devices.surface;

import dev.perso.core.ValidationException;
import dev.perso.core.surface.Panel;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * One face split into ribbon panels, as a card printer downloads them: Y, M and C as 8-bit densities (one
 * byte per pixel, 255 = full dye), K (black resin) and O (overlay) as 1-bit masks packed MSB first, each row
 * padded to a whole byte, 1 = ink. Rows run top to bottom of the face as seen from that side.
 *
 * <pre>{@code
 * PanelRasters p = CardRenderer.of(layout).panels(plan, Side.FRONT, 300);
 * byte[] k = p.panel(Panel.K);                     // p.height() rows of p.rowBytes(Panel.K) bytes
 * boolean ink = p.ink(Panel.K, 10, 20);
 * }</pre>
 */
public final class PanelRasters {
  private final int width;
  private final int height;
  private final Map<Panel, byte[]> panels;

  PanelRasters(int width, int height, Map<Panel, byte[]> panels) {
    this.width = width;
    this.height = height;
    this.panels = Collections.unmodifiableMap(new EnumMap<>(panels));
  }

  /** @return pixels per row */
  public int width() {
    return width;
  }

  /** @return rows */
  public int height() {
    return height;
  }

  /** @return the panels present */
  public Set<Panel> panels() {
    return panels.keySet();
  }

  /**
   * @param panel a panel
   * @return bytes per row: the width for Y, M, C; (width + 7) / 8 for K and O
   */
  public int rowBytes(Panel panel) {
    return panel == Panel.K || panel == Panel.O ? (width + 7) / 8 : width;
  }

  /**
   * @param panel a panel present
   * @return a copy of its raster
   * @throws ValidationException if the face has no such panel
   */
  public byte[] panel(Panel panel) {
    byte[] p = panels.get(panel);
    if (p == null) {
      throw new ValidationException("panel", "the face has no " + panel + " panel (it has " + panels.keySet() + ")");
    }
    return p.clone();
  }

  /**
   * @param panel a panel present
   * @param x column
   * @param y row
   * @return the density 0..255 (K and O: 0 or 255)
   */
  public int density(Panel panel, int x, int y) {
    byte[] p = panels.get(panel);
    if (p == null) {
      throw new ValidationException("panel", "the face has no " + panel + " panel");
    }
    if (panel == Panel.K || panel == Panel.O) {
      return (p[y * rowBytes(panel) + x / 8] >> (7 - x % 8) & 1) != 0 ? 255 : 0;
    }
    return p[y * width + x] & 0xFF;
  }

  /**
   * @param panel a panel present
   * @param x column
   * @param y row
   * @return whether the pixel has ink (density above half)
   */
  public boolean ink(Panel panel, int x, int y) {
    return density(panel, x, y) >= 128;
  }

  @Override
  public String toString() {
    return "PanelRasters[" + width + "x" + height + ", " + panels.keySet() + "]";
  }
}
