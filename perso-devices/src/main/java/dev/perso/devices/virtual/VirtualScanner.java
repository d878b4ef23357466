package dev.perso.devices.virtual;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.NotFoundException;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.Result;
import com.google.zxing.ResultPoint;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.multi.GenericMultipleBarcodeReader;
import dev.perso.core.device.CardTag;
import dev.perso.core.device.CodeScanner;
import dev.perso.core.device.ScannedCode;
import dev.perso.core.surface.Side;
import dev.perso.devices.surface.CardRenderer;
import dev.perso.devices.surface.CardSurface;
import dev.perso.devices.surface.PrintElement;
import dev.perso.devices.surface.SurfaceLayout;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@code virtual:scanner}: see {@link VirtualDeviceProvider}. It sees the card as a camera would: it draws
 * the side from what the virtual devices did to the card (the {@link CardRenderer} preview of its print,
 * laser, indent and emboss jobs) and decodes that image with ZXing, so a card printed without the code, or
 * whose print is damaged, reads no code.
 */
final class VirtualScanner extends VirtualDevice implements CodeScanner {
  static final Set<String> PARAMS = Set.of("ms", "dpi", "layout", "missAt");

  /** The symbologies a layout can print (see {@link PrintElement.Format}), which the scanner decodes. */
  private static final Map<DecodeHintType, Object> HINTS = hints(true);
  /** For the windows: each is small, a quick look is enough. */
  private static final Map<DecodeHintType, Object> QUICK = hints(false);

  private final long ms;
  private final int dpi;
  private final CardRenderer renderer;
  private final Set<Long> missAt;
  private long scans;

  VirtualScanner(DeviceCore core, Params p) {
    super(core);
    this.ms = p.ms("ms", 0);
    this.dpi = p.count("dpi", 300);
    CardRenderer.size(dpi);   // checks the range
    SurfaceLayout layout = p.has("layout") ? SurfaceLayout.load(p.address().params().get("layout"), Path.of(""))
        : SurfaceLayout.parse("{\"name\": \"plain card\"}", "virtual:scanner", Path.of(""));
    this.renderer = CardRenderer.of(layout);
    this.missAt = p.at("missAt");
  }

  private static Map<DecodeHintType, Object> hints(boolean tryHarder) {
    EnumSet<BarcodeFormat> formats = EnumSet.noneOf(BarcodeFormat.class);
    for (PrintElement.Format f : PrintElement.Format.values()) {
      formats.add(BarcodeFormat.valueOf(f.name()));
    }
    Map<DecodeHintType, Object> h = new EnumMap<>(DecodeHintType.class);
    h.put(DecodeHintType.POSSIBLE_FORMATS, formats);
    if (tryHarder) {
      h.put(DecodeHintType.TRY_HARDER, Boolean.TRUE);
    }
    return h;
  }

  @Override
  public List<ScannedCode> scan(CardTag card, Side side) {
    Objects.requireNonNull(side, "side");
    core.checkUsable();
    core.begin();
    try {
      long n;
      synchronized (core) {
        n = ++scans;
      }
      PhysicalCard seen = core.world.with(core.id, card, Body::snapshot);
      core.take(ms);
      if (missAt.contains(n)) {
        return List.of();   // the cue: glare, a smudge on the window
      }
      return decode(renderer.render(CardSurface.of(seen), side, dpi).image());
    } finally {
      core.end();
    }
  }

  /** A code found at a point of the frame. */
  private record Seen(ScannedCode code, float x, float y) {
    static Seen of(Result r, int dx, int dy) {
      ResultPoint[] p = r.getResultPoints();
      boolean at = p != null && p.length > 0 && p[0] != null;
      return new Seen(new ScannedCode(r.getBarcodeFormat().name(), r.getText()), dx + (at ? p[0].getX() : 0),
          dy + (at ? p[0].getY() : 0));
    }
  }

  /** Decodes every code in the image, as a camera's frame: the card on a white background. */
  static List<ScannedCode> decode(BufferedImage side) {
    int w = side.getWidth();
    int h = side.getHeight();
    BufferedImage frame = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = frame.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, w, h);
      g.drawImage(side, 0, 0, null);
    } finally {
      g.dispose();
    }
    int[] pixels = frame.getRGB(0, 0, w, h, null, 0, w);
    BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(w, h, pixels)));
    MultiFormatReader reader = new MultiFormatReader();
    List<Seen> found = new ArrayList<>();
    try {
      for (Result r : new GenericMultipleBarcodeReader(reader).decodeMultiple(bitmap, HINTS)) {
        found.add(Seen.of(r, 0, 0));
      }
    } catch (NotFoundException e) {
      // none in the whole frame; the windows below may still find one
    }
    // ZXing's Data Matrix detector looks from the frame's centre out: an imager aims at each part of the
    // card in turn (windows of half the side, overlapping by a quarter)
    for (int y = 0; y + h / 2 <= h; y += h / 4) {
      for (int x = 0; x + w / 2 <= w; x += w / 4) {
        try {
          found.add(Seen.of(reader.decode(bitmap.crop(x, y, w / 2, h / 2), QUICK), x, y));
        } catch (NotFoundException e) {
          // nothing in this window
        }
      }
    }
    // reading order: top to bottom, then left to right; each code once
    found.sort(Comparator.comparingDouble(Seen::y).thenComparingDouble(Seen::x));
    List<ScannedCode> out = new ArrayList<>();
    for (Seen s : found) {
      if (!out.contains(s.code())) {
        out.add(s.code());
      }
    }
    return List.copyOf(out);
  }
}
