package dev.perso.core.line;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The time a line runs on. {@link #system()} is the wall clock; {@link #virtual()} is a discrete-event
 * clock that jumps to the next wake-up as soon as every thread of the line is waiting, so a 64-station
 * line with second-long operations runs in seconds, with the same code.
 *
 * <p>Devices take their operation time with {@link #sleep}. Code that waits for another thread of the
 * line (the engine, a device simulating an operator) changes and waits for shared state inside
 * {@link #locked(Runnable)}: it waits with {@link #await} and, after each change another thread may be
 * waiting for, calls {@link #signalAll()}. A signal re-evaluates the waiting conditions and wakes only
 * the threads whose condition now holds. Threads of the line are started with {@link #start}, so that a
 * virtual clock knows who is running.
 *
 * <pre>{@code
 * LineClock clock = LineClock.virtual();
 * int[] parts = {0};
 * Thread t = clock.start("station-1", () -> {
 *   clock.sleep(Duration.ofSeconds(6));
 *   clock.locked(() -> {
 *     parts[0]++;
 *     clock.signalAll();
 *   });
 * });
 * clock.locked(() -> clock.await(() -> parts[0] == 1));
 * clock.join(t);
 * clock.now();   // 6 s after the start, in a few microseconds of real time
 * }</pre>
 */
public abstract class LineClock {
  /** Guards the state waited on with {@link #await}, and the clock's own bookkeeping. */
  final ReentrantLock lock = new ReentrantLock();

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
   * Takes time: the calling thread waits for {@code d}. Call without holding the clock's lock.
   *
   * @param d how long; zero or negative returns at once
   */
  public abstract void sleep(Duration d);

  /** @return true if this clock is virtual */
  public abstract boolean isVirtual();

  /**
   * Runs {@code body} holding the clock's lock, which guards the state waited on with {@link #await}.
   * The lock is reentrant.
   *
   * @param body what to run; it may call {@link #await} and {@link #signalAll()}
   */
  public final void locked(Runnable body) {
    lock.lock();
    try {
      body.run();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Computes a value holding the clock's lock, as {@link #locked(Runnable)}.
   *
   * @param body what to compute
   * @param <T> the value's type
   * @return what {@code body} returned
   */
  public final <T> T locked(Supplier<T> body) {
    lock.lock();
    try {
      return body.get();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until {@code condition} holds. Call inside {@link #locked(Runnable)}; the lock is released while
   * waiting, and the condition is evaluated under it, by this thread or by one calling {@link #signalAll()}.
   *
   * @param condition the condition; it reads only state changed under the lock (or also signalled)
   * @throws LineStalledException on a virtual clock when every thread waits and none sleeps
   * @throws IllegalStateException if the caller does not hold the clock's lock
   */
  public abstract void await(BooleanSupplier condition);

  /**
   * Waits until {@code condition} holds or {@code timeout} passes. Call inside {@link #locked(Runnable)}.
   *
   * @param condition the condition
   * @param timeout the longest wait
   * @return whether the condition holds
   * @throws IllegalStateException if the caller does not hold the clock's lock
   */
  public abstract boolean await(BooleanSupplier condition, Duration timeout);

  /**
   * Re-evaluates the waiters' conditions after a change and wakes those whose condition holds. Call inside
   * {@link #locked(Runnable)}.
   *
   * @throws IllegalStateException if the caller does not hold the clock's lock
   */
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
    lock.lock();
    try {
      await(() -> !thread.isAlive() || isDone(thread));
    } finally {
      lock.unlock();
    }
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LineStalledException("interrupted while waiting for " + thread.getName());
    }
  }

  /** Throws unless the calling thread holds the lock. */
  final void requireLocked() {
    if (!lock.isHeldByCurrentThread()) {
      throw new IllegalStateException("await and signalAll are called inside LineClock.locked(...)");
    }
  }

  /**
   * Evaluates a waiter's condition for a signal: a condition that throws counts as holding, so that its
   * own thread wakes and meets the exception.
   */
  static boolean holds(BooleanSupplier condition) {
    try {
      return condition.getAsBoolean();
    } catch (RuntimeException e) {
      return true;
    }
  }

  abstract boolean isDone(Thread thread);

  /** The calling thread takes part in the line (an engine orchestrating it) until {@link #leave()}. */
  abstract void enter();

  /** The calling thread no longer takes part in the line. */
  abstract void leave();
}
