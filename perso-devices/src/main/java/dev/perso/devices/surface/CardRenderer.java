package dev.perso.devices.surface;

import com.google.zxing.common.BitMatrix;
import dev.perso.core.Bytes;
import dev.perso.core.TransportException;
import dev.perso.core.ValidationException;
import dev.perso.core.surface.EmbossLine;
import dev.perso.core.surface.IndentLine;
import dev.perso.core.surface.LaserJob;
import dev.perso.core.surface.Panel;
import dev.perso.core.surface.PrintJob;
import dev.perso.core.surface.Side;
import dev.perso.core.surface.Topping;
import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * Draws cards: the printed face of a layout filled with a record (what a printer gets), that face split
 * into YMCKO ribbon panels, and a preview of everything on a card (print, laser as engraved grey, indent,
 * embossing with relief shading and topping colour, the chip contacts and the stripe of the stock). Works
 * headless ({@code -Djava.awt.headless=true}); fonts come from the system (see the warnings).
 *
 * <pre>{@code
 * CardRenderer r = CardRenderer.of(layout);
 * BufferedImage face = r.renderFace(plan, Side.FRONT, 300);           // printed elements only
 * PanelRasters panels = r.panels(plan, Side.FRONT, 300);               // Y, M, C 8-bit; K, O 1-bit
 * Preview front = r.render(CardSurface.of(physicalCard), Side.FRONT, 300);
 * }</pre>
 */
public final class CardRenderer {
  /** ID-1 corner radius, mm (ISO/IEC 7810). */
  private static final double CORNER_MM = 3.18;
  private static final Color ENGRAVED = new Color(0x4A, 0x4A, 0x4A);

  private final SurfaceLayout layout;
  private final SurfaceFonts fonts = SurfaceFonts.system();

  private CardRenderer(SurfaceLayout layout) {
    this.layout = Objects.requireNonNull(layout, "layout");
  }

  /**
   * @param layout the card type's layout (stock, laser templates, fonts)
   * @return a renderer
   */
  public static CardRenderer of(SurfaceLayout layout) {
    return new CardRenderer(layout);
  }

  /**
   * @param dpi dots per inch
   * @return the pixel width and height of an ID-1 side
   */
  public static int[] size(int dpi) {
    checkDpi(dpi);
    return new int[] {(int) Math.round(Box.ID1.width() / 25.4 * dpi), (int) Math.round(Box.ID1.height() / 25.4 * dpi)};
  }

  private static void checkDpi(int dpi) {
    if (dpi < 50 || dpi > 1200) {
      throw new ValidationException("dpi", "must be 50..1200");
    }
  }

