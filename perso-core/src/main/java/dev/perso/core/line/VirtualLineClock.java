package dev.perso.core.line;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.BooleanSupplier;

/**
 * A discrete-event clock: time stands still while any participating thread runs, and jumps to the
 * earliest wake-up when every participant sleeps or waits. A wait that nothing can end is reported as a
 * {@link LineStalledException} instead of hanging.
 */
final class VirtualLineClock extends LineClock {
  private final Object monitor = new Object();
  private final Instant origin;
  private final ThreadLocal<Boolean> participant = ThreadLocal.withInitial(() -> false);
  private final PriorityQueue<Waiter> sleepers = new PriorityQueue<>();
  private final List<Waiter> conditionWaiters = new ArrayList<>();
  private final Set<Thread> done = Collections.newSetFromMap(new WeakHashMap<>());
  private volatile long nowNanos;
  private int running;
  private long sequence;

  VirtualLineClock(Instant origin) {
    this.origin = origin;
  }

  private final class Waiter implements Comparable<Waiter> {
    final BooleanSupplier condition;
    final long wakeAt;
    final long seq = sequence++;
    final boolean counted;
    boolean woken;
    boolean stalled;

    Waiter(BooleanSupplier condition, long wakeAt, boolean counted) {
      this.condition = condition;
      this.wakeAt = wakeAt;
      this.counted = counted;
    }

    @Override
    public int compareTo(Waiter o) {
      int c = Long.compare(wakeAt, o.wakeAt);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  @Override
  public Instant now() {
    return origin.plusNanos(nowNanos);
  }

  @Override
  public boolean isVirtual() {
    return true;
  }

  @Override
  public Object monitor() {
    return monitor;
  }

  @Override
  public void sleep(Duration d) {
    if (d.isNegative() || d.isZero()) {
      return;
    }
    synchronized (monitor) {
      boolean temporary = !participant.get();
      if (temporary) {
        participant.set(true);
        running++;
      }
      try {
        Waiter w = new Waiter(null, nowNanos + d.toNanos(), true);
        sleepers.add(w);
        park(w);
      } finally {
        if (temporary) {
          participant.set(false);
          running--;
          advanceIfIdle();
        }
      }
    }
  }

  @Override
  public void await(BooleanSupplier condition) {
    // A waiter is woken when its condition held; another thread may have changed it again before this
    // one got the monitor back, so check again, as with any monitor wait.
    while (!condition.getAsBoolean()) {
      Waiter w = new Waiter(condition, Long.MAX_VALUE, participant.get());
      conditionWaiters.add(w);
      park(w);
      if (w.stalled) {
        throw new LineStalledException("line stalled at " + now() + ": every thread waits and none can move");
      }
    }
  }

  @Override
  public boolean await(BooleanSupplier condition, Duration timeout) {
    long deadline = nowNanos + Math.max(0, timeout.toNanos());
    while (!condition.getAsBoolean()) {
      if (nowNanos >= deadline) {
        return false;
      }
      Waiter w = new Waiter(condition, deadline, participant.get());
      conditionWaiters.add(w);
      sleepers.add(w);
      park(w);
      if (w.stalled) {
        throw new LineStalledException("line stalled at " + now() + ": every thread waits and none can move");
      }
    }
    return true;
  }

  /** Parks the current thread (holding the monitor) until {@code w} is woken. */
  private void park(Waiter w) {
    if (w.counted) {
      running--;
    }
    advanceIfIdle();
    boolean interrupted = false;
    while (!w.woken) {
      try {
        monitor.wait();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void wake(Waiter w) {
    if (w.woken) {
      return;
    }
    w.woken = true;
    if (w.counted) {
      running++;
    }
    sleepers.remove(w);
    conditionWaiters.remove(w);
  }

  @Override
  public void signalAll() {
    boolean any = false;
    for (Iterator<Waiter> it = new ArrayList<>(conditionWaiters).iterator(); it.hasNext(); ) {
      Waiter w = it.next();
      if (!w.woken && w.condition.getAsBoolean()) {
        wake(w);
        any = true;
      }
    }
    if (any) {
      monitor.notifyAll();
    }
    advanceIfIdle();
  }

  /** When no participant runs: wake satisfied waiters, else move time to the next wake-up, else report a stall. */
  private void advanceIfIdle() {
    while (running == 0) {
      boolean any = false;
      for (Waiter w : new ArrayList<>(conditionWaiters)) {
        if (w.condition.getAsBoolean()) {
          wake(w);
          any = true;
        }
      }
      if (any) {
        monitor.notifyAll();
        continue;
      }
      Waiter next = sleepers.peek();
      if (next == null) {
        // Line threads all wait and none sleeps: nothing they do can end a wait. Threads outside the line
        // (a caller joining the line) may still change state, so only line threads are told.
        boolean told = false;
        for (Waiter w : new ArrayList<>(conditionWaiters)) {
          if (w.counted) {
            w.stalled = true;
            wake(w);
            told = true;
          }
        }
        if (told) {
          monitor.notifyAll();
          continue;
        }
        return;
      }
      nowNanos = Math.max(nowNanos, next.wakeAt);
      while (!sleepers.isEmpty() && sleepers.peek().wakeAt <= nowNanos) {
        wake(sleepers.peek());
      }
      monitor.notifyAll();
    }
  }

  @Override
  public Thread start(String name, Runnable body) {
    synchronized (monitor) {
      running++;
    }
    Thread t = new Thread(() -> {
      participant.set(true);
      try {
        body.run();
      } finally {
        synchronized (monitor) {
          running--;
          done.add(Thread.currentThread());
          signalAll();
          advanceIfIdle();
        }
      }
    }, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  @Override
  void enter() {
    synchronized (monitor) {
      if (!participant.get()) {
        participant.set(true);
        running++;
      }
    }
  }

  @Override
  void leave() {
    synchronized (monitor) {
      if (participant.get()) {
        participant.set(false);
        running--;
        advanceIfIdle();
      }
    }
  }

  @Override
  boolean isDone(Thread thread) {
    return done.contains(thread);
  }
}
