package dev.perso.devices.surface;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perso.core.surface.Panel;
import dev.perso.core.surface.Side;
import dev.perso.core.testing.RealComponent;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Previews are checked by what a person reads: the embossed PAN and name through the tesseract OCR engine
 * (Debian tesseract-ocr), the printed QR code through zbarimg (Debian zbar-tools).
 */
class CardRendererTest {
  @TempDir
  Path dir;

  private final SurfaceLayout layout = SurfaceFixtures.debit();
  private final SurfacePlan plan = layout.plan(SurfaceFixtures.ada());
  private final CardRenderer renderer = CardRenderer.of(layout);

  private CardSurface made() {
    CardSurface s = CardSurface.blank();
    for (SurfaceStep step : List.of(SurfaceStep.print(layout), SurfaceStep.emboss(layout), SurfaceStep.indent(layout))) {
      s = step.apply(plan, s);
    }
    return s;
  }

  /** The Debian font packages the renderer draws with (it falls back to JDK fonts, with a warning, without them). */
  static void requireFonts() {
    RealComponent.require("fonts-ocr-b and fonts-dejavu-core",
        Files.isReadable(Path.of("/usr/share/fonts/opentype/ocr-b/OCRB.otf"))
            && Files.isReadable(Path.of("/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf")),
        "apt-get install fonts-ocr-b fonts-dejavu-core");
  }

  @Test
  void aSideAt300DpiIsTheId1CardInPixels() {
    requireFonts();
    Preview front = renderer.render(made(), Side.FRONT, 300);
    assertThat(front.image().getWidth()).isEqualTo(1011);
    assertThat(front.image().getHeight()).isEqualTo(638);
    assertThat(front.warnings()).isEmpty();     // Debian's DejaVu and OCR-B were found
  }

  @Test
  void theEmbossedPanAndNameReadBackThroughOcr() throws Exception {
    requireTool("tesseract", "apt-get install tesseract-ocr");
    requireFonts();
    BufferedImage front = renderer.render(made(), Side.FRONT, 400).image();
    // What a person looks at: the emboss rows, read as light relief on the dark card.
    String pan = ocr(crop(front, 0, 85.6, 29.5, 36.0), "7");
    String name = ocr(crop(front, 0, 60, 44.5, 49.0), "7");   // left of the printed "DEBIT"
    assertThat(pan.replaceAll("\\s", "")).isEqualTo("4761739000000012");
    assertThat(name.trim()).isEqualTo("ADA LOVELACE");
  }

  @Test
  void thePrintedQrCodeOfTheBackDecodesToTheCardId() throws Exception {
    requireTool("zbarimg", "apt-get install zbar-tools");
    Path png = dir.resolve("back.png");
    ImageIO.write(renderer.render(made(), Side.BACK, 300).image(), "png", png.toFile());
    String out = run(List.of("zbarimg", "--quiet", "--raw", png.toString()));
    assertThat(out.trim()).isEqualTo("0001");
  }

  @Test
  void panelsPutBlackInTheKResinAndKeepTheSignaturePanelUnvarnished() {
    PanelRasters back = renderer.panels(plan, Side.BACK, 300);
    assertThat(back.panels()).containsExactly(Panel.Y, Panel.M, Panel.C, Panel.K, Panel.O);
    assertThat(back.rowBytes(Panel.K)).isEqualTo(127);
    double s = 300 / 25.4;
    // A QR finder pattern's corner module is black: K, not YMC (layout: QR box [66, 16.5, 12.5, 12.5]).
    int qx = (int) Math.round(66 * s) + 16;
    int qy = (int) Math.round(16.5 * s) + 16;
    BufferedImage face = renderer.renderFace(plan, Side.BACK, 300);
    assertThat(face.getRGB(qx, qy) & 0xFFFFFF).isEqualTo(0);
    assertThat(back.ink(Panel.K, qx, qy)).isTrue();
    assertThat(back.density(Panel.C, qx, qy)).isZero();
    // Signature panel [6, 18.5, 56, 9.5] is CLEAR in the overlay; the rest of the face is varnished.
    assertThat(back.ink(Panel.O, (int) (30 * s), (int) (23 * s))).isFalse();
    assertThat(back.ink(Panel.O, (int) (30 * s), (int) (40 * s))).isTrue();
    // The front's navy background is dye (C high), and the overlay leaves the chip contacts bare.
    PanelRasters front = renderer.panels(plan, Side.FRONT, 300);
    assertThat(front.density(Panel.C, 500, 600)).isGreaterThan(200);
    assertThat(front.ink(Panel.O, (int) (15 * s), (int) (23 * s))).isFalse();
  }

  @Test
  void aVirtualCardsPreviewIsWhatItsPrintJobAndLinesDraw() {
    BufferedImage a = renderer.render(made(), Side.FRONT, 150).image();
    BufferedImage b = renderer.render(made(), Side.FRONT, 150).image();
    assertThat(pixels(a)).isEqualTo(pixels(b));
    BufferedImage blank = renderer.render(CardSurface.blank(), Side.FRONT, 150).image();
    assertThat(pixels(blank)).isNotEqualTo(pixels(a));
  }

  static int[] pixels(BufferedImage img) {
    return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
  }

  /** An area of the card (mm from the top-left corner) as black text on white. */
  private static BufferedImage crop(BufferedImage side, double leftMm, double rightMm, double topMm, double bottomMm) {
    double s = side.getWidth() / 85.6;
    int x0 = (int) (leftMm * s);
    int w = Math.min(side.getWidth() - x0, (int) ((rightMm - leftMm) * s));
    int y0 = (int) (topMm * s);
    int h = (int) ((bottomMm - topMm) * s);
    BufferedImage out = new BufferedImage(w + 80, h + 80, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = out.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, out.getWidth(), out.getHeight());
    g.dispose();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int p = side.getRGB(x0 + x, y0 + y);
        int lum = ((p >> 16 & 0xFF) * 299 + (p >> 8 & 0xFF) * 587 + (p & 0xFF) * 114) / 1000;
        // The topping is lighter than the printed background: light pixels become ink.
        out.getRaster().setSample(x + 40, y + 40, 0, lum > 150 ? 0 : 255);
      }
    }
    return out;
  }

  private String ocr(BufferedImage img, String psm) throws Exception {
    Path png = Files.createTempFile(dir, "ocr", ".png");
    ImageIO.write(img, "png", png.toFile());
    return run(List.of("tesseract", png.toString(), "stdout", "--psm", psm, "-l", "eng"));
  }

  private static String run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new String(out, StandardCharsets.UTF_8);
  }

  static void requireTool(String tool, String how) {
    boolean found = false;
    for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      found |= Files.isExecutable(Path.of(d, tool));
    }
    RealComponent.require(tool, found, how);
  }
}
