package dev.perso.devices.virtual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import dev.perso.core.DeviceException;
import dev.perso.core.DeviceFault;
import dev.perso.core.ValidationException;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.card.ScriptedCard;
import dev.perso.core.card.VirtualCard;
import dev.perso.core.device.CardPrinter;
import dev.perso.core.device.CardTag;
import dev.perso.core.device.CardTransport;
import dev.perso.core.device.ChipSession;
import dev.perso.core.device.ChipStation;
import dev.perso.core.device.Device;
import dev.perso.core.device.DeviceContext;
import dev.perso.core.device.DeviceRole;
import dev.perso.core.device.DeviceStatus;
import dev.perso.core.device.Devices;
import dev.perso.core.device.Embosser;
import dev.perso.core.device.Indenter;
import dev.perso.core.device.LaserEngraver;
import dev.perso.core.device.MagStripeEncoder;
import dev.perso.core.device.StripeData;
import dev.perso.core.line.LineClock;
import dev.perso.core.surface.EmbossFont;
import dev.perso.core.surface.EmbossLine;
import dev.perso.core.surface.IndentLine;
import dev.perso.core.surface.LaserJob;
import dev.perso.core.surface.Panel;
import dev.perso.core.surface.PrintJob;
import dev.perso.core.surface.Side;
import dev.perso.core.surface.Topping;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class VirtualDevicesTest {
  private static final Bytes ATR = Bytes.fromHex("3B808131FE458B");
  private final LineClock clock = LineClock.virtual();
  private final Instant start = clock.now();
  private final DeviceContext ctx = DeviceContext.builder().clock(clock).cardStock(tag -> chip()).build();
  private final VirtualWorld world = VirtualWorld.of(ctx);

  private static VirtualCard chip() {
    return ScriptedCard.builder().atr(ATR).expect("00A4040000", "9000").build();
  }

  private static CardTag tag(long n) {
    return new CardTag(n, String.format("%04d", n));
  }

  private static StripeData stripe() {
    return StripeData.of(Map.of(1, Bytes.of("B4761739001010010^DOE/JANE^2812".getBytes()), 2,
        Bytes.of("4761739001010010=2812".getBytes())));
  }

  private <T extends Device> T open(String address, DeviceRole<T> role) {
    return role.cast(Devices.open(address, ctx));
  }

  private long elapsedMs() {
    return Duration.between(start, clock.now()).toMillis();
  }

  private static DeviceException deviceError(Runnable r) {
    try {
      r.run();
    } catch (DeviceException e) {
      return e;
    }
    throw new AssertionError("no DeviceException");
  }

  /**
   * Runs a test body as a thread of the line: a virtual clock only stands still while a participant runs,
   * so states between a fault and the operator's fix are seen from such a thread.
   */
  private void onLine(Runnable body) {
    java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
    Thread t = clock.start("test", () -> {
      try {
        body.run();
      } catch (Throwable e) {
        failure.set(e);
      }
    });
    clock.join(t);
    if (failure.get() instanceof RuntimeException r) {
      throw r;
    }
    if (failure.get() instanceof Error e) {
      throw e;
    }
  }

  @Test
  void transportTakesItsTimePerOperationAndDeliversInOrder() {
    CardTransport t = open("virtual:transport?feedMs=200&moveMs=100&ejectMs=300&rejectMs=50", DeviceRole.TRANSPORT);
    t.feed(tag(1));
    assertThat(elapsedMs()).isEqualTo(200);
    t.moveTo(tag(1), "mag");
    assertThat(elapsedMs()).isEqualTo(300);
    t.feed(tag(2));
    assertThat(t.cardsInside()).containsExactly(tag(1), tag(2));
    t.eject(tag(1));
    assertThat(elapsedMs()).isEqualTo(800);
    t.reject(tag(2));
    assertThat(elapsedMs()).isEqualTo(850);
    assertThat(t.cardsInside()).isEmpty();
    assertThat(t.sensors().cardsInOutputHopper()).isEqualTo(1);
    assertThat(t.sensors().cardsInRejectBin()).isEqualTo(1);
    assertThat(world.outputHopper()).extracting(PhysicalCard::tag).containsExactly(tag(1));
    assertThat(world.outputHopper().get(0).positions()).containsExactly("mag");
    assertThat(world.rejectBin()).extracting(PhysicalCard::tag).containsExactly(tag(2));
    assertThat(deviceError(() -> t.eject(tag(1))).fault()).isEqualTo(DeviceFault.NO_CARD);
    assertThatThrownBy(() -> t.feed(tag(1))).isInstanceOf(ValidationException.class).hasMessageContaining("new serial");
  }

  @Test
  void jamAtTheNthFeedFaultsUntilTheOperatorClearsIt() {
    onLine(() -> {
      CardTransport t = open("virtual:transport?jamAt=2&clearMs=5000", DeviceRole.TRANSPORT);
      t.feed(tag(1));
      DeviceException jam = deviceError(() -> t.feed(tag(2)));
      assertThat(jam.fault()).isEqualTo(DeviceFault.JAM);
      assertThat(t.status().fault()).contains(DeviceFault.JAM);
      assertThat(t.cardsInside()).containsExactly(tag(1));
      assertThat(deviceError(() -> t.moveTo(tag(1), "chip")).fault()).isEqualTo(DeviceFault.JAM);
      clock.sleep(Duration.ofMillis(4999));
      assertThat(t.status().state()).isEqualTo(DeviceStatus.State.FAULTED);
      clock.sleep(Duration.ofMillis(1));
      assertThat(t.status()).isEqualTo(DeviceStatus.ready());
      t.feed(tag(2));
      assertThat(t.cardsInside()).containsExactly(tag(1), tag(2));
    });
  }

  @Test
  void aLineThreadWaitingForReadyIsWokenByTheSimulatedOperator() {
    CardTransport t = open("virtual:transport?jamAt=1&clearMs=7000", DeviceRole.TRANSPORT);
    List<Object> seen = new ArrayList<>();
    Thread line = clock.start("line", () -> {
      try {
        t.feed(tag(1));
      } catch (DeviceException e) {
        seen.add(e.fault());
      }
      clock.locked(() -> {
        clock.await(() -> t.status().isReady());
      });
      seen.add(elapsedMs());
      t.feed(tag(1));
    });
    clock.join(line);
    assertThat(seen).containsExactly(DeviceFault.JAM, 7000L);
    assertThat(t.cardsInside()).containsExactly(tag(1));
  }

  @Test
  void emptyHopperIsRefilledByTheOperator() {
    onLine(() -> {
      CardTransport t = open("virtual:transport?hopper=2&refillMs=60000", DeviceRole.TRANSPORT);
      t.feed(tag(1));
      t.feed(tag(2));
      assertThat(t.sensors().inputHopperEmpty()).isTrue();
      assertThat(deviceError(() -> t.feed(tag(3))).fault()).isEqualTo(DeviceFault.HOPPER_EMPTY);
      assertThat(t.status().fault()).contains(DeviceFault.HOPPER_EMPTY);
      clock.sleep(Duration.ofMinutes(1));
      assertThat(t.sensors().inputHopperEmpty()).isFalse();
      t.feed(tag(3));
      t.feed(tag(4));
      assertThat(deviceError(() -> t.feed(tag(5))).fault()).isEqualTo(DeviceFault.HOPPER_EMPTY);
    });
  }

  @Test
  void fullRejectBinKeepsTheCardInsideUntilEmptied() {
    onLine(() -> {
      CardTransport t = open("virtual:transport?rejectBinCapacity=1&emptyMs=1000", DeviceRole.TRANSPORT);
      t.feed(tag(1));
      t.feed(tag(2));
      t.reject(tag(1));
      assertThat(deviceError(() -> t.reject(tag(2))).fault()).isEqualTo(DeviceFault.REJECT_BIN_FULL);
      assertThat(t.cardsInside()).containsExactly(tag(2));
      clock.sleep(Duration.ofSeconds(1));
      assertThat(t.sensors().cardsInRejectBin()).isZero();
      t.reject(tag(2));
      assertThat(world.rejectBin()).extracting(PhysicalCard::tag).containsExactly(tag(1), tag(2));
    });
  }

  @Test
  void encoderWritesReadsBackAndErases() {
    MagStripeEncoder mag = open("virtual:magstripe?ms=1000&readMs=250&eraseMs=100", DeviceRole.MAG_STRIPE_ENCODER);
    world.place(tag(1), null);
    mag.write(tag(1), stripe());
    assertThat(elapsedMs()).isEqualTo(1000);
    assertThat(stripe().firstDifference(mag.read(tag(1)))).isZero();
    assertThat(elapsedMs()).isEqualTo(1250);
    mag.erase(tag(1), Set.of(1));
    assertThat(elapsedMs()).isEqualTo(1350);
    assertThat(mag.read(tag(1)).tracks().keySet()).containsExactly(2);
    assertThat(deviceError(() -> mag.write(tag(9), stripe())).fault()).isEqualTo(DeviceFault.NO_CARD);
  }

  @Test
  void encoderFaultsOnCue() {
    MagStripeEncoder mag = open("virtual:magstripe?readErrorAt=2&writeErrorAt=3", DeviceRole.MAG_STRIPE_ENCODER);
    world.place(tag(1), null);
    mag.write(tag(1), stripe());
    assertThat(mag.read(tag(1)).firstDifference(stripe())).isZero();
    assertThat(stripe().firstDifference(mag.read(tag(1)))).isEqualTo(1);
    assertThat(stripe().sameAs(mag.read(tag(1)))).isTrue();
    mag.write(tag(1), stripe());
    assertThat(deviceError(() -> mag.write(tag(1), stripe())).fault()).isEqualTo(DeviceFault.WRITE_ERROR);
    assertThat(mag.status()).isEqualTo(DeviceStatus.ready());
  }

  @Test
  void readErrorRateIsSeededAndRepeatable() {
    MagStripeEncoder a = open("virtual:magstripe?readErrorRate=0.3&seed=7&id=a", DeviceRole.MAG_STRIPE_ENCODER);
    MagStripeEncoder b = open("virtual:magstripe?readErrorRate=0.3&seed=7&id=b", DeviceRole.MAG_STRIPE_ENCODER);
    world.place(tag(1), null);
    a.write(tag(1), stripe());
    List<Boolean> ra = new ArrayList<>();
    List<Boolean> rb = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      ra.add(stripe().sameAs(a.read(tag(1))));
      rb.add(stripe().sameAs(b.read(tag(1))));
    }
    assertThat(ra).isEqualTo(rb).contains(true, false);
    assertThat(ra.stream().filter(ok -> !ok).count()).isBetween(15L, 45L);
  }

  @Test
  void chipStationPowersTheCardsChipInItsTime() {
    CardTransport t = open("virtual:transport", DeviceRole.TRANSPORT);
    ChipStation station = open("virtual:chip?ms=6000", DeviceRole.CHIP_STATION);
    t.feed(tag(1));
    try (ChipSession s = station.power(tag(1))) {
      assertThat(elapsedMs()).isEqualTo(6000);
      assertThat(s.atr()).isEqualTo(ATR);
      assertThat(s.channel().transmit(CommandApdu.parse(Bytes.fromHex("00A4040000"))).sw().value()).isEqualTo(0x9000);
      assertThat(station.status().state()).isEqualTo(DeviceStatus.State.BUSY);
    }
    assertThat(station.status()).isEqualTo(DeviceStatus.ready());
    t.eject(tag(1));
    ScriptedCard personalized = (ScriptedCard) world.outputHopper().get(0).chip().orElseThrow();
    assertThat(personalized.stepsPlayed()).isEqualTo(1);
  }

  @Test
  void contactFailureOnTheNthCardFaultsTheStationUntilClosed() {
    ChipStation station = open("virtual:chip?contactFailAt=2", DeviceRole.CHIP_STATION);
    world.place(tag(1), chip());
    world.place(tag(2), chip());
    station.power(tag(1)).close();
    DeviceException e = deviceError(() -> station.power(tag(2)));
    assertThat(e.fault()).isEqualTo(DeviceFault.CHIP_CONTACT_ERROR);
    assertThat(station.status().fault()).contains(DeviceFault.CHIP_CONTACT_ERROR);
    clock.sleep(Duration.ofHours(1));
    assertThat(deviceError(() -> station.power(tag(2))).fault()).isEqualTo(DeviceFault.CHIP_CONTACT_ERROR);
    station.close();
    assertThat(station.status().state()).isEqualTo(DeviceStatus.State.OFFLINE);
  }

  @Test
  void cardStockWithoutChipGivesContactError() {
    DeviceContext plain = DeviceContext.builder().clock(clock).build();
    CardTransport t = (CardTransport) Devices.open("virtual:transport", plain);
    ChipStation station = (ChipStation) Devices.open("virtual:chip", plain);
    t.feed(tag(1));
    DeviceException e = deviceError(() -> station.power(tag(1)));
    assertThat(e.fault()).isEqualTo(DeviceFault.CHIP_CONTACT_ERROR);
    assertThat(e.detail()).contains("no chip");
    assertThat(VirtualWorld.of(plain).card(tag(1)).orElseThrow().chip()).isEmpty();
  }

  @Test
  void stationsFromOneTemplateHaveDistinctIdsAndWorkInParallel() {
    List<ChipStation> stations = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      stations.add(open("virtual:chip?ms=6000", DeviceRole.CHIP_STATION));
    }
    assertThat(stations.stream().map(Device::id).distinct()).hasSize(8).contains("virtual:chip?ms=6000#1",
        "virtual:chip?ms=6000#8");
    // Started from a line thread, so that time cannot move between the starts.
    onLine(() -> {
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        CardTag card = tag(i + 1);
        world.place(card, chip());
        ChipStation s = stations.get(i);
        threads.add(clock.start("station " + i, () -> s.power(card).close()));
      }
      threads.forEach(clock::join);
    });
    assertThat(elapsedMs()).isEqualTo(6000);
    // One station takes its cards one after the other.
    onLine(() -> {
      Thread a = clock.start("a", () -> stations.get(0).power(tag(1)).close());
      Thread b = clock.start("b", () -> stations.get(0).power(tag(2)).close());
      clock.join(a);
      clock.join(b);
    });
    assertThat(elapsedMs()).isEqualTo(18000);
  }

  @Test
  void surfaceDevicesRecordTheirJobsOnTheCard() {
    Embosser emb = open("virtual:embosser?ms=900", DeviceRole.EMBOSSER);
    Indenter ind = open("virtual:indenter?ms=400", DeviceRole.INDENTER);
    CardPrinter pr = open("virtual:printer?ms=1500", DeviceRole.PRINTER);
    LaserEngraver laser = open("virtual:laser?ms=2000", DeviceRole.LASER_ENGRAVER);
    CardTransport t = open("virtual:transport", DeviceRole.TRANSPORT);
    t.feed(tag(1));
    EmbossLine pan = new EmbossLine("4761 7390 0101 0010", EmbossFont.FARRINGTON_7B, 10.2, 21.0, Topping.SILVER);
    IndentLine cvv = new IndentLine("123", EmbossFont.INDENT_OCR, Side.BACK, 62.0, 12.5);
    PrintJob face = PrintJob.builder().face(Side.FRONT, Bytes.fromHex("89504E47"), EnumSet.of(Panel.K)).build();
    LaserJob job = new LaserJob("id-front", Side.FRONT, Map.of("name", "JANE DOE"));
    emb.emboss(tag(1), List.of(pan));
    ind.indent(tag(1), List.of(cvv));
    pr.print(tag(1), face);
    laser.engrave(tag(1), job);
    assertThat(elapsedMs()).isEqualTo(900 + 400 + 1500 + 2000);
    t.eject(tag(1));
    PhysicalCard card = world.outputHopper().get(0);
    assertThat(card.embossLines()).containsExactly(pan);
    assertThat(card.indentLines()).containsExactly(cvv);
    assertThat(card.printJobs()).containsExactly(face);
    assertThat(card.laserJobs()).containsExactly(job);
    assertThat(card.location()).isEqualTo(PhysicalCard.Location.OUTPUT_HOPPER);
    assertThat(card.toString()).doesNotContain("4761", "JANE");
    assertThat(world.timesIssued(tag(1))).isEqualTo(1);
    assertThat(world.issuedByRecord()).containsExactly(Map.entry("0001", 1));
  }

  @Test
  void ribbonRunsOutAfterNCardsAndCoverOpensOnCue() {
    onLine(() -> {
      CardPrinter pr = open("virtual:printer?ribbonOutAfter=2&refillMs=30000&coverOpenAt=4&fixMs=2000", DeviceRole.PRINTER);
      PrintJob face = PrintJob.builder().face(Side.FRONT, Bytes.fromHex("89504E47"), EnumSet.of(Panel.K)).build();
      for (int i = 1; i <= 3; i++) {
        world.place(tag(i), null);
      }
      pr.print(tag(1), face);
      pr.print(tag(2), face);
      assertThat(deviceError(() -> pr.print(tag(3), face)).fault()).isEqualTo(DeviceFault.RIBBON_OUT);
      assertThat(pr.status().fault()).contains(DeviceFault.RIBBON_OUT);
      clock.sleep(Duration.ofSeconds(30));
      assertThat(pr.status()).isEqualTo(DeviceStatus.ready());
      assertThat(deviceError(() -> pr.print(tag(3), face)).fault()).isEqualTo(DeviceFault.COVER_OPEN);
      clock.sleep(Duration.ofSeconds(2));
      pr.print(tag(3), face);
      assertThat(world.card(tag(3)).orElseThrow().printJobs()).hasSize(1);
      assertThat(world.card(tag(2)).orElseThrow().printJobs()).hasSize(1);
    });
  }

  @Test
  void embosserFoilRunsOutAndIsRefilled() {
    onLine(() -> {
      Embosser emb = open("virtual:embosser?ribbonOutAfter=1&refillMs=100", DeviceRole.EMBOSSER);
      EmbossLine line = new EmbossLine("JANE DOE", EmbossFont.FARRINGTON_7B, 10.2, 40.0, Topping.GOLD);
      world.place(tag(1), null);
      world.place(tag(2), null);
      emb.emboss(tag(1), List.of(line));
      assertThat(deviceError(() -> emb.emboss(tag(2), List.of(line))).fault()).isEqualTo(DeviceFault.RIBBON_OUT);
      clock.sleep(Duration.ofMillis(100));
      emb.emboss(tag(2), List.of(line));
    });
  }

  @Test
  void desktopPlaysEveryRoleWithOnePosition() {
    Device d = Devices.open("virtual:desktop?feedMs=1000&printMs=3000&stripeMs=500&chipMs=4000&embossMs=700&ejectMs=1000", ctx);
    assertThat(d.roles()).contains(DeviceRole.TRANSPORT, DeviceRole.PRINTER, DeviceRole.MAG_STRIPE_ENCODER,
        DeviceRole.CHIP_STATION, DeviceRole.EMBOSSER);
    CardTransport t = DeviceRole.TRANSPORT.cast(d);
    t.feed(tag(1));
    assertThatThrownBy(() -> t.feed(tag(2))).isInstanceOf(ValidationException.class).hasMessageContaining("holds one card");
    DeviceRole.MAG_STRIPE_ENCODER.cast(d).write(tag(1), stripe());
    DeviceRole.CHIP_STATION.cast(d).power(tag(1)).close();
    DeviceRole.PRINTER.cast(d).print(tag(1),
        PrintJob.builder().face(Side.BACK, Bytes.fromHex("89504E47"), EnumSet.of(Panel.K)).build());
    DeviceRole.EMBOSSER.cast(d).emboss(tag(1),
        List.of(new EmbossLine("JANE DOE", EmbossFont.FARRINGTON_7B, 10.2, 40.0, Topping.GOLD)));
    t.eject(tag(1));
    assertThat(elapsedMs()).isEqualTo(1000 + 500 + 4000 + 3000 + 700 + 1000);
    PhysicalCard card = world.outputHopper().get(0);
    assertThat(card.machine()).isEqualTo(d.id());
    assertThat(card.stripe().sameAs(stripe())).isTrue();
    assertThat(card.chip()).isPresent();
    t.feed(tag(2));
  }

  @Test
  void desktopFaultFaultsTheWholeMachine() {
    onLine(() -> {
      Device d = Devices.open("virtual:desktop?coverOpenAt=1&fixMs=1000", ctx);
      DeviceRole.TRANSPORT.cast(d).feed(tag(1));
      PrintJob face = PrintJob.builder().face(Side.BACK, Bytes.fromHex("89504E47"), EnumSet.of(Panel.K)).build();
      assertThat(deviceError(() -> DeviceRole.PRINTER.cast(d).print(tag(1), face)).fault()).isEqualTo(DeviceFault.COVER_OPEN);
      assertThat(deviceError(() -> DeviceRole.TRANSPORT.cast(d).eject(tag(1))).fault()).isEqualTo(DeviceFault.COVER_OPEN);
      clock.sleep(Duration.ofSeconds(1));
      DeviceRole.TRANSPORT.cast(d).eject(tag(1));
    });
  }

  @Test
  void closedDeviceIsOfflineAndRefusesWork() {
    CardTransport t = open("virtual:transport?id=mx-1", DeviceRole.TRANSPORT);
    assertThat(t.id()).isEqualTo("mx-1");
    t.close();
    t.close();
    assertThat(t.status().state()).isEqualTo(DeviceStatus.State.OFFLINE);
    assertThat(deviceError(() -> t.feed(tag(1))).fault()).isEqualTo(DeviceFault.COMMUNICATION_ERROR);
  }

  @Test
  void badAddressesNameTheParameter() {
    assertThatThrownBy(() -> Devices.open("virtual:chip?ms=10&jamAt=3", ctx)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("jamAt").hasMessageContaining("allowed: [contactFailAt, contactFailRate, id, ms, seed]");
    assertThatThrownBy(() -> Devices.open("virtual:toaster", ctx)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("toaster").hasMessageContaining("transport");
    assertThatThrownBy(() -> Devices.open("virtual:transport?feedMs=-1", ctx)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("feedMs");
    assertThatThrownBy(() -> Devices.open("virtual:transport?jamAt=0", ctx)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("jamAt");
    assertThatThrownBy(() -> Devices.open("virtual:magstripe?readErrorRate=2", ctx)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("readErrorRate");
    assertThatThrownBy(() -> Devices.open("virtual:printer?ms=fast", ctx)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("ms");
  }

  @Test
  void everySchemeIsFoundThroughServiceLoader() {
    Function<String, Device> open = a -> Devices.open(a, ctx);
    assertThat(open.apply("virtual:laser")).isInstanceOf(LaserEngraver.class);
    try (Device pcsc = open.apply("pcsc:ACS ACR39U*?protocol=t1")) {
      assertThat(pcsc).isInstanceOf(ChipStation.class);
      assertThat(pcsc.id()).isEqualTo("pcsc:ACS ACR39U*?protocol=t1");
    }
    assertThatThrownBy(() -> open.apply("pcsc:X?protocol=t2")).isInstanceOf(ValidationException.class)
        .hasMessageContaining("protocol");
    assertThatThrownBy(() -> open.apply("serial-t1:/dev/perso-no-such-port?atr=3B808131FE458B"))
        .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.fault()).isEqualTo(DeviceFault.COMMUNICATION_ERROR));
    assertThatThrownBy(() -> open.apply("serial-t1:/dev/ttyUSB0")).isInstanceOf(ValidationException.class)
        .hasMessageContaining("atr");
    assertThatThrownBy(() -> open.apply("serial-t1:/dev/ttyUSB0?atr=3B80&speed=1")).isInstanceOf(ValidationException.class)
        .hasMessageContaining("speed");
  }
}
