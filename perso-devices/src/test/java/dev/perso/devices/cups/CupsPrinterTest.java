package dev.perso.devices.cups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import dev.perso.core.DeviceException;
import dev.perso.core.DeviceFault;
import dev.perso.core.ValidationException;
import dev.perso.core.device.CardTag;
import dev.perso.core.device.Devices;
import dev.perso.core.device.StripeData;
import dev.perso.core.surface.EmbossFont;
import dev.perso.core.surface.EmbossLine;
import dev.perso.core.surface.IndentLine;
import dev.perso.core.surface.Panel;
import dev.perso.core.surface.PrintJob;
import dev.perso.core.surface.Side;
import dev.perso.core.surface.Topping;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Prints through a real cupsd (shared notes printing.md recipe) and reads back what the queue wrote. */
class CupsPrinterTest {
  private static Cupsd cupsd;
  private static Path cardOut;

  @BeforeAll
  static void startCups() throws Exception {
    cupsd = Cupsd.start();
    // printing.md §2: the ID-1 PPD passes PDF through (pdftopdf only), so the page size stays exact.
    cardOut = cupsd.addQueue("CARD", "application/vnd.cups-pdf 0 -");
    Path fail = cupsd.dir().resolve("fail-filter");
    Files.writeString(fail, "#!/bin/sh\necho 'ERROR: test filter refuses every job' >&2\nexit 1\n");
    Files.setPosixFilePermissions(fail, PosixFilePermissions.fromString("rwxr-xr-x"));
    cupsd.addQueue("BROKEN", "application/vnd.cups-pdf 0 " + fail);
  }

  @AfterAll
  static void stopCups() throws Exception {
    if (cupsd != null) {
      cupsd.close();
    }
  }

  private static String uri(String queue) {
    return "ipp://127.0.0.1:" + cupsd.port() + "/printers/" + queue;
  }

  /** A 300-dpi ID-1 face (1011 x 638) of large colour blocks, so a resampled page compares pixel by pixel. */
  static BufferedImage face(Color a, Color b) {
    BufferedImage img = new BufferedImage(1011, 638, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 1011, 638);
    g.setColor(a);
    g.fillRect(0, 0, 505, 319);
    g.setColor(b);
    g.fillRect(505, 319, 506, 319);
    g.setColor(Color.BLACK);
    g.fillRect(100, 400, 300, 120);
    g.setColor(new Color(20, 120, 220));
    g.fillOval(600, 40, 300, 200);
    g.dispose();
    return img;
  }

