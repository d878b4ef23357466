package dev.perso.devices.line;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perso.core.Bytes;
import dev.perso.core.CardIdentificationException;
import dev.perso.core.PersoException;
import dev.perso.core.card.VirtualCard;
import dev.perso.core.device.CardTag;
import dev.perso.core.device.DeviceContext;
import dev.perso.core.device.Devices;
import dev.perso.core.event.PersoEvents;
import dev.perso.core.journal.Journal;
import dev.perso.core.journal.RecordState;
import dev.perso.core.line.Job;
import dev.perso.core.line.JobReport;
import dev.perso.core.line.Line;
import dev.perso.core.line.LineClock;
import dev.perso.core.line.Lines;
import dev.perso.core.line.Machine;
import dev.perso.core.step.CardIdentifier;
import dev.perso.core.step.CardType;
import dev.perso.core.step.IdentifyStep;
import dev.perso.core.surface.PrintJob;
import dev.perso.core.surface.Side;
import dev.perso.core.testing.TestSteps;
import dev.perso.devices.surface.CardRenderer;
import dev.perso.devices.surface.SurfaceLayout;
import dev.perso.devices.surface.SurfaceStep;
import dev.perso.devices.virtual.PhysicalCard;
import dev.perso.devices.virtual.VirtualWorld;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job in two stages identified by a printed code: the first stage personalizes the chip and prints the
 * record id as a QR code on the front (and reads it back with a scanner, remembering it as the stage's
 * output); days later a second line with a scanner identifies each card of a shuffled hopper by that code
 * and writes its stripe. The scanner sees the card as the virtual devices left it: a card whose print is
 * gone or scratched reads no code and is rejected, never written with another record's data.
 */
class PrintedCodeStagesTest {
  private final LineClock clock = LineClock.virtual();

  /** The front: the bank's band and the record id as a QR code (an identifier, never the PAN). */
  private static final SurfaceLayout LAYOUT = SurfaceLayout.parse("""
      {"name": "coded", "front": {"panels": "YMCKO", "elements": [
        {"type": "rect", "name": "band", "box": [0, 0, 85.6, 12], "fill": "#1B3A6B"},
        {"type": "text", "name": "bank", "text": "PERSO BANK", "x": 6, "y": 9, "size": 12, "colour": "#FFFFFF"},
        {"type": "barcode", "name": "card-code", "format": "QR_CODE", "content": "{id}", "box": [62, 30, 16, 16]}
      ]}}""", "coded.json", Path.of(""));
  /** Where the QR code is printed, in pixels of the 300 dpi face (62..78 mm, 30..46 mm). */
  private static final int QR_X = (int) (62 / 25.4 * 300);
  private static final int QR_Y = (int) (30 / 25.4 * 300);
  private static final int QR_SIZE = (int) (16 / 25.4 * 300);

  private static final CardIdentifier PRINTED = CardIdentifier.printed(Side.FRONT, "QR_CODE");

  private final List<String> rejections = Collections.synchronizedList(new ArrayList<>());
  private final List<String> done = Collections.synchronizedList(new ArrayList<>());
  private final PersoEvents events = new PersoEvents() {
    @Override
    public void cardDone(CardTag card, String machine) {
      done.add(card.recordId());
    }

    @Override
    public void cardRejected(CardTag card, String station, PersoException reason, boolean remade) {
      rejections.add(reason.getClass().getSimpleName());
    }
  };

  private DeviceContext world() {
    return DeviceContext.builder().clock(clock).cardStock(tag -> TestSteps.blankChip()).build();
  }

  private static CardType debit(Journal chipStage) {
    return CardType.builder("debit")
        .step(LineSteps.chip()).step(SurfaceStep.print(LAYOUT)).step(IdentifyStep.remember("card-code", PRINTED))
        .step(IdentifyStep.byOutput(chipStage, "card-code", PRINTED)).step(LineSteps.stripe())
        .stage("chip", "chip", "print", "remember-card-code")
        .stage("finish", "identify-card-code", "stripe").build();
  }

  private Line chipLine(DeviceContext ctx) {
    return Line.builder().clock(clock).machine(Machine.conveyor("mx-1")
        .transport(Devices.open("virtual:transport?id=mx-1-transport&feedMs=200&moveMs=50&ejectMs=200", ctx))
        .stations("chip", 2, i -> Devices.open("virtual:chip?id=mx-1-chip-" + i + "&ms=3000", ctx))
        .module("print", Devices.open("virtual:printer?id=mx-1-printer&ms=900", ctx))
        .module("scan", Devices.open("virtual:scanner?id=mx-1-scanner&ms=150", ctx))
        .build()).build();
  }

  /** The finish line as a line file: a scanner module is any other device address. */
  private static Line finishLine(DeviceContext ctx) {
    // a record may lose a card to each of the two unreadable cards before its own card comes
    return Lines.parse("""
        {"name": "finish", "retry": {"stationRetries": 2, "remakes": 2}, "machines": [
          {"id": "mx-2", "kind": "conveyor",
           "transport": "virtual:transport?id=mx-2-transport&feedMs=200&moveMs=50&ejectMs=200",
           "modules": [{"name": "scan", "device": "virtual:scanner?id=mx-2-scanner&ms=150"},
                       {"name": "mag", "device": "virtual:magstripe?id=mx-2-mag&ms=800"}]}]}""", "finish.json", ctx);
  }

  /** The card as it would be with its print jobs replaced (worn off, scratched). */
  private static PhysicalCard withPrints(PhysicalCard c, List<PrintJob> prints) {
    return new PhysicalCard(c.tag(), c.machine(), c.location(), c.stripe(), c.chip(), c.embossLines(),
        c.indentLines(), prints, c.laserJobs(), c.positions());
  }