  /**
   * The printed elements of one side, on white, at a printer's resolution.
   *
   * @param plan the layout filled with a record
   * @param side the side
   * @param dpi dots per inch
   * @return the face (RGB); white when the layout prints nothing on that side
   */
  public BufferedImage renderFace(SurfacePlan plan, Side side, int dpi) {
    int[] wh = size(dpi);
    BufferedImage img = new BufferedImage(wh[0], wh[1], BufferedImage.TYPE_INT_RGB);
    Graphics2D g = graphics(img);
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, wh[0], wh[1]);
      double s = dpi / 25.4;
      FaceLayout face = layout.face(side).orElse(null);
      if (face != null) {
        for (PrintElement e : face.elements()) {
          draw(g, e, plan, s);
        }
      }
    } finally {
      g.dispose();
    }
    return img;
  }

  /**
   * What a printer gets: a PNG face for each side the layout prints, with its panels.
   *
   * @param plan the layout filled with a record
   * @param dpi the printer's resolution
   * @return the job
   * @throws ValidationException if the layout prints nothing
   */
  public PrintJob printJob(SurfacePlan plan, int dpi) {
    PrintJob.Builder b = PrintJob.builder();
    for (Side side : Side.values()) {
      layout.face(side).ifPresent(f -> b.face(side, Bytes.of(png(renderFace(plan, side, dpi))), f.panelSet()));
    }
    return b.build();
  }

  /**
   * One side's face split into its ribbon panels (see {@link PanelRasters}): dark neutral pixels go to the
   * black resin K panel (text, barcodes: sharp), the rest to Y, M and C; the overlay O covers the face except
   * {@code CLEAR} overlay areas and the chip contacts, or only the {@code VARNISH} areas when there are any.
   *
   * @param plan the layout filled with a record
   * @param side the side
   * @param dpi the printer's resolution
   * @return the rasters of the face's panels
   * @throws ValidationException if the layout prints nothing on that side
   */
  public PanelRasters panels(SurfacePlan plan, Side side, int dpi) {
    FaceLayout face = layout.face(side).orElseThrow(() -> new ValidationException("side",
        "layout " + layout.name() + " prints nothing on the " + side));
    return split(renderFace(plan, side, dpi), face, side, dpi);
  }

  PanelRasters split(BufferedImage img, FaceLayout face, Side side, int dpi) {
    int w = img.getWidth();
    int h = img.getHeight();
    Set<Panel> set = face.panelSet();
    boolean colour = face.colour();
    int kRow = (w + 7) / 8;
    byte[] y = colour ? new byte[w * h] : null;
    byte[] m = colour ? new byte[w * h] : null;
    byte[] c = colour ? new byte[w * h] : null;
    byte[] k = set.contains(Panel.K) ? new byte[kRow * h] : null;
    int[] row = new int[w];
    for (int r = 0; r < h; r++) {
      img.getRGB(0, r, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        int p = row[x];
        int red = p >> 16 & 0xFF;
        int green = p >> 8 & 0xFF;
        int blue = p & 0xFF;
        boolean black = k != null && (colour ? Math.max(red, Math.max(green, blue)) < 80
            && Math.max(red, Math.max(green, blue)) - Math.min(red, Math.min(green, blue)) < 24
            : (red * 299 + green * 587 + blue * 114) / 1000 < 128);
        if (black) {
          k[r * kRow + x / 8] |= (byte) (0x80 >>> (x % 8));
        } else if (colour) {
          y[r * w + x] = (byte) (255 - blue);
          m[r * w + x] = (byte) (255 - green);
          c[r * w + x] = (byte) (255 - red);
        }
      }
    }
    Map<Panel, byte[]> out = new EnumMap<>(Panel.class);
    if (colour) {
      out.put(Panel.Y, y);
      out.put(Panel.M, m);
      out.put(Panel.C, c);
    }
    if (k != null) {
      out.put(Panel.K, k);
    }
    if (set.contains(Panel.O)) {
      out.put(Panel.O, overlay(face, side, w, h, dpi));
    }
    return new PanelRasters(w, h, out);
  }

  private byte[] overlay(FaceLayout face, Side side, int w, int h, int dpi) {
    BufferedImage mask = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = mask.createGraphics();
    try {
      double s = dpi / 25.4;
      List<PrintElement.Overlay> areas = face.elements().stream().filter(PrintElement.Overlay.class::isInstance)
          .map(PrintElement.Overlay.class::cast).toList();
      boolean onlyVarnish = areas.stream().anyMatch(a -> a.mode() == PrintElement.OverlayMode.VARNISH);
      g.setColor(Color.WHITE);
      if (!onlyVarnish) {
        g.fillRect(0, 0, w, h);
      }
      for (PrintElement.Overlay a : areas) {
        g.setColor(a.mode() == PrintElement.OverlayMode.VARNISH ? Color.WHITE : Color.BLACK);
        g.fill(rect(a.box(), s));
      }
      if (side == Side.FRONT && layout.stock().chip() != null) {
        g.setColor(Color.BLACK);
        g.fill(rect(layout.stock().chip(), s));
      }
    } finally {
      g.dispose();
    }
    int rowBytes = (w + 7) / 8;
    byte[] o = new byte[rowBytes * h];
    byte[] px = ((java.awt.image.DataBufferByte) mask.getRaster().getDataBuffer()).getData();
    for (int r = 0; r < h; r++) {
      for (int x = 0; x < w; x++) {
        if ((px[r * w + x] & 0xFF) >= 128) {
          o[r * rowBytes + x / 8] |= (byte) (0x80 >>> (x % 8));
        }
      }
    }
    return o;
  }

  /**
   * Everything on one side of a card as a person sees it.
   *
   * @param surface what the devices did to the card
   * @param side the side
   * @param dpi dots per inch
   * @return the image and the warnings (fallback fonts, missing laser templates, print resolution)
   */
  public Preview render(CardSurface surface, Side side, int dpi) {
    int[] wh = size(dpi);
    double s = dpi / 25.4;
    List<String> warnings = new ArrayList<>(fonts.warnings());
    BufferedImage img = new BufferedImage(wh[0], wh[1], BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = graphics(img);
    try {
      Shape card = new RoundRectangle2D.Double(0, 0, wh[0], wh[1], 2 * CORNER_MM * s, 2 * CORNER_MM * s);
      g.setColor(Colours.of(layout.stock().colour()));
      g.fill(card);
      g.clip(card);
      for (PrintJob job : surface.prints()) {
        PrintJob.Face face = job.faces().get(side);
        if (face != null) {
          BufferedImage printed = readPng(face.png());
          g.drawImage(printed, 0, 0, wh[0], wh[1], null);
        }
      }
      if (side == Side.FRONT && layout.stock().chip() != null) {
        drawChip(g, layout.stock().chip(), s);
      }
      if (side == Side.BACK && layout.stock().stripe() != null) {
        g.setColor(new Color(0x2B, 0x21, 0x18));
        g.fill(rect(layout.stock().stripe(), s));
      }
      for (LaserJob job : surface.laser()) {
        if (job.side() == side) {
          drawLaser(g, job, s, warnings);
        }
      }
      for (IndentLine line : surface.indent()) {
        if (line.side() == side) {
          drawIndent(g, line, s);
        }
      }
      for (EmbossLine line : surface.emboss()) {
        drawEmboss(g, line, side, s);
      }
    } finally {
      g.dispose();
    }
    return new Preview(img, warnings);
  }

  /**
   * @param image an image
   * @return it as PNG bytes
   */
  public static byte[] png(BufferedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new TransportException("cannot encode PNG", e);
    }
    return out.toByteArray();
  }

  private static BufferedImage readPng(Bytes png) {
    try {
      BufferedImage img = ImageIO.read(new ByteArrayInputStream(png.toByteArray()));
      if (img == null) {
        throw new ValidationException("print face", "is not a PNG image");
      }
      return img;
    } catch (IOException e) {
      throw new ValidationException("print face", "cannot be read as PNG: " + e.getMessage());
    }
  }

  private static Graphics2D graphics(BufferedImage img) {
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
    return g;
  }

  private static Rectangle2D rect(Box b, double s) {
    return new Rectangle2D.Double(b.x() * s, b.y() * s, b.width() * s, b.height() * s);
  }

  private void draw(Graphics2D g, PrintElement e, SurfacePlan plan, double s) {
    if (e instanceof PrintElement.Rect r) {
      g.setColor(Colours.of(r.fill()));
      double c = r.corner() * s * 2;
      g.fill(new RoundRectangle2D.Double(r.box().x() * s, r.box().y() * s, r.box().width() * s, r.box().height() * s,
          c, c));
    } else if (e instanceof PrintElement.Text t) {
      String text = plan.printValues().get(t.name());
      double scale = plan.textScale().getOrDefault(t.name(), 1.0);
      Font f = fonts.text(t.font(), t.size() * 25.4 / 72 * scale * s);
      g.setFont(f);
      g.setColor(Colours.of(t.colour()));
      double w = f.getStringBounds(text, g.getFontRenderContext()).getWidth();
      double x = switch (t.align()) {
        case LEFT -> t.x() * s;
        case CENTER -> t.x() * s - w / 2;
        case RIGHT -> t.x() * s - w;
      };
      g.drawString(text, (float) x, (float) (t.y() * s));
    } else if (e instanceof PrintElement.Barcode b) {
      drawBarcode(g, b.name(), b.format(), plan.printValues().get(b.name()), b.box(), Colours.of(b.colour()), s, true);
    } else if (e instanceof PrintElement.Image im) {
      drawImage(g, image(im.source(), plan.printValues().get(im.name()), im.name()), im.box(), im.fit(), s);
    }
    // Overlay elements print nothing visible: they shape the O panel.
  }

  private static void drawBarcode(Graphics2D g, String name, PrintElement.Format format, String content, Box box,
      Color colour, double s, boolean quietZone) {
    BitMatrix m = Barcodes.encode(name, format, content);
    double bw = box.width() * s;
    double bh = box.height() * s;
    boolean oneD = m.getHeight() == 1;
    double mx = Math.max(1, Math.floor(bw / m.getWidth()));
    double my = oneD ? bh : Math.max(1, Math.floor(bh / m.getHeight()));
    if (!oneD) {
      mx = my = Math.min(mx, my);
    }
    double x0 = box.x() * s + (bw - mx * m.getWidth()) / 2;
    double y0 = box.y() * s + (bh - my * (oneD ? 1 : m.getHeight())) / 2;
    Object aa = g.getRenderingHint(RenderingHints.KEY_ANTIALIASING);
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
    if (quietZone) {
      g.setColor(Color.WHITE);
      g.fill(new Rectangle2D.Double(x0, y0, mx * m.getWidth(), oneD ? my : my * m.getHeight()));
    }
    g.setColor(colour);
    for (int r = 0; r < m.getHeight(); r++) {
      for (int c = 0; c < m.getWidth(); c++) {
        if (m.get(c, r)) {
          g.fill(new Rectangle2D.Double(Math.round(x0 + c * mx), Math.round(y0 + r * my), mx, oneD ? bh : my));
        }
      }
    }
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, aa);
  }

  private BufferedImage image(String source, String fieldValue, String element) {
    if (source.startsWith("builtin:")) {
      return ExampleLogo.draw(source.substring(8), element);
    }
    try {
      if (source.startsWith("field:")) {
        byte[] png = Base64.getDecoder().decode(fieldValue);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        if (img == null) {
          throw new ValidationException(element, "field " + source.substring(6) + " is not a base64 PNG or JPEG");
        }
        return img;
      }
      Path file = layout.baseDir().resolve(source);
      BufferedImage img = Files.isRegularFile(file) ? ImageIO.read(file.toFile()) : null;
      if (img == null) {
        throw new ValidationException(element, "image " + file + " is missing or not an image");
      }
      return img;
    } catch (IOException | IllegalArgumentException e) {
      throw new ValidationException(element, "image cannot be read: " + e.getMessage());
    }
  }

  private static void drawImage(Graphics2D g, BufferedImage img, Box box, PrintElement.Fit fit, double s) {
    double bw = box.width() * s;
    double bh = box.height() * s;
    double iw = img.getWidth();
    double ih = img.getHeight();
    double dw = bw;
    double dh = bh;
    if (fit != PrintElement.Fit.STRETCH) {
      double k = fit == PrintElement.Fit.CONTAIN ? Math.min(bw / iw, bh / ih) : Math.max(bw / iw, bh / ih);
      dw = iw * k;
      dh = ih * k;
    }
    Shape clip = g.getClip();
    g.clip(rect(box, s));
    g.drawImage(img, (int) Math.round(box.x() * s + (bw - dw) / 2), (int) Math.round(box.y() * s + (bh - dh) / 2),
        (int) Math.round(dw), (int) Math.round(dh), null);
    g.setClip(clip);
  }

  private static void drawChip(Graphics2D g, Box chip, double s) {
    Rectangle2D r = rect(chip, s);
    double arc = Math.min(r.getWidth(), r.getHeight()) * 0.25;
    g.setColor(new Color(0xC9, 0xA4, 0x4C));
    g.fill(new RoundRectangle2D.Double(r.getX(), r.getY(), r.getWidth(), r.getHeight(), arc, arc));
    g.setColor(new Color(0x8A, 0x6D, 0x2B));
    g.setStroke(new BasicStroke((float) Math.max(1, 0.15 * s)));
    double cx = r.getCenterX();
    for (int i = 1; i < 4; i++) {
      double y = r.getY() + r.getHeight() * i / 4;
      g.draw(new java.awt.geom.Line2D.Double(r.getX(), y, r.getX() + r.getWidth() * 0.38, y));
      g.draw(new java.awt.geom.Line2D.Double(r.getX() + r.getWidth() * 0.62, y, r.getMaxX(), y));
    }
    g.draw(new java.awt.geom.Line2D.Double(cx, r.getY(), cx, r.getY() + r.getHeight() * 0.3));
    g.draw(new RoundRectangle2D.Double(r.getX() + r.getWidth() * 0.38, r.getY() + r.getHeight() * 0.3,
        r.getWidth() * 0.24, r.getHeight() * 0.4, arc / 2, arc / 2));
  }

  private void drawLaser(Graphics2D g, LaserJob job, double s, List<String> warnings) {
    LaserTemplate t = layout.laserTemplate(job.template()).orElse(null);
    if (t == null) {
      warnings.add("laser template " + job.template() + " is not in layout " + layout.name() + ": not drawn");
      return;
    }
    for (Map.Entry<String, String> v : job.elements().entrySet()) {
      LaserTemplate.Element e = t.elements().stream().filter(x -> x.name().equals(v.getKey())).findFirst().orElse(null);
      if (e == null) {
        warnings.add("laser template " + t.name() + " has no element " + v.getKey() + ": not drawn");
        continue;
      }
      switch (e.kind()) {
        case TEXT -> {
          g.setColor(ENGRAVED);
          g.setFont(fonts.text(PrintElement.TextFont.SANS, e.size() * 25.4 / 72 * s));
          g.drawString(v.getValue(), (float) (e.box().x() * s), (float) (e.box().bottom() * s));
        }
        case BARCODE -> drawBarcode(g, e.name(), e.format(), v.getValue(), e.box(), ENGRAVED, s, false);
        case IMAGE -> drawImage(g, grey(image(v.getValue(), v.getValue(), e.name())), e.box(),
            PrintElement.Fit.CONTAIN, s);
        default -> throw new IllegalStateException();
      }
    }
  }

  private static BufferedImage grey(BufferedImage img) {
    BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = out.createGraphics();
    g.drawImage(img, 0, 0, null);
    g.dispose();
    return out;
  }

  private void drawIndent(Graphics2D g, IndentLine line, double s) {
    FontSpec spec = layout.fonts().get(line.font());
    Font f = fonts.emboss(line.font(), spec.height() * s);
    double d = Math.max(1, spec.height() * s * 0.04);
    for (int i = 0; i < line.text().length(); i++) {
      String ch = line.text().substring(i, i + 1);
      double cx = (line.xMm() + (i + 0.5) * spec.pitch()) * s;
      Shape glyph = glyph(f, ch, cx, line.yMm() * s, false);
      g.setColor(new Color(255, 255, 255, 110));
      g.fill(AffineTransform.getTranslateInstance(d, d).createTransformedShape(glyph));
      g.setColor(new Color(0x12, 0x12, 0x12));
      g.fill(glyph);
    }
  }

  private void drawEmboss(Graphics2D g, EmbossLine line, Side side, double s) {
    FontSpec spec = layout.fonts().get(line.font());
    Font f = fonts.emboss(line.font(), spec.height() * s);
    double d = Math.max(1, spec.height() * s * 0.05);
    boolean back = side == Side.BACK;
    Color face = topping(line.topping());
    for (int i = 0; i < line.text().length(); i++) {
      String ch = line.text().substring(i, i + 1);
      if (ch.isBlank()) {
        continue;
      }
      double cx = (line.xMm() + (i + 0.5) * spec.pitch()) * s;
      if (back) {
        cx = Box.ID1.width() * s - cx;
      }
      Shape glyph = glyph(f, ch, cx, line.yMm() * s, back);
      // Relief: light from the top left. Raised on the front (shadow below right), sunk on the back.
      double sh = back ? -d : d;
      g.setColor(new Color(0, 0, 0, back ? 90 : 140));
      g.fill(AffineTransform.getTranslateInstance(sh, sh).createTransformedShape(glyph));
      g.setColor(new Color(255, 255, 255, back ? 120 : 160));
      g.fill(AffineTransform.getTranslateInstance(-sh, -sh).createTransformedShape(glyph));
      if (back) {
        g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.35f));
        g.setColor(new Color(0x80, 0x80, 0x80));
        g.fill(glyph);
        g.setComposite(AlphaComposite.SrcOver);
      } else {
        g.setColor(face);
        g.fill(glyph);
      }
    }
  }

  private static Color topping(Topping t) {
    return switch (t) {
      case GOLD -> new Color(0xD4, 0xAF, 0x37);
      case SILVER -> new Color(0xC8, 0xC8, 0xC8);
      case BLACK -> new Color(0x10, 0x10, 0x10);
      case WHITE -> new Color(0xFA, 0xFA, 0xFA);
      case NONE -> new Color(0xB0, 0xB0, 0xB0);
    };
  }

  /** One character's outline centred at {@code cx} on the baseline {@code y}, mirrored for the back. */
  private static Shape glyph(Font f, String ch, double cx, double y, boolean mirror) {
    Shape outline = f.createGlyphVector(SurfaceFonts.FRC, ch).getOutline();
    Rectangle2D b = outline.getBounds2D();
    AffineTransform t = AffineTransform.getTranslateInstance(cx, y);
    if (mirror) {
      t.scale(-1, 1);
    }
    t.translate(-b.getCenterX(), 0);
    return t.createTransformedShape(outline);
  }

  /** The built-in example logo: three rising bars on a teal rounded square, drawn by code. */
  static final class ExampleLogo {
    private ExampleLogo() {}

    static BufferedImage draw(String name, String element) {
      if (!name.equals("perso-logo")) {
        throw new ValidationException(element, "no built-in image '" + name + "' (known: perso-logo)");
      }
      BufferedImage img = new BufferedImage(400, 240, BufferedImage.TYPE_INT_ARGB);
      Graphics2D g = graphics(img);
      try {
        g.setColor(new Color(0x0F, 0xA3, 0xB1));
        g.fill(new RoundRectangle2D.Double(90, 10, 220, 220, 60, 60));
        g.setColor(Color.WHITE);
        for (int i = 0; i < 3; i++) {
          double h = 60 + 45 * i;
          g.fill(new RoundRectangle2D.Double(125 + 55 * i, 195 - h, 38, h, 14, 14));
        }
        g.setColor(new Color(0xF6, 0xB9, 0x3B));
        g.fill(new Ellipse2D.Double(252, 30, 34, 34));
      } finally {
        g.dispose();
      }
      return img;
    }
  }

  @Override
  public String toString() {
    return "CardRenderer[" + layout.name() + "]";
  }
}
