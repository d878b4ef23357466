package dev.perso.devices.line;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perso.core.DeviceException;
import dev.perso.core.PersoException;
import dev.perso.core.device.CardTag;
import dev.perso.core.device.DeviceContext;
import dev.perso.core.event.PersoEvents;
import dev.perso.core.journal.Journal;
import dev.perso.core.journal.RecordState;
import dev.perso.core.journal.RecordStatus;
import dev.perso.core.line.Job;
import dev.perso.core.line.JobReport;
import dev.perso.core.line.Line;
import dev.perso.core.line.LineClock;
import dev.perso.core.line.Machine;
import dev.perso.core.device.Devices;
import dev.perso.core.step.CardType;
import dev.perso.devices.virtual.PhysicalCard;
import dev.perso.devices.virtual.VirtualWorld;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The line engine with the virtual devices: faults on cue, nothing lost, nothing issued twice. */
class VirtualLineTest {
  private final LineClock clock = LineClock.virtual();
  private final DeviceContext ctx = DeviceContext.builder().clock(clock).cardStock(tag -> dev.perso.core.testing.TestSteps.blankChip()).build();
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());
  private final PersoEvents events = new PersoEvents() {
    @Override
    public void cardRejected(CardTag card, String station, PersoException reason, boolean remade) {
      log.add("rejected " + card.recordId() + " at " + station + ": "
          + (reason instanceof DeviceException d ? d.fault() : reason.getClass().getSimpleName())
          + (remade ? " remade" : ""));
    }

    @Override
    public void cardRetried(CardTag card, String station, PersoException reason) {
      log.add("retried " + card.recordId() + " from " + station);
    }

    @Override
    public void machinePaused(String machine, DeviceException reason) {
      log.add("paused " + machine + " " + reason.fault());
    }

    @Override
    public void machineResumed(String machine) {
      log.add("resumed " + machine);
    }

    @Override
    public void stationOffline(String station, DeviceException reason) {
      log.add("offline " + station);
    }
  };

  @Test
  void aSixteenStationLineWithFaultsOnCueFinishesTheBatchWithNothingLostOrIssuedTwice() {
    // station 5 loses contact on its 2nd card, station 9 on its 4th: both before any write to the chip
    Machine mx = Machine.conveyor("mx-1")
        .transport(Devices.open("virtual:transport?id=mx-1-transport&feedMs=200&moveMs=50&ejectMs=200"
            + "&jamAt=30&clearMs=20000", ctx))
        .module("mag", Devices.open("virtual:magstripe?id=mx-1-mag&ms=800&readErrorAt=12", ctx))
        .stations("chip", 16, i -> Devices.open("virtual:chip?id=mx-1-chip-" + i + "&ms=6000"
            + (i == 5 ? "&contactFailAt=2" : i == 9 ? "&contactFailAt=4" : ""), ctx))
        .module("print", Devices.open("virtual:printer?id=mx-1-printer&ms=900&ribbonOutAfter=50&fixMs=60000", ctx))
        .build();
    Line line = Line.builder().machine(mx).clock(clock).build();
    CardType type = CardType.builder("stripe-chip-print").step(LineSteps.stripe()).step(LineSteps.chip())
        .step(LineSteps.print()).build();
    int n = 120;
    try (line; Journal journal = Journal.inMemory()) {
      JobReport r = line.run(Job.of("faults", dev.perso.core.testing.TestSteps.records(n, "magstripe", "applications", "surface"), type,
          journal), events);

      // every record is DONE or REJECTED with a reason: none lost
      Map<String, RecordStatus> all = journal.records(IntStream.rangeClosed(1, n)
          .mapToObj(i -> String.format("%06d", i)).toList());
      assertThat(all).hasSize(n);
      assertThat(all.values()).allMatch(s -> s.state() == RecordState.DONE
          || s.state() == RecordState.REJECTED && !s.reason().isEmpty());
      // the physical cards in the output hopper: one per DONE record, none twice
      VirtualWorld world = VirtualWorld.of(ctx);
      Map<String, Integer> issued = world.issuedByRecord();
      assertThat(issued.values()).allMatch(c -> c == 1);
      assertThat(issued.keySet()).containsExactlyInAnyOrderElementsOf(all.values().stream()
          .filter(s -> s.state() == RecordState.DONE).map(RecordStatus::recordId).toList());
      assertThat(world.outputHopper()).allMatch(c -> c.location() == PhysicalCard.Location.OUTPUT_HOPPER
          && c.printJobs().size() == 1 && c.chip().isPresent());
      // the faults as the policy says: the read-back mismatch rejects and remakes; a contact failure before
      // a write moves the card to another station and takes the station offline; jam and ribbon out pause
      assertThat(log).contains("rejected 000012 at mx-1/mag: READ_BACK_MISMATCH remade");
      assertThat(log).anyMatch(l -> l.startsWith("retried"));
      assertThat(log).contains("offline mx-1/chip-5", "offline mx-1/chip-9")
          .filteredOn(l -> l.startsWith("offline")).hasSize(2);
      assertThat(log).filteredOn(l -> l.startsWith("retried")).hasSize(2);
      assertThat(log).contains("paused mx-1 JAM", "paused mx-1 RIBBON_OUT", "resumed mx-1");
      assertThat(r.reconciliation().addsUp()).isTrue();
      assertThat(r.issued()).isEqualTo(r.reconciliation().total().issued());
      assertThat(world.rejectBin()).hasSize((int) r.rejectedCards());
    }
  }
}
