package dev.perso.devices.tpdu;

import dev.perso.core.internal.Hex;
import dev.perso.devices.link.ByteLink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A ByteLink that plays one side of a recorded byte dialogue and checks, byte by byte, what the
 * engine under test writes. Lines start with "&gt;" (interface device to card) or "&lt;" (card to
 * interface device), as in the notes' traces.
 */
final class ScriptedLink implements ByteLink {
  private record Step(boolean fromEngine, byte[] bytes, String text, long delayMs) {}

  private final List<Step> steps = new ArrayList<>();
  private int step;
  private int pos;
  private String failure;

  private ScriptedLink() {}

  /** The engine under test is the interface device: it must write the "&gt;" lines. */
  static ScriptedLink host(String... lines) {
    return build(true, lines);
  }

  /** The engine under test is the card: it must write the "&lt;" lines. */
  static ScriptedLink card(String... lines) {
    return build(false, lines);
  }

  private static ScriptedLink build(boolean engineIsHost, String... lines) {
    ScriptedLink l = new ScriptedLink();
    for (String line : lines) {
      String t = line.trim();
      if (t.startsWith("~")) {
        l.steps.add(new Step(false, new byte[0], t, Long.parseLong(t.substring(1).trim())));
        continue;
      }
      boolean toCard = t.startsWith(">");
      byte[] b = Hex.decode(t.substring(1).replace(" ", ""));
      l.steps.add(new Step(toCard == engineIsHost, b, t, 0));
    }
    return l;
  }

  @Override
  public synchronized void write(byte[] data, int offset, int length) {
    for (int i = 0; i < length; i++) {
      if (failure != null) {
        return;
      }
      if (step >= steps.size() || !steps.get(step).fromEngine) {
        failure = "unexpected write of " + Hex.encode(data, offset + i, length - i) + " at step " + step
            + (step < steps.size() ? " (script waits to send " + steps.get(step).text + ")" : " (script done)");
        notifyAll();
        return;
      }
      Step s = steps.get(step);
      if (s.bytes[pos] != data[offset + i]) {
        failure = "step " + step + " byte " + pos + ": expected " + s.text + " but engine wrote "
            + Hex.encode(data, offset, length);
        notifyAll();
        return;
      }
      advance();
    }
    notifyAll();
  }

  private long delayStarted;

  private void advance() {
    if (++pos == steps.get(step).bytes.length) {
      step++;
      pos = 0;
      delayStarted = System.nanoTime();
    }
  }

  /** Passes a delay step once its time is up; @return false while it is still running. */
  private boolean delayOver() {
    Step s = steps.get(step);
    if (s.delayMs == 0) {
      return true;
    }
    if (System.nanoTime() - delayStarted >= s.delayMs * 1_000_000) {
      step++;
      pos = 0;
      delayStarted = System.nanoTime();
      return true;
    }
    return false;
  }

  @Override
  public synchronized int read(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (failure != null) {
        return -1;
      }
      long now = System.nanoTime();
      long waitNanos = deadline - now;
      if (step < steps.size() && !steps.get(step).fromEngine) {
        if (delayOver()) {
          if (step < steps.size() && !steps.get(step).fromEngine) {
            int b = steps.get(step).bytes[pos] & 0xFF;
            advance();
            notifyAll();
            return b;
          }
          continue;
        }
        waitNanos = Math.min(waitNanos, delayStarted + steps.get(step).delayMs * 1_000_000 - now);
      }
      if (deadline - now <= 0) {
        return -1;
      }
      try {
        wait(Math.max(1, waitNanos / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -1;
      }
    }
  }

  @Override
  public void discardInput() {}

  @Override
  public String name() {
    return "scripted";
  }

  @Override
  public void close() {}

  /** @return null when every step was played and matched, else what went wrong */
  synchronized String problem() {
    if (failure != null) {
      return failure;
    }
    return step == steps.size() ? null : "script stopped at step " + step + ": " + steps.get(step).text;
  }

  /** Waits until the script is played or fails. */
  synchronized void awaitDone(Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (failure == null && step < steps.size()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }
}
