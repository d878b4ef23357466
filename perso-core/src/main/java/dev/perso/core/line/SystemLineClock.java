package dev.perso.core.line;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.BooleanSupplier;

/** The wall clock; waits are plain monitor waits. */
final class SystemLineClock extends LineClock {
  static final SystemLineClock INSTANCE = new SystemLineClock();

  private final Object monitor = new Object();
  private final Set<Thread> done = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

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
  public Object monitor() {
    return monitor;
  }

  @Override
  public void await(BooleanSupplier condition) {
    try {
      while (!condition.getAsBoolean()) {
        monitor.wait(100);   // a periodic re-check also covers conditions on device status changed elsewhere
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LineStalledException("interrupted while waiting");
    }
  }

  @Override
  public boolean await(BooleanSupplier condition, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    try {
      while (!condition.getAsBoolean()) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        monitor.wait(Math.max(1, Math.min(100, left / 1_000_000)));
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LineStalledException("interrupted while waiting");
    }
  }

  @Override
  public void signalAll() {
    monitor.notifyAll();
  }

  @Override
  public Thread start(String name, Runnable body) {
    Thread t = new Thread(() -> {
      try {
        body.run();
      } finally {
        done.add(Thread.currentThread());
        synchronized (monitor) {
          monitor.notifyAll();
        }
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
