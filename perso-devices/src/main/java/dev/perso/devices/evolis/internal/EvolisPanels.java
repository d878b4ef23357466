package dev.perso.devices.evolis.internal;

import dev.perso.core.MalformedDataException;
import dev.perso.core.ValidationException;
import dev.perso.core.surface.Panel;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;

/**
 * Evolis panel bitmaps (notes magstripe-surface §3.4 and §4.3, Programming Guide A5013 §2/§4): 300 dpi,
 * 1016 lines of 648 dots per panel. A line runs across the card's height and lines follow the card's length,
 * as the open-source mono driver feeds its page ({@code dpavlin/Printer-EVOLIS:scripts/evolis-driver.pl}
 * rotates the page with {@code pnmflip -rotate270}): line {@code j} is the face's column {@code j} from the
 * left edge, dot {@code i} its row {@code i} from the bottom edge. The face is scaled to fill the panel (the
 * panel's bleed beyond the 1011 x 638 dots of the card).
 *
 * <ul>
 *   <li>K and O, 2 levels: 1 bit per dot, most significant bit first, 81 bytes per line; a set bit lays the
 *       panel. K lays where the face is dark (luminance below 128 for a mono ribbon; below 64, true black, on
 *       a colour ribbon), O lays everywhere (full overlay).</li>
 *   <li>Y, M, C, 128 levels: 7 bits per dot, packed most significant bit first without line padding; the dot
 *       value is the dye's density, {@code (255 - channel) >> 1} of the complementary RGB channel.</li>
 *   <li>K/O compression ({@code Dbc}): per line, one byte {@code 0x00} for a line with no dot, {@code 0xFF} for
 *       a line with every dot, otherwise the count n (1..81) of useful bytes followed by those n bytes; the
 *       rest of the line is empty.</li>
 * </ul>
 */
public final class EvolisPanels {
  /** Lines per panel (along the card's length). */
  public static final int LINES = 1016;
  /** Dots per line (across the card's height). */
  public static final int DOTS = 648;
  /** Bytes per line of a 2-level panel. */
  public static final int MONO_LINE_BYTES = DOTS / 8;
  /** Bytes of a 2-level panel. */
  public static final int MONO_BYTES = LINES * MONO_LINE_BYTES;
  /** Bytes of a 128-level panel: 7 bits per dot. */
  public static final int COLOUR_BYTES = LINES * DOTS * 7 / 8;

  private EvolisPanels() {}

