package dev.perso.devices.virtual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.perso.core.DeviceException;
import dev.perso.core.DeviceFault;
import dev.perso.core.ValidationException;
import dev.perso.core.device.CardPrinter;
import dev.perso.core.device.CardTag;
import dev.perso.core.device.CodeScanner;
import dev.perso.core.device.DeviceContext;
import dev.perso.core.device.DeviceRole;
import dev.perso.core.device.Devices;
import dev.perso.core.device.Embosser;
import dev.perso.core.device.LaserEngraver;
import dev.perso.core.device.ScannedCode;
import dev.perso.core.line.LineClock;
import dev.perso.core.record.CardRecord;
import dev.perso.core.surface.EmbossFont;
import dev.perso.core.surface.EmbossLine;
import dev.perso.core.surface.LaserJob;
import dev.perso.core.surface.Side;
import dev.perso.core.surface.Topping;
import dev.perso.devices.surface.CardRenderer;
import dev.perso.devices.surface.SurfaceLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The virtual code scanner reads what the virtual devices put on the card: it draws the side and decodes it
 * with ZXing. The codes are made by ZXing's encoders through the layout's barcode elements, so a code reads
 * back as the text the layout put in it, and nothing reads where nothing (readable) was printed.
 */
class VirtualScannerTest {
  private final LineClock clock = LineClock.virtual();
  private final DeviceContext ctx = DeviceContext.builder().clock(clock).build();
  private final VirtualWorld world = VirtualWorld.of(ctx);

  /** A front with the card's id as a QR code and as a Code 128 under a dark band. */
  private static final SurfaceLayout CODES = SurfaceLayout.parse("""
      {"name": "codes", "front": {"panels": "YMCKO", "elements": [
        {"type": "rect", "name": "band", "box": [0, 0, 85.6, 12], "fill": "#1B3A6B"},
        {"type": "text", "name": "bank", "text": "PERSO BANK", "x": 6, "y": 9, "size": 12, "colour": "#FFFFFF"},
        {"type": "barcode", "name": "qr", "format": "QR_CODE", "content": "{id}", "box": [62, 16, 16, 16]},
        {"type": "barcode", "name": "bars", "format": "CODE_128", "content": "REF-{id}", "box": [6, 36, 48, 12]}
      ]}}""", "test", Path.of(""));

  private <T extends dev.perso.core.device.Device> T open(String address, DeviceRole<T> role) {
    return role.cast(Devices.open(address, ctx));
  }

  private static CardRecord record(String id) {
    return CardRecord.builder(id).section("surface", JsonNodeFactory.instance.objectNode()).build();
  }

  private void printCodes(CardTag card) {
    CardPrinter printer = open("virtual:printer", DeviceRole.PRINTER);
    printer.print(card, CardRenderer.of(CODES).printJob(CODES.plan(record(card.recordId())), 300));
  }

  @Test
  void readsEveryCodePrintedOnTheSideAsTheTextTheLayoutPutInIt() {
    CardTag card = new CardTag(1, "000042");
    world.place(card, null);
    printCodes(card);
    CodeScanner scanner = open("virtual:scanner?ms=120", DeviceRole.CODE_SCANNER);
    Instant t0 = clock.now();

    List<ScannedCode> front = scanner.scan(card, Side.FRONT);

    assertThat(front).containsExactlyInAnyOrder(new ScannedCode("QR_CODE", "000042"),
        new ScannedCode("CODE_128", "REF-000042"));
    assertThat(Duration.between(t0, clock.now())).isEqualTo(Duration.ofMillis(120));
    assertThat(scanner.scan(card, Side.BACK)).isEmpty();
    assertThat(scanner.roles()).containsExactly(DeviceRole.CODE_SCANNER);
    assertThat(front.get(0).toString()).doesNotContain("000042");
  }

  @Test
  void aBlankCardAndACueMissReadNothing() {
    CardTag blank = new CardTag(1, "000001");
    CardTag printed = new CardTag(2, "000002");
    world.place(blank, null);
    world.place(printed, null);
    printCodes(printed);
    CodeScanner scanner = open("virtual:scanner?missAt=2", DeviceRole.CODE_SCANNER);

    assertThat(scanner.scan(blank, Side.FRONT)).isEmpty();
    assertThat(scanner.scan(printed, Side.FRONT)).isEmpty();   // scan 2: the cue
    assertThat(scanner.scan(printed, Side.FRONT)).extracting(ScannedCode::text).contains("000002");
  }

  @Test
  void embossingOverTheCodeMakesItUnreadableAndAnEngravedCodeReads(@TempDir Path dir) throws Exception {
    CardTag card = new CardTag(1, "000007");
    world.place(card, null);
    printCodes(card);
    Embosser embosser = open("virtual:embosser", DeviceRole.EMBOSSER);
    // a line of 7B characters right across the QR code's box (62..78 mm, 16..32 mm)
    for (double y : new double[] {20, 25, 30}) {
      embosser.emboss(card, List.of(new EmbossLine("8888888", EmbossFont.FARRINGTON_7B, 58, y, Topping.BLACK)));
    }
    CodeScanner scanner = open("virtual:scanner", DeviceRole.CODE_SCANNER);
    assertThat(scanner.scan(card, Side.FRONT)).extracting(ScannedCode::symbology).containsExactly("CODE_128");

    // an engraved code: the scanner draws it from the layout's laser template (a plain card knows none)
    CardTag engraved = new CardTag(2, "000008");
    world.place(engraved, null);
    LaserEngraver laser = open("virtual:laser", DeviceRole.LASER_ENGRAVER);
    laser.engrave(engraved, new LaserJob("id-code", Side.BACK, Map.of("code", "000008")));
    assertThat(scanner.scan(engraved, Side.BACK)).isEmpty();
    Path layout = dir.resolve("engraved.json");
    Files.writeString(layout, """
        {"name": "engraved", "laser": [{"name": "id-code", "side": "BACK", "elements": [
          {"name": "code", "kind": "BARCODE", "format": "DATA_MATRIX", "value": "{id}", "box": [60, 30, 14, 14]}]}]}""");
    CodeScanner withLayout = open("virtual:scanner?layout=" + layout, DeviceRole.CODE_SCANNER);
    assertThat(withLayout.scan(engraved, Side.BACK)).containsExactly(new ScannedCode("DATA_MATRIX", "000008"));
  }

  @Test
  void aCardThatIsNotInsideAndABadAddressAreTypedErrors() {
    CodeScanner scanner = open("virtual:scanner", DeviceRole.CODE_SCANNER);
    assertThatThrownBy(() -> scanner.scan(new CardTag(9, "000009"), Side.FRONT))
        .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.fault()).isEqualTo(DeviceFault.NO_CARD));
    assertThatThrownBy(() -> Devices.open("virtual:scanner?dpi=20", ctx)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("dpi");
    assertThatThrownBy(() -> Devices.open("virtual:scanner?exposure=3", ctx)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("allowed");
  }
}
