package dev.perso.core.line;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.function.BooleanSupplier;

/**
 * The wall clock. Each waiter waits on its own {@link Condition}; {@link #signalAll()} evaluates the waiting
 * conditions and signals only the threads whose condition holds, so a change wakes who can proceed, not
 * every waiting thread of every line.
 */
final class SystemLineClock extends LineClock {
  static final SystemLineClock INSTANCE = new SystemLineClock();
  /** A periodic re-check also covers conditions on state changed without a signal (a device's status). */
  private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  // guarded by lock
  private final ArrayList<Waiter> waiters = new ArrayList<>();
  private final Set<Thread> done = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  private static final class Waiter {
    final BooleanSupplier condition;
    final Condition wake;
    boolean signalled;

    Waiter(BooleanSupplier condition, Condition wake) {
      this.condition = condition;
      this.wake = wake;
    }
  }

  private SystemLineClock() {}

  @Override
  public Instant now() {
    return Instant.now();
  }

  @Override
  public void sleep(Duration d) {
    if (d.isNegative() || d.isZero()) {
      return;
    }
    try {
      Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LineStalledException("interrupted while sleeping");
    }
  }

  @Override
  public boolean isVirtual() {
    return false;
  }

  @Override
  public void await(BooleanSupplier condition) {
    requireLocked();
    if (condition.getAsBoolean()) {
      return;
    }
    Waiter w = new Waiter(condition, lock.newCondition());
    waiters.add(w);
    try {
      do {
        w.signalled = false;
        w.wake.awaitNanos(RECHECK_NANOS);
      } while (!condition.getAsBoolean());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LineStalledException("interrupted while waiting");
    } finally {
      waiters.remove(w);
    }
  }

  @Override
  public boolean await(BooleanSupplier condition, Duration timeout) {
    requireLocked();
    if (condition.getAsBoolean()) {
      return true;
    }
    long end = System.nanoTime() + timeout.toNanos();
    Waiter w = new Waiter(condition, lock.newCondition());
    waiters.add(w);
    try {
      do {
        long left = end - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        w.signalled = false;
        w.wake.awaitNanos(Math.min(RECHECK_NANOS, left));
      } while (!condition.getAsBoolean());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LineStalledException("interrupted while waiting");
    } finally {
      waiters.remove(w);
    }
  }

  @Override
  public void signalAll() {
    requireLocked();
    for (int i = 0, n = waiters.size(); i < n; i++) {
      Waiter w = waiters.get(i);
      if (!w.signalled && holds(w.condition)) {
        w.signalled = true;
        w.wake.signal();
      }
    }
  }

  @Override
  public Thread start(String name, Runnable body) {
    Thread t = new Thread(() -> {
      try {
        body.run();
      } finally {
        done.add(Thread.currentThread());
        locked(this::signalAll);
      }
    }, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  @Override
  void enter() {}

  @Override
  void leave() {}

  @Override
  boolean isDone(Thread thread) {
    return done.contains(thread);
  }
}