  /** A scratch across the QR code: its left half rubbed white (finder patterns included). */
  private static PhysicalCard scratched(PhysicalCard c) throws IOException {
    PrintJob.Face face = c.printJobs().get(0).faces().get(Side.FRONT);
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(face.png().toByteArray()));
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(QR_X - 4, QR_Y - 4, QR_SIZE / 2, QR_SIZE + 8);
    g.dispose();
    return withPrints(c, List.of(PrintJob.builder().face(Side.FRONT, Bytes.of(CardRenderer.png(img)), face.panels())
        .build()));
  }

  @Test
  void aShuffledHopperIsIdentifiedByThePrintedCodeAndUnreadableCardsAreRejectedUnwritten(@TempDir Path dir)
      throws IOException {
    int n = 20;
    DeviceContext chipWorld = world();
    DeviceContext finishWorld = world();
    try (Journal chipJournal = Journal.inMemory(); Journal finishJournal = Journal.sqlite(dir.resolve("finish.db"));
         Line chipLine = chipLine(chipWorld); Line finishLine = finishLine(finishWorld)) {
      CardType debit = debit(chipJournal);
      JobReport chip = chipLine.run(Job.of("job-11", TestSteps.records(n, "magstripe", "applications", "surface"),
          debit.stage("chip"), chipJournal), events);
      assertThat(chip.issued()).isEqualTo(n);
      assertThat(chipJournal.reconcile().addsUp()).isTrue();
      assertThat(chipJournal.stageRecord("000007").orElseThrow().outputs()).containsEntry("card-code", "000007");

      // two days later: the cards shuffled, two missing, one whose print wore off, one scratched across its code
      clock.sleep(Duration.ofDays(2));
      List<PhysicalCard> hopper = new ArrayList<>(VirtualWorld.of(chipWorld).outputHopper());
      Map<VirtualCard, String> owner = new IdentityHashMap<>();   // each physical card's record, by its chip
      hopper.forEach(c -> owner.put(c.chip().orElseThrow(), c.tag().recordId()));
      Collections.shuffle(hopper, new Random(11));
      Set<String> missing = Set.of(hopper.remove(3).tag().recordId(), hopper.remove(9).tag().recordId());
      PhysicalCard wornOff = withPrints(hopper.get(5), List.of());
      PhysicalCard scratched = scratched(hopper.get(12));
      hopper.set(5, wornOff);
      hopper.set(12, scratched);
      Set<String> unreadable = Set.of(wornOff.tag().recordId(), scratched.tag().recordId());
      Set<String> readable = new HashSet<>();
      hopper.forEach(c -> readable.add(c.tag().recordId()));
      readable.removeAll(unreadable);
      VirtualWorld finish = VirtualWorld.of(finishWorld);
      finish.loadHopper("mx-2-transport", hopper);
      rejections.clear();
      done.clear();

      JobReport fin = finishLine.run(Job.of("job-11", TestSteps.records(n, "magstripe", "applications", "surface"),
          debit.stage("finish"), finishJournal), events);

      // every readable card is issued with its own record's stripe, once
      assertThat(fin.issued()).isEqualTo(n - 4);
      Set<String> issued = new HashSet<>();
      for (PhysicalCard c : finish.outputHopper()) {
        String record = owner.get(c.chip().orElseThrow());
        assertThat(record).isIn(readable);
        assertThat(issued.add(record)).isTrue();
        assertThat(new String(c.stripe().tracks().get(2).toByteArray(), StandardCharsets.US_ASCII))
            .isEqualTo("9" + record);
        assertThat(finishJournal.stageRecord(record).orElseThrow().outputs()).containsEntry("card-code", record);
      }
      assertThat(issued).isEqualTo(readable);
      // the done events and the output hopper name the record each card was personalized as
      assertThat(done).containsExactlyInAnyOrderElementsOf(readable);
      assertThat(finish.outputHopper()).allMatch(c -> c.tag().recordId().equals(owner.get(c.chip().orElseThrow())));
      assertThat(finish.issuedByRecord().keySet()).isEqualTo(readable);
      // the worn-off and scratched cards, and the blanks fed after the hopper ran out, are in the reject bin
      // unwritten; every rejection is an identification failure
      List<PhysicalCard> bin = finish.rejectBin();
      assertThat(bin).hasSize((int) fin.rejectedCards()).allMatch(c -> !c.stripe().has(2));
      assertThat(bin).filteredOn(c -> owner.containsKey(c.chip().orElseThrow()))
          .extracting(c -> owner.get(c.chip().orElseThrow())).containsExactlyInAnyOrderElementsOf(unreadable);
      assertThat(rejections).hasSize(bin.size())
          .allMatch(r -> r.equals(CardIdentificationException.class.getSimpleName()));
      // the missing and unreadable cards' records are rejected in this stage; the others are DONE
      for (int i = 1; i <= n; i++) {
        String id = String.format("%06d", i);
        RecordState state = finishJournal.stageRecord(id).orElseThrow().state();
        assertThat(state).as(id).isEqualTo(readable.contains(id) ? RecordState.DONE : RecordState.REJECTED);
        assertThat(missing.contains(id) || unreadable.contains(id)).isEqualTo(!readable.contains(id));
      }
      // both stages reconcile
      var r = finishJournal.reconcile();
      assertThat(r.addsUp()).as(r.discrepancies().toString()).isTrue();
      assertThat(r.total().fed()).isEqualTo(r.total().issued() + fin.rejectedCards());
      assertThat(r.records().get(RecordState.DONE)).isEqualTo(n - 4);
      assertThat(r.records().get(RecordState.REJECTED)).isEqualTo(4);
      assertThat(chipJournal.reconcile().total().issued()).isEqualTo(n);
    }
  }
}
