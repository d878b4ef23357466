package dev.perso.core.line;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * The time a line runs on. {@link #system()} is the wall clock; {@link #virtual()} is a discrete-event
 * clock that jumps to the next wake-up as soon as every thread of the line is waiting, so a 64-station
 * line with second-long operations runs in seconds, with the same code.
 *
 * <p>Devices take their operation time with {@link #sleep}. Code that waits for another thread of the
 * line (the engine, a device simulating an operator) waits with {@link #await} under {@link #monitor()}
 * and wakes others with {@link #signalAll()}, and starts threads with {@link #start}, so that a virtual
 * clock knows who is running.
 *
 * <pre>{@code
 * LineClock clock = LineClock.virtual();
 * Thread t = clock.start("station-1", () -> clock.sleep(Duration.ofSeconds(6)));
 * clock.join(t);
 * clock.now();   // 6 s after the start, in a few microseconds of real time
 * }</pre>
 */
public abstract class LineClock {

  LineClock() {}

  /** @return the wall clock */
  public static LineClock system() {
    return SystemLineClock.INSTANCE;
  }

  /** @return a new virtual clock starting at {@code 2026-01-01T00:00:00Z} */
  public static LineClock virtual() {
    return new VirtualLineClock(Instant.parse("2026-01-01T00:00:00Z"));
  }

  /** @return the current time */
  public abstract Instant now();

  /**
   * Takes time: the calling thread waits for {@code d}.
   *
   * @param d how long; zero or negative returns at once
   */
  public abstract void sleep(Duration d);

  /** @return true if this clock is virtual */
  public abstract boolean isVirtual();

  /** @return the object that guards state waited on with {@link #await}; hold it (synchronized) to change that state */
  public abstract Object monitor();

  /**
   * Waits until {@code condition} holds. Call while holding {@link #monitor()}; the condition is evaluated
   * under it.
   *
   * @param condition the condition
   * @throws LineStalledException on a virtual clock when every thread waits and none sleeps
   */
  public abstract void await(BooleanSupplier condition);

  /**
   * Waits until {@code condition} holds or {@code timeout} passes. Call while holding {@link #monitor()}.
   *
   * @param condition the condition
   * @param timeout the longest wait
   * @return whether the condition holds
   */
  public abstract boolean await(BooleanSupplier condition, Duration timeout);

  /** Re-evaluates the waiters' conditions after a change. Call while holding {@link #monitor()}. */
  public abstract void signalAll();

  /**
   * Starts a thread that takes part in the line: a virtual clock counts it as running until it sleeps,
   * awaits or ends.
   *
   * @param name the thread's name
   * @param body what it runs
   * @return the started thread
   */
  public abstract Thread start(String name, Runnable body);

  /**
   * Waits for a thread started with {@link #start} to end.
   *
   * @param thread the thread
   */
  public void join(Thread thread) {
    synchronized (monitor()) {
      await(() -> !thread.isAlive() || isDone(thread));
    }
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LineStalledException("interrupted while waiting for " + thread.getName());
    }
  }

  abstract boolean isDone(Thread thread);

  /** The calling thread takes part in the line (an engine orchestrating it) until {@link #leave()}. */
  abstract void enter();

  /** The calling thread no longer takes part in the line. */
  abstract void leave();
}