  private static Bytes png(BufferedImage img) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return Bytes.of(out.toByteArray());
  }

  /** Fraction of rendered pixels that differ from the submitted face (nearest source pixel) by more than 48 per channel. */
  private static double mismatch(BufferedImage rendered, BufferedImage face) {
    int w = rendered.getWidth();
    int h = rendered.getHeight();
    long bad = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int a = rendered.getRGB(x, y);
        int b = face.getRGB(Math.min(face.getWidth() - 1, x * face.getWidth() / w),
            Math.min(face.getHeight() - 1, y * face.getHeight() / h));
        for (int s = 0; s <= 16; s += 8) {
          if (Math.abs(((a >> s) & 0xFF) - ((b >> s) & 0xFF)) > 48) {
            bad++;
            break;
          }
        }
      }
    }
    return bad / (double) (w * h);
  }

  @Test
  void aCardsFacesArriveAsCardSizedPagesThatRenderAsTheFaces() throws Exception {
    BufferedImage front = face(Color.RED, Color.GREEN);
    BufferedImage back = face(Color.YELLOW, Color.MAGENTA);
    Files.write(cardOut, new byte[0]);
    try (CupsPrinter printer = (CupsPrinter) Devices.open(uri("CARD"))) {
      assertThat(printer.status().isReady()).isTrue();
      printer.print(new CardTag(1, "rec-1"), PrintJob.builder()
          .face(Side.FRONT, png(front), EnumSet.of(Panel.Y, Panel.M, Panel.C, Panel.K, Panel.O))
          .face(Side.BACK, png(back), EnumSet.of(Panel.Y, Panel.M, Panel.C, Panel.K)).build());
    }
    String info = Cupsd.run("pdfinfo", cardOut.toString());
    assertThat(info).contains("Pages:           2");
    // 85.60 x 53.98 mm in points (printing.md §3: pdfinfo prints 242.65 x 153.01 pts for an exact ID-1 page)
    assertThat(info).contains("Page size:       242.65 x 153.01 pts");
    Path prefix = cupsd.dir().resolve("out/page");
    Cupsd.run("pdftoppm", "-r", "300", "-png", cardOut.toString(), prefix.toString());
    BufferedImage p1 = ImageIO.read(cupsd.dir().resolve("out/page-1.png").toFile());
    BufferedImage p2 = ImageIO.read(cupsd.dir().resolve("out/page-2.png").toFile());
    assertThat(p1.getWidth()).isBetween(1010, 1012); // 300 dpi across 85.60 mm
    assertThat(p1.getHeight()).isBetween(637, 639);
    assertThat(mismatch(p1, front)).isLessThan(0.01);
    assertThat(mismatch(p2, back)).isLessThan(0.01);
    assertThat(mismatch(p1, back)).isGreaterThan(0.1); // the comparison can tell faces apart
  }

  @Test
  void aMonoFaceGoesAsGrey() throws Exception {
    Files.write(cardOut, new byte[0]);
    BufferedImage front = face(Color.BLACK, Color.DARK_GRAY);
    try (CupsPrinter printer = CupsPrinter.builder(java.net.URI.create(uri("CARD"))).build()) {
      printer.print(new CardTag(2, "rec-2"), PrintJob.builder().face(Side.FRONT, png(front), EnumSet.of(Panel.K)).build());
    }
    Cupsd.run("pdftoppm", "-r", "100", "-png", cardOut.toString(), cupsd.dir().resolve("out/mono").toString());
    BufferedImage p = ImageIO.read(cupsd.dir().resolve("out/mono-1.png").toFile());
    int rgb = p.getRGB(270, 40); // inside the blue oval (600..900, 40..240 at 300 dpi): grey, not blue
    assertThat((rgb >> 16) & 0xFF).isEqualTo(rgb & 0xFF);
  }

  @Test
  void stripeTracksTravelAsDriverEscapesInTheJob() throws Exception {
    Files.write(cardOut, new byte[0]);
    // test tracks (not a real card): the escape forms are notes magstripe-surface §3.4 (HID Fargo: ~1%...?, ~2;...?)
    StripeData stripe = StripeData.of(Map.of(
        1, Bytes.of("B4000001234567899^TEST/CARD^30121010000000000".getBytes(StandardCharsets.US_ASCII)),
        2, Bytes.of("4000001234567899=3012101000000".getBytes(StandardCharsets.US_ASCII))));
    Map<Side, BufferedImage> faces = new LinkedHashMap<>();
    faces.put(Side.FRONT, face(Color.CYAN, Color.ORANGE));
    try (CupsPrinter printer = (CupsPrinter) Devices.open(uri("CARD") + "?tracks=escapes")) {
      int job = printer.print(new CardTag(3, "rec-3"), faces, stripe);
      assertThat(job).isPositive();
    }
    String text = Cupsd.run("pdftotext", cardOut.toString(), "-");
    assertThat(text).contains("~1%B4000001234567899^TEST/CARD^30121010000000000?")
        .contains("~2;4000001234567899=3012101000000?");
    Cupsd.run("pdftoppm", "-r", "300", "-png", cardOut.toString(), cupsd.dir().resolve("out/esc").toString());
    BufferedImage p = ImageIO.read(cupsd.dir().resolve("out/esc-1.png").toFile());
    assertThat(mismatch(p, faces.get(Side.FRONT))).isLessThan(0.01); // the escapes are invisible
  }

  @Test
  void embossAndIndentLinesTravelAsDatacardEscapesInTheJob() throws Exception {
    Files.write(cardOut, new byte[0]);
    PrintJob job = PrintJob.builder().face(Side.FRONT, png(face(Color.RED, Color.BLUE)), EnumSet.of(Panel.K)).build();
    try (CupsPrinter printer = (CupsPrinter) Devices.open(uri("CARD") + "?emboss=datacard")) {
      printer.print(new CardTag(8, "rec-8"), job, null,
          List.of(new EmbossLine("4000 1234 5678 9010", EmbossFont.FARRINGTON_7B, 10.0, 34.81, Topping.SILVER)),
          List.of(new IndentLine("123", EmbossFont.INDENT_OCR, Side.BACK, 62.0, 40.0)));
    }
    // values worked out in DatacardEscapesTest (notes magstripe-surface §4.1)
    assertThat(Cupsd.run("pdftotext", cardOut.toString(), "-"))
        .contains("~EM%1;465;843;4000 1234 5678 9010").contains("~EM%30;2477;600;123");
    try (CupsPrinter printer = (CupsPrinter) Devices.open(uri("CARD"))) {
      assertThatThrownBy(() -> printer.print(new CardTag(9, "r"), job, null, List.of(),
          List.of(new IndentLine("123", EmbossFont.INDENT_OCR, Side.BACK, 62.0, 40.0))))
          .isInstanceOf(ValidationException.class).hasMessageContaining("emboss escapes");
    }
  }

  @Test
  void aStripeWithoutEscapesEnabledOrTooLongIsRefused() throws Exception {
    StripeData stripe = StripeData.of(Map.of(2, Bytes.of("1234".getBytes(StandardCharsets.US_ASCII))));
    Map<Side, BufferedImage> faces = Map.of(Side.FRONT, face(Color.RED, Color.BLUE));
    try (CupsPrinter printer = (CupsPrinter) Devices.open(uri("CARD"))) {
      assertThatThrownBy(() -> printer.print(new CardTag(4, "r"), faces, stripe))
          .isInstanceOf(ValidationException.class).hasMessageContaining("track escapes");
    }
    StripeData tooLong = StripeData.of(Map.of(2, Bytes.of("1".repeat(38).getBytes(StandardCharsets.US_ASCII))));
    try (CupsPrinter printer = (CupsPrinter) Devices.open(uri("CARD") + "?tracks=escapes")) {
      assertThatThrownBy(() -> printer.print(new CardTag(5, "r"), faces, tooLong))
          .isInstanceOf(ValidationException.class).hasMessageContaining("track 2").hasMessageNotContaining("1111");
    }
  }

  @Test
  void aJobThatStopsIsAFailedCard() throws Exception {
    try (CupsPrinter printer = (CupsPrinter) Devices.open(uri("BROKEN") + "?timeoutMs=30000")) {
      assertThatThrownBy(() -> printer.print(new CardTag(6, "rec-6"), Map.of(Side.FRONT, face(Color.RED, Color.BLUE)), null))
          .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.fault()).isEqualTo(DeviceFault.WRITE_ERROR))
          .hasMessageContaining("processing-stopped");
    }
  }

  @Test
  void anUnknownQueueIsRefused() {
    try (CupsPrinter printer = (CupsPrinter) Devices.open(uri("NOSUCH"))) {
      assertThatThrownBy(() -> printer.print(new CardTag(7, "r"), Map.of(Side.FRONT, face(Color.RED, Color.BLUE)), null))
          .isInstanceOf(DeviceException.class);
      assertThat(printer.status().isReady()).isFalse();
    }
  }
}
