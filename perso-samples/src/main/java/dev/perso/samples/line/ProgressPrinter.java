package dev.perso.samples.line;

import dev.perso.core.DeviceException;
import dev.perso.core.PersoException;
import dev.perso.core.device.CardTag;
import dev.perso.core.event.PersoEvents;
import dev.perso.core.line.LineClock;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Shows where a job stands: on a terminal a live progress bar (done, rejected, cards/hour, ETA, per
 * machine) redrawn in place; otherwise a plain line every 10% (or every 100 cards when the total is not
 * known) and one line per machine pause, station offline and rejected card.
 *
 * <pre>{@code
 * ProgressPrinter progress = new ProgressPrinter(out, clock, total, System.console() != null);
 * line.run(job, PersoEvents.composite(progress, others));
 * progress.finish();
 * }</pre>
 */
public final class ProgressPrinter extends PersoEvents {
  private static final Duration REDRAW = Duration.ofMillis(200);

  private final PrintWriter out;
  private final LineClock clock;
  private final long total;
  private final boolean terminal;
  private final Instant start;
  private final AtomicLong done = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final Map<String, Long> perMachine = new TreeMap<>();
  private long lastDrawNanos;
  private long lastPlainStep = -1;

  /**
   * @param out where to print
   * @param clock the line's clock (rates and ETA are in line time)
   * @param total records expected, or -1
   * @param terminal true to redraw a bar in place
   */
  public ProgressPrinter(PrintWriter out, LineClock clock, long total, boolean terminal) {
    this.out = out;
    this.clock = clock;
    this.total = total;
    this.terminal = terminal;
    this.start = clock.now();
  }

  @Override
  public synchronized void cardDone(CardTag card, String machine) {
    perMachine.merge(machine, 1L, Long::sum);
  }

  @Override
  public void cardRejected(CardTag card, String station, PersoException reason, boolean remade) {
    rejected.incrementAndGet();
    line("rejected " + card + " at " + station + ": " + reason.getMessage() + (remade ? " (record remade)" : ""));
  }

  @Override
  public void recordRejected(String recordId, String location, PersoException reason) {
    line("record " + recordId + " rejected: " + reason.getMessage());
  }

  @Override
  public void machinePaused(String machine, DeviceException reason) {
    line(machine + " paused: " + reason.getMessage() + " (waiting for the device to be ready)");
  }

  @Override
  public void machineResumed(String machine) {
    line(machine + " resumed");
  }

  @Override
  public void stationOffline(String station, DeviceException reason) {
    line(station + " offline: " + reason.getMessage());
  }

  @Override
  public void cardPurged(CardTag card, String machine) {
    line(card + " found inside " + machine + " after a restart: purged to the reject bin");
  }

  @Override
  public synchronized void progress(long finished, long all) {
    done.set(finished);
    if (terminal) {
      long now = System.nanoTime();
      if (now - lastDrawNanos >= REDRAW.toNanos() || all > 0 && finished >= all) {
        lastDrawNanos = now;
        out.print("\r" + bar() + "\u001b[K");
        out.flush();
      }
    } else {
      long step = total > 0 ? finished * 10 / total : finished / 100;
      if (step != lastPlainStep) {
        lastPlainStep = step;
        out.println(bar());
        out.flush();
      }
    }
  }

  private synchronized void line(String text) {
    if (terminal) {
      out.print("\r\u001b[K");
    }
    out.println(text);
    if (terminal) {
      out.print(bar());
    }
    out.flush();
  }

  /** @return the progress line: done/total, rejected, cards per hour, ETA and per machine */
  public synchronized String bar() {
    long d = done.get();
    double hours = Duration.between(start, clock.now()).toNanos() / 3.6e12;
    long issued = perMachine.values().stream().mapToLong(Long::longValue).sum();
    double perHour = hours > 0 ? issued / hours : 0;
    StringBuilder sb = new StringBuilder();
    if (total > 0) {
      int width = 24;
      int filled = (int) Math.min(width, d * width / Math.max(1, total));
      sb.append('[').append("#".repeat(filled)).append("-".repeat(width - filled)).append("] ")
          .append(d).append('/').append(total);
    } else {
      sb.append(d).append(" finished");
    }
    sb.append(String.format(Locale.ROOT, " | issued %d rejected %d | %,.0f cards/h", issued, rejected.get(), perHour));
    if (total > 0 && perHour > 0 && d < total) {
      long etaSeconds = (long) ((total - d) / perHour * 3600);
      sb.append(String.format(Locale.ROOT, " | ETA %02d:%02d:%02d", etaSeconds / 3600, etaSeconds / 60 % 60, etaSeconds % 60));
    }
    perMachine.forEach((m, n) -> sb.append(" | ").append(m).append(' ').append(n));
    return sb.toString();
  }

  /** Ends the bar's line on a terminal. */
  public void finish() {
    if (terminal) {
      out.println();
      out.flush();
    }
  }
}
