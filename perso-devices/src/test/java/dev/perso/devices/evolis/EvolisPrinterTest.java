package dev.perso.devices.evolis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import dev.perso.core.DeviceException;
import dev.perso.core.DeviceFault;
import dev.perso.core.ValidationException;
import dev.perso.core.device.CardTag;
import dev.perso.core.device.DeviceRole;
import dev.perso.core.device.Devices;
import dev.perso.core.device.StripeData;
import dev.perso.core.surface.Panel;
import dev.perso.core.surface.PrintJob;
import dev.perso.core.surface.Side;
import dev.perso.devices.evolis.internal.EvolisPanels;
import dev.perso.devices.evolis.internal.TcpLink;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Evolis driver over TCP against {@link EvolisEmulator}, which checks every frame per notes
 * magstripe-surface §3.4 (command framing, Pr/Pmi/Ss/Sr/Sv/Db/Dbc/Se, Pmc/Pmt/Pmd/Dm/Smw/Smr, Rse/Rlr, NACK
 * codes) and §4.3 (panel sizes, K/O compression).
 */
class EvolisPrinterTest {
  private ServerSocket server;
  private EvolisEmulator emulator;

  private EvolisPrinter open(String params) throws Exception {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    CompletableFuture<EvolisEmulator> em = CompletableFuture.supplyAsync(() -> {
      try {
        return EvolisEmulator.serve(TcpLink.over(server.accept()));
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    });
    EvolisPrinter p = (EvolisPrinter) Devices.open("evolis:tcp://127.0.0.1:" + server.getLocalPort() + params);
    emulator = em.get(5, TimeUnit.SECONDS);
    return p;
  }

  @AfterEach
  void stop() throws Exception {
    if (emulator != null) {
      emulator.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** A 300-dpi face: red top-left, black bar bottom-left, white elsewhere. */
  static BufferedImage face() {
    BufferedImage img = new BufferedImage(1011, 638, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 1011, 638);
    g.setColor(Color.RED);
    g.fillRect(0, 0, 500, 300);
    g.setColor(Color.BLACK);
    g.fillRect(50, 450, 400, 120);
    g.dispose();
    return img;
  }

  static Bytes png(BufferedImage img) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return Bytes.of(out.toByteArray());
  }

  /** Panel line and dot of the face's pixel (x, y): lines follow x, dots run up from the bottom edge. */
  static int line(int x) {
    return x * EvolisPanels.LINES / 1011;
  }

  static int dot(int y) {
    return EvolisPanels.DOTS - 1 - y * EvolisPanels.DOTS / 638;
  }

  static StripeData stripe() {
    // test tracks, not a real card
    return StripeData.of(Map.of(
        1, Bytes.of("B4000001234567899^TEST/CARD^3012101".getBytes(StandardCharsets.US_ASCII)),
        2, Bytes.of("4000001234567899=3012101".getBytes(StandardCharsets.US_ASCII))));
  }

  @Test
  void aCardIsFedEncodedReadBackPrintedBothSidesAndDelivered() throws Exception {
    try (EvolisPrinter p = open("?coercivity=hico")) {
      assertThat(p.roles()).contains(DeviceRole.TRANSPORT, DeviceRole.PRINTER, DeviceRole.MAG_STRIPE_ENCODER);
      CardTag card = new CardTag(1, "rec-1");
      p.feed(card);
      assertThat(p.cardsInside()).containsExactly(card);
      p.moveTo(card, "encoder");
      p.write(card, stripe());
      assertThat(stripe().sameAs(p.read(card))).isTrue();
      p.print(card, PrintJob.builder()
          .face(Side.FRONT, png(face()), EnumSet.allOf(Panel.class))
          .face(Side.BACK, png(face()), EnumSet.of(Panel.K)).build());
      assertThat(p.cardsInside()).isEmpty();
      p.eject(card); // delivered by its print already: nothing to send
      assertThat(p.sensors().cardsInOutputHopper()).isEqualTo(1);
    }
    assertThat(emulator.protocolErrors()).isEmpty();
    // §3.4: Pmi;F;s then Ss starts the card; Pmc coercivity, Pmt format, Pmd density, Dm data, Smw writes;
    // Smr reads; Pr ribbon; Sr/Sv sides with Db (128 levels: 1016 x 648 x 7 bits) and Dbc (K/O); Se ends.
    int colour = EvolisPanels.COLOUR_BYTES;
    int mono = EvolisPanels.MONO_BYTES;
    assertThat(emulator.commands()).containsExactly("Rtp", "Pmi;F;s", "Ss", "Pmc;h",
        "Pmt;1;1", "Pmd;1;210", "Dm;1;<35 chars>", "Pmt;2;2", "Pmd;2;75", "Dm;2;<24 chars>", "Smw",
        "Smr;1", "Smr;2", "Smr;3", "Pr;ymcko", "Sr", "Db;y;128;<" + colour + " bytes>", "Db;m;128;<" + colour + " bytes>",
        "Db;c;128;<" + colour + " bytes>", "Dbc;k;2;<" + mono + " bytes>", "Dbc;o;2;<" + mono + " bytes>", "Sv",
        "Dbc;k;2;<" + mono + " bytes>", "Se", "Rse");
    EvolisEmulator.Card printed = emulator.delivered().get(0);
    assertThat(printed.ribbon()).isEqualTo("ymcko");
    assertThat(printed.stripe()).containsEntry(2, "4000001234567899=3012101");
    Map<Panel, byte[]> front = printed.panels().get(Side.FRONT);
    assertThat(front.get(Panel.Y)).hasSize(colour); // §4.3: 1016 x 648 dots per panel
    // red (255,0,0): full yellow and magenta, no cyan; white: no dye
    assertThat(EvolisPanels.colourDot(front.get(Panel.Y), line(200), dot(100))).isEqualTo(127);
    assertThat(EvolisPanels.colourDot(front.get(Panel.M), line(200), dot(100))).isEqualTo(127);
    assertThat(EvolisPanels.colourDot(front.get(Panel.C), line(200), dot(100))).isZero();
    assertThat(EvolisPanels.colourDot(front.get(Panel.Y), line(800), dot(100))).isZero();
    // black bar on K, not elsewhere; overlay everywhere
    assertThat(EvolisPanels.monoDot(front.get(Panel.K), line(200), dot(500))).isTrue();
    assertThat(EvolisPanels.monoDot(front.get(Panel.K), line(200), dot(100))).isFalse();
    assertThat(EvolisPanels.monoDot(front.get(Panel.O), line(900), dot(600))).isTrue();
    assertThat(printed.panels().get(Side.BACK)).containsOnlyKeys(Panel.K);
  }

  @Test
  void aMonoRibbonPrintsKOnlyAndRefusesColourBeforeSendingIt() throws Exception {
    try (EvolisPrinter p = open("?ribbon=k&coercivity=loco")) {
      CardTag card = new CardTag(2, "rec-2");
      p.feed(card);
      assertThatThrownBy(() -> p.print(card, PrintJob.builder().face(Side.FRONT, png(face()),
          EnumSet.of(Panel.Y, Panel.K)).build())).isInstanceOf(ValidationException.class).hasMessageContaining("ribbon");
      p.print(card, PrintJob.builder().face(Side.FRONT, png(face()), EnumSet.of(Panel.K)).build());
    }
    assertThat(emulator.protocolErrors()).isEmpty();
    assertThat(emulator.commands()).contains("Pr;k").doesNotContain("Pr;ymcko");
    byte[] k = emulator.delivered().get(0).panels().get(Side.FRONT).get(Panel.K);
    // mono ribbon: red (luminance 76) is dark enough to lay K; white is not
    assertThat(EvolisPanels.monoDot(k, line(200), dot(100))).isTrue();
    assertThat(EvolisPanels.monoDot(k, line(800), dot(100))).isFalse();
  }

  @Test
  void nackCodesBecomeTypedFaults() throws Exception {
    try (EvolisPrinter p = open("")) {
      emulator.feeder(0);
      assertThatThrownBy(() -> p.feed(new CardTag(3, "r")))
          .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.fault()).isEqualTo(DeviceFault.HOPPER_EMPTY))
          .hasMessageContaining("NACK F").hasMessageContaining("NO CARD");
      assertThat(p.sensors().inputHopperEmpty()).isTrue();
      emulator.feeder(-1).coverOpen(true);
      assertThat(p.status().fault()).contains(DeviceFault.COVER_OPEN);
      assertThatThrownBy(() -> p.feed(new CardTag(3, "r")))
          .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.fault()).isEqualTo(DeviceFault.COVER_OPEN));
      emulator.coverOpen(false);
      assertThat(p.status().isReady()).isTrue();

