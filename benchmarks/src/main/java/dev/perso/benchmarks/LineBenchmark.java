package dev.perso.benchmarks;

import dev.perso.core.device.DeviceContext;
import dev.perso.core.device.Devices;
import dev.perso.core.event.PersoEvents;
import dev.perso.core.journal.Journal;
import dev.perso.core.line.Job;
import dev.perso.core.line.JobReport;
import dev.perso.core.line.Line;
import dev.perso.core.line.LineClock;
import dev.perso.core.line.Machine;
import dev.perso.core.record.RecordSource;
import dev.perso.core.step.CardType;
import dev.perso.devices.virtual.VirtualWorld;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The line engine's overhead per card: a conveyor (transport, magnetic module, 8 chip stations) of
 * zero-time virtual devices runs 1,000 records streamed from JSON Lines with the in-memory journal.
 * Everything a card costs here is the engine, the virtual devices' bookkeeping, record parsing and the
 * journal calls; the target is under 50 µs per card. {@code clock=virtual} adds the discrete-event
 * clock's coordination (what tests use).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LineBenchmark {
  private static final int CARDS = 1000;

  @Param({"system", "virtual"})
  public String clock;

  private final CardType type = LineSteps.cardType();
  private Line line;
  private Journal journal;
  private RecordSource records;

  @Setup(Level.Invocation)
  public void setUp() {
    LineClock c = clock.equals("virtual") ? LineClock.virtual() : LineClock.system();
    DeviceContext ctx = DeviceContext.builder().clock(c).cardStock(tag -> LineSteps.blankChip()).build();
    ctx.shared(VirtualWorld.class, () -> new VirtualWorld(16));
    line = Line.builder().clock(c).machine(Machine.conveyor("mx")
        .transport(Devices.open("virtual:transport?id=t", ctx))
        .module("mag", Devices.open("virtual:magstripe?id=mag", ctx))
        .stations("chip", 8, i -> Devices.open("virtual:chip?id=chip-" + i, ctx))
        .build()).build();
    journal = Journal.inMemory();
    records = LineSteps.records(CARDS);
  }

  @TearDown(Level.Invocation)
  public void tearDown() {
    line.close();
    journal.close();
    records.close();
  }

  /** @return the report, so the run is not optimised away */
  @Benchmark
  @OperationsPerInvocation(CARDS)
  public JobReport perCard() {
    JobReport r = line.run(Job.of("bench", records, type, journal), PersoEvents.NONE);
    if (r.issued() != CARDS) {
      throw new IllegalStateException("issued " + r.issued());
    }
    return r;
  }
}
