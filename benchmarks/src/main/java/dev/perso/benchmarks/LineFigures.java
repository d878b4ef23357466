package dev.perso.benchmarks;

import dev.perso.core.device.DeviceContext;
import dev.perso.core.device.Devices;
import dev.perso.core.event.PersoEvents;
import dev.perso.core.journal.Durability;
import dev.perso.core.journal.Journal;
import dev.perso.core.line.Job;
import dev.perso.core.line.JobReport;
import dev.perso.core.line.Line;
import dev.perso.core.line.LineClock;
import dev.perso.core.line.Machine;
import dev.perso.core.step.CardType;
import dev.perso.devices.virtual.VirtualWorld;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The line's figures that are not a JMH microbenchmark:
 * <ul>
 *   <li>{@code efficiency}: throughput on the virtual clock of a conveyor whose chip step takes 6 s and
 *       other modules 1 s, with 1, 8, 16 and 64 chip stations, against the bound
 *       min(1/slowest single module, N/chip time); and a desktop fleet of 4 against 4x one machine.</li>
 *   <li>{@code million [N] [full|process]}: N records (default 1,000,000) streamed from JSON Lines through a
 *       zero-time conveyor with the SQLite journal: peak heap after GC and journal records per second.
 *       Run it with {@code -Xmx256m} to show the heap stays flat.</li>
 * </ul>
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.perso.benchmarks.LineFigures efficiency
 * java -Xmx256m -cp benchmarks/target/benchmarks.jar dev.perso.benchmarks.LineFigures million 1000000 process
 * </pre>
 */
public final class LineFigures {
  private LineFigures() {}

  /**
   * @param args {@code efficiency} or {@code million [N] [full|process]}
   * @throws Exception on I/O errors
   */
  public static void main(String[] args) throws Exception {
    String what = args.length > 0 ? args[0] : "efficiency";
    if (what.equals("million")) {
      million(args.length > 1 ? Long.parseLong(args[1]) : 1_000_000,
          args.length > 2 && args[2].equals("full") ? Durability.FULL : Durability.PROCESS_CRASH_SAFE);
    } else {
      efficiency();
    }
  }

  static void efficiency() {
    System.out.println("conveyor: transport 0 s, magnetic module 1 s, chip 6 s per card (virtual clock)");
    for (int n : new int[] {1, 8, 16, 64}) {
      int cards = Math.max(100, n * 10);
      LineClock c = LineClock.virtual();
      DeviceContext ctx = DeviceContext.builder().clock(c).cardStock(tag -> LineSteps.blankChip()).build();
      Machine mx = Machine.conveyor("mx").transport(Devices.open("virtual:transport?id=t", ctx))
          .module("mag", Devices.open("virtual:magstripe?id=mag&ms=1000", ctx))
          .stations("chip", n, i -> Devices.open("virtual:chip?id=chip-" + i + "&ms=6000", ctx)).build();
      JobReport r = run(c, mx, cards);
      double bound = Math.min(1.0, n / 6.0);
      double steady = (cards - 1) / (r.elapsed().toNanos() / 1e9 - 7.0);   // after the first card's 1 + 6 s
      System.out.printf(Locale.ROOT, "  %2d chip stations: %4d cards in %6.0f s, %.3f cards/s steady, bound %.3f: %.1f%%%n",
          n, cards, r.elapsed().toNanos() / 1e9, steady, bound, 100 * steady / bound);
    }
    double one = desktops(1, 50);
    double four = desktops(4, 200);
    System.out.printf(Locale.ROOT, "desktop fleet (stripe 2 s + chip 8 s per card): 1 machine %.4f cards/s, "
        + "4 machines %.4f cards/s: %.1f%% of 4x one%n", one, four, 100 * four / (4 * one));
  }

  private static double desktops(int machines, int cards) {
    LineClock c = LineClock.virtual();
    DeviceContext ctx = DeviceContext.builder().clock(c).cardStock(tag -> LineSteps.blankChip()).build();
    Line.Builder b = Line.builder().clock(c);
    for (int m = 1; m <= machines; m++) {
      b.machine(Machine.desktop("desk-" + m)
          .device(Devices.open("virtual:desktop?id=desk-" + m + "&stripeMs=2000&chipMs=8000", ctx)).build());
    }
    try (Line line = b.build(); Journal journal = Journal.inMemory()) {
      JobReport r = line.run(Job.of("fleet", LineSteps.records(cards), LineSteps.cardType(), journal), PersoEvents.NONE);
      return r.issued() / (r.elapsed().toNanos() / 1e9);
    }
  }

  private static JobReport run(LineClock c, Machine mx, int cards) {
    try (Line line = Line.builder().clock(c).machine(mx).build(); Journal journal = Journal.inMemory()) {
      return line.run(Job.of("eff", LineSteps.records(cards), LineSteps.cardType(), journal), PersoEvents.NONE);
    }
  }

  static void million(long n, Durability durability) throws Exception {
    Path dir = Files.createTempDirectory("perso-million");
    Path db = dir.resolve("job.db");
    LineClock c = LineClock.system();
    DeviceContext ctx = DeviceContext.builder().clock(c).cardStock(tag -> LineSteps.blankChip()).build();
    ctx.shared(VirtualWorld.class, () -> new VirtualWorld(100));
    Machine mx = Machine.conveyor("mx").transport(Devices.open("virtual:transport?id=t", ctx))
        .module("mag", Devices.open("virtual:magstripe?id=mag", ctx))
        .stations("chip", 8, i -> Devices.open("virtual:chip?id=chip-" + i, ctx)).build();
    long[] peak = {0};
    Thread sampler = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        long used = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
          if (p.getType() == MemoryType.HEAP && p.getCollectionUsage() != null) {
            used += p.getCollectionUsage().getUsed();
          }
        }
        peak[0] = Math.max(peak[0], used);
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    sampler.setDaemon(true);
    sampler.start();
    long t0 = System.nanoTime();
    JobReport r;
    try (Line line = Line.builder().clock(c).machine(mx).build(); Journal journal = Journal.sqlite(db, durability)) {
      r = line.run(Job.of("million", LineSteps.records(n), LineSteps.cardType(), journal), PersoEvents.NONE);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    sampler.interrupt();
    long max = Runtime.getRuntime().maxMemory();
    System.out.printf(Locale.ROOT, "%d records, SQLite journal %s: %d issued in %.1f s = %.0f records/s; "
        + "heap after GC peak %.1f MB (max heap %.0f MB); reconciliation %s%n", n, durability, r.issued(), seconds,
        n / seconds, peak[0] / 1e6, max / 1e6, r.reconciliation().addsUp() ? "adds up" : r.reconciliation().discrepancies());
    Files.deleteIfExists(db);
    Files.deleteIfExists(dir.resolve("job.db-wal"));
    Files.deleteIfExists(dir.resolve("job.db-shm"));
    Files.deleteIfExists(dir);
  }
}