      CardTag card = new CardTag(4, "r4");
      p.feed(card);
      emulator.magNackAtNextWrite('W');
      assertThatThrownBy(() -> p.write(card, stripe()))
          .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.fault()).isEqualTo(DeviceFault.WRITE_ERROR))
          .hasMessageContaining("writing magnetic data").hasMessageNotContaining("4000001234567899");
      emulator.ribbonFor(0);
      PrintJob job = PrintJob.builder().face(Side.FRONT, png(face()), EnumSet.of(Panel.K)).build();
      assertThatThrownBy(() -> p.print(card, job))
          .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.fault()).isEqualTo(DeviceFault.RIBBON_OUT));
      assertThat(p.cardsInside()).containsExactly(card); // the printer still holds it
      emulator.ribbonFor(-1).jamAtNextPrint();
      assertThatThrownBy(() -> p.print(card, job))
          .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.fault()).isEqualTo(DeviceFault.JAM))
          .hasMessageContaining("ERR CARD");
      p.print(card, job);
      assertThat(p.cardsInside()).isEmpty();
    }
    assertThat(emulator.delivered()).hasSize(1);
  }

  @Test
  void aWrongCardOrAGarbageOrMissingAnswerIsTyped() throws Exception {
    try (EvolisPrinter p = open("?timeoutMs=300")) {
      assertThatThrownBy(() -> p.write(new CardTag(9, "x"), stripe()))
          .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.fault()).isEqualTo(DeviceFault.NO_CARD));
      emulator.answerNextWith(new byte[] {'O', 0x07, 'K', 0x0D});
      assertThatThrownBy(() -> p.feed(new CardTag(5, "r")))
          .isInstanceOfSatisfying(DeviceException.class,
              e -> assertThat(e.fault()).isEqualTo(DeviceFault.COMMUNICATION_ERROR));
      emulator.answerNextWith(new byte[0]);
      assertThatThrownBy(() -> p.sensors())
          .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.fault()).isEqualTo(DeviceFault.TIMEOUT));
      assertThat(p.status().isReady()).isTrue();
    }
  }

  @Test
  void aBadTrackIsRefusedBeforeItIsSent() throws Exception {
    try (EvolisPrinter p = open("")) {
      CardTag card = new CardTag(6, "r6");
      p.feed(card);
      StripeData bad = StripeData.of(Map.of(2, Bytes.of("12A4".getBytes(StandardCharsets.US_ASCII))));
      assertThatThrownBy(() -> p.write(card, bad)).isInstanceOf(ValidationException.class)
          .hasMessageContaining("track 2").hasMessageNotContaining("12A4");
      p.erase(card, java.util.Set.of(1));
      p.eject(card);
    }
    assertThat(emulator.commands()).contains("Dm;1;<0 chars>", "Se").noneMatch(c -> c.startsWith("Dm;2"));
    assertThat(emulator.protocolErrors()).isEmpty();
  }

  @Test
  void addressesAreChecked() {
    assertThatThrownBy(() -> Devices.open("evolis:tcp://127.0.0.1:9100?colour=yes"))
        .isInstanceOf(ValidationException.class).hasMessageContaining("allowed");
    assertThatThrownBy(() -> Devices.open("evolis:tcp://127.0.0.1?ribbon=k"))
        .isInstanceOf(ValidationException.class).hasMessageContaining("tcp://host:port");
    assertThatThrownBy(() -> Devices.open("evolis:tcp://127.0.0.1:1?ribbon=ymck"))
        .isInstanceOf(ValidationException.class).hasMessageContaining("ribbon");
  }
}
