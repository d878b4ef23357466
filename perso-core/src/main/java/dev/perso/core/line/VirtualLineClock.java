package dev.perso.core.line;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.locks.Condition;
import java.util.function.BooleanSupplier;

/**
 * A discrete-event clock: time stands still while any participating thread runs, and jumps to the
 * earliest wake-up when every participant sleeps or waits. A wait that nothing can end is reported as a
 * {@link LineStalledException} instead of hanging.
 *
 * <p>Every parked thread waits on its own {@link Condition} and is signalled only when it is woken (its
 * condition held, its time came, or the line stalled), never on every change.
 */
final class VirtualLineClock extends LineClock {
  private final Instant origin;
  private final ThreadLocal<Boolean> participant = ThreadLocal.withInitial(() -> false);
  private final PriorityQueue<Waiter> sleepers = new PriorityQueue<>();
  private final ArrayList<Waiter> conditionWaiters = new ArrayList<>();
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
    final Condition wake = lock.newCondition();
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
  public void sleep(Duration d) {
    if (d.isNegative() || d.isZero()) {
      return;
    }
    lock.lock();
    try {
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
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void await(BooleanSupplier condition) {
    requireLocked();
    // A waiter is woken when its condition held; another thread may have changed it again before this
    // one got the lock back, so check again, as with any condition wait.
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
    requireLocked();
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

  /** Parks the current thread (holding the lock) until {@code w} is woken. */
  private void park(Waiter w) {
    if (w.counted) {
      running--;
    }
    advanceIfIdle();
    boolean interrupted = false;
    while (!w.woken) {
      try {
        w.wake.await();
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
    if (w.wakeAt != Long.MAX_VALUE) {
      sleepers.remove(w);
    }
    if (w.condition != null) {
      conditionWaiters.remove(w);
    }
    w.wake.signal();
  }

  @Override
  public void signalAll() {
    requireLocked();
    wakeSatisfied();
    advanceIfIdle();
  }

  /** Wakes the condition waiters whose condition holds. @return whether any woke */
  private boolean wakeSatisfied() {
    boolean any = false;
    for (int i = 0; i < conditionWaiters.size(); ) {
      Waiter w = conditionWaiters.get(i);
      if (holds(w.condition)) {
        wake(w);   // removes it from the list: the next one moved to i
        any = true;
      } else {
        i++;
      }
    }
    return any;
  }

  /** When no participant runs: wake satisfied waiters, else move time to the next wake-up, else report a stall. */
  private void advanceIfIdle() {
    while (running == 0) {
      if (wakeSatisfied()) {
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
          continue;
        }
        return;
      }
      nowNanos = Math.max(nowNanos, next.wakeAt);
      while (!sleepers.isEmpty() && sleepers.peek().wakeAt <= nowNanos) {
        wake(sleepers.peek());
      }
    }
  }

  @Override
  public Thread start(String name, Runnable body) {
    locked(() -> {
      running++;
    });
    Thread t = new Thread(() -> {
      participant.set(true);
      try {
        body.run();
      } finally {
        locked(() -> {
          running--;
          done.add(Thread.currentThread());
          signalAll();
        });
      }
    }, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  @Override
  void enter() {
    locked(() -> {
      if (!participant.get()) {
        participant.set(true);
        running++;
      }
    });
  }

  @Override
  void leave() {
    locked(() -> {
      if (participant.get()) {
        participant.set(false);
        running--;
        advanceIfIdle();
      }
    });
  }

  @Override
  boolean isDone(Thread thread) {
    return locked(() -> done.contains(thread));
  }
}
