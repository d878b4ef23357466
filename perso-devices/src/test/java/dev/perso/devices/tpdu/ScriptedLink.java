package dev.perso.devices.tpdu;

import dev.perso.core.Bytes;
import dev.perso.core.Hex;
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
  private record Step(boolean fromEngine, byte[] bytes, String text) {}

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
      boolean toCard = t.startsWith(">");
      byte[] b = Hex.decode(t.substring(1).replace(" ", ""));
      l.steps.add(new Step(toCard == engineIsHost, b, t));
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

  private void advance() {
    if (++pos == steps.get(step).bytes.length) {
      step++;
      pos = 0;
    }
  }

  @Override
  public synchronized int read(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (failure == null && (step >= steps.size() || steps.get(step).fromEngine)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return -1;
      }
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -1;
      }
    }
    if (failure != null) {
      return -1;
    }
    int b = steps.get(step).bytes[pos] & 0xFF;
    advance();
    notifyAll();
    return b;
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

  static String hex(Bytes b) {
    return b.toHex();
  }
}
