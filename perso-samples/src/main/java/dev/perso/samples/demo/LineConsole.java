package dev.perso.samples.demo;

import dev.perso.core.DeviceException;
import dev.perso.core.PersoException;
import dev.perso.core.device.CardTag;
import dev.perso.core.event.PersoEvents;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The demo's view of the line, from the events the engine fires: one line per issued, rejected or retried
 * card, station offline, machine paused or resumed; and, for the table of cards in hand afterwards, the reason
 * each rejected card was given when the line rejected it ({@link #cardRejected}).
 *
 * <pre>{@code
 * LineConsole events = new LineConsole(say);
 * line.run(job, events);
 * events.rejection(card.tag());   // "mx-1-mag: READ_BACK_MISMATCH (track 1)"
 * }</pre>
 */
public final class LineConsole extends PersoEvents {
  private final PrintWriter say;
  private final Map<CardTag, String> rejections = new ConcurrentHashMap<>();

  /** @param say where the lines go */
  public LineConsole(PrintWriter say) {
    this.say = say;
  }

  /**
   * @param card a physical card
   * @return the reason of its {@code cardRejected} event, or empty if the line did not reject it
   */
  public Optional<String> rejection(CardTag card) {
    return Optional.ofNullable(rejections.get(card));
  }

  @Override
  public void cardDone(CardTag card, String machine) {
    line("   " + card + " issued by " + machine);
  }

  @Override
  public void cardRejected(CardTag card, String station, PersoException reason, boolean remade) {
    rejections.put(card, reason.getMessage());
    line("   " + card + " REJECTED at " + station + ": " + reason.getMessage()
        + (remade ? " -> record remade on a new card" : ""));
  }

  @Override
  public void cardRetried(CardTag card, String station, PersoException reason) {
    line("   " + card + " moves from " + station + " to another chip station (nothing written yet)");
  }

  @Override
  public void cardPurged(CardTag card, String machine) {
    line("   " + card + " found inside " + machine + " after a restart: purged to the reject bin");
  }

  @Override
  public void stationOffline(String station, DeviceException reason) {
    line("   " + station + " OFFLINE: " + reason.getMessage());
  }

  @Override
  public void machinePaused(String machine, DeviceException reason) {
    line("   " + machine + " paused: " + reason.getMessage());
  }

  @Override
  public void machineResumed(String machine) {
    line("   " + machine + " resumed");
  }

  private void line(String text) {
    synchronized (say) {
      say.println(text);
      say.flush();
    }
  }
}