  /**
   * @param face the face as printed on the card (any size; scaled to the panel)
   * @return the face as ARGB dots, {@code [line][dot]}
   */
  public static int[][] dots(BufferedImage face) {
    BufferedImage scaled = new BufferedImage(LINES, DOTS, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = scaled.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.setColor(java.awt.Color.WHITE);
    g.fillRect(0, 0, LINES, DOTS);
    g.drawImage(face, 0, 0, LINES, DOTS, null);
    g.dispose();
    int[] rgb = scaled.getRGB(0, 0, LINES, DOTS, null, 0, LINES);
    int[][] out = new int[LINES][DOTS];
    for (int j = 0; j < LINES; j++) {
      for (int i = 0; i < DOTS; i++) {
        out[j][i] = rgb[(DOTS - 1 - i) * LINES + j];
      }
    }
    return out;
  }

  /**
   * @param dots from {@link #dots}
   * @param panel K or O
   * @param monoRibbon true when the ribbon has no colour panels (K lays below luminance 128, not 64)
   * @return the 2-level panel, {@link #MONO_BYTES} bytes
   */
  public static byte[] mono(int[][] dots, Panel panel, boolean monoRibbon) {
    if (panel != Panel.K && panel != Panel.O) {
      throw new ValidationException("panel", "2-level panels are K and O, not " + panel);
    }
    byte[] out = new byte[MONO_BYTES];
    int threshold = monoRibbon ? 128 : 64;
    for (int j = 0; j < LINES; j++) {
      for (int i = 0; i < DOTS; i++) {
        boolean lay;
        if (panel == Panel.O) {
          lay = true;
        } else {
          int rgb = dots[j][i];
          int lum = (((rgb >> 16) & 0xFF) * 299 + ((rgb >> 8) & 0xFF) * 587 + (rgb & 0xFF) * 114) / 1000;
          lay = lum < threshold;
        }
        if (lay) {
          out[j * MONO_LINE_BYTES + i / 8] |= (byte) (0x80 >> (i % 8));
        }
      }
    }
    return out;
  }

  /**
   * @param dots from {@link #dots}
   * @param panel Y, M or C
   * @return the 128-level panel, {@link #COLOUR_BYTES} bytes
   */
  public static byte[] colour(int[][] dots, Panel panel) {
    int shift = switch (panel) {
      case Y -> 0;   // yellow absorbs blue
      case M -> 8;   // magenta absorbs green
      case C -> 16;  // cyan absorbs red
      default -> throw new ValidationException("panel", "128-level panels are Y, M and C, not " + panel);
    };
    byte[] out = new byte[COLOUR_BYTES];
    long bit = 0;
    for (int j = 0; j < LINES; j++) {
      for (int i = 0; i < DOTS; i++) {
        int v = (255 - ((dots[j][i] >> shift) & 0xFF)) >> 1;
        for (int b = 6; b >= 0; b--, bit++) {
          if (((v >> b) & 1) != 0) {
            out[(int) (bit >> 3)] |= (byte) (0x80 >> (bit & 7));
          }
        }
      }
    }
    return out;
  }

  /**
   * @param colourPanel a 128-level panel
   * @param line the line
   * @param dot the dot
   * @return the dot's 7-bit density
   */
  public static int colourDot(byte[] colourPanel, int line, int dot) {
    long bit = ((long) line * DOTS + dot) * 7;
    int v = 0;
    for (int b = 0; b < 7; b++, bit++) {
      v = (v << 1) | ((colourPanel[(int) (bit >> 3)] >> (7 - (bit & 7))) & 1);
    }
    return v;
  }

  /**
   * @param monoPanel a 2-level panel
   * @param line the line
   * @param dot the dot
   * @return whether the panel lays at that dot
   */
  public static boolean monoDot(byte[] monoPanel, int line, int dot) {
    return (monoPanel[line * MONO_LINE_BYTES + dot / 8] & (0x80 >> (dot % 8))) != 0;
  }

  /**
   * @param monoPanel a 2-level panel of {@link #MONO_BYTES} bytes
   * @return its K/O compression
   */
  public static byte[] compress(byte[] monoPanel) {
    if (monoPanel.length != MONO_BYTES) {
      throw new ValidationException("panel", "a 2-level panel has " + MONO_BYTES + " bytes, was " + monoPanel.length);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(LINES * 4);
    for (int j = 0; j < LINES; j++) {
      int from = j * MONO_LINE_BYTES;
      int useful = 0;
      boolean full = true;
      for (int k = 0; k < MONO_LINE_BYTES; k++) {
        if (monoPanel[from + k] != 0) {
          useful = k + 1;
        }
        full &= monoPanel[from + k] == (byte) 0xFF;
      }
      if (useful == 0) {
        out.write(0x00);
      } else if (full) {
        out.write(0xFF);
      } else {
        out.write(useful);
        out.write(monoPanel, from, useful);
      }
    }
    return out.toByteArray();
  }

  /**
   * Decodes a K/O compressed panel that starts at {@code offset}.
   *
   * @param data the bytes
   * @param offset where the first line starts
   * @param into a {@link #MONO_BYTES} array, filled with the panel
   * @return the offset just past the last line
   * @throws MalformedDataException for a count above 81 or data that ends early, naming the offset
   */
  public static int decompress(byte[] data, int offset, byte[] into) {
    java.util.Arrays.fill(into, (byte) 0);
    int p = offset;
    for (int j = 0; j < LINES; j++) {
      if (p >= data.length) {
        throw new MalformedDataException(p, "compressed panel ends at line " + j + " of " + LINES);
      }
      int n = data[p++] & 0xFF;
      if (n == 0xFF) {
        java.util.Arrays.fill(into, j * MONO_LINE_BYTES, (j + 1) * MONO_LINE_BYTES, (byte) 0xFF);
      } else if (n > MONO_LINE_BYTES) {
        throw new MalformedDataException(p - 1, "line " + j + " count " + n + " is above " + MONO_LINE_BYTES
            + " bytes (and is not 0xFF)");
      } else if (n > 0) {
        if (p + n > data.length) {
          throw new MalformedDataException(p, "line " + j + " announces " + n + " bytes, " + (data.length - p) + " left");
        }
        System.arraycopy(data, p, into, j * MONO_LINE_BYTES, n);
        p += n;
      }
    }
    return p;
  }
}
