package dev.perso.devices.virtual;

import dev.perso.core.DeviceException;
import dev.perso.core.DeviceFault;
import dev.perso.core.device.DeviceContext;
import dev.perso.core.device.DeviceStatus;
import dev.perso.core.line.LineClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * What every virtual device has: its id, the clock it takes time on, the world of cards, and its status
 * with the fault it stands in. An operator fault clears by itself once its fix time passed on the clock
 * (the simulated operator; a thread started on the clock sleeps that long and then wakes waiters, so a
 * virtual clock moves on even when the line only waits for the device). A station fault lasts until close.
 *
 * <p>Locking: the device's state is guarded by this object; clock calls other than {@code now()} are never
 * made while holding it (the clock's lock is taken first where both are needed).
 */
final class DeviceCore {
  final String id;
  final LineClock clock;
  final VirtualWorld world;
  final DeviceContext context;

  private DeviceFault fault;
  private String detail = "";
  private Instant until;            // null: until close
  private Runnable onRecover;
  private boolean closed;
  private final AtomicInteger inFlight = new AtomicInteger();
  // the gate: taken without the clock's lock when free; waiters register (under the clock's lock) so that
  // end() knows to signal them
  private final AtomicBoolean gateBusy = new AtomicBoolean();
  private final AtomicInteger gateWaiters = new AtomicInteger();
  private final BooleanSupplier gateFree = () -> !gateBusy.get();
  private final Runnable takeGate;
  private final Runnable signal;
  private final AtomicInteger sessions = new AtomicInteger();

  DeviceCore(String id, DeviceContext context, VirtualWorld world) {
    this.id = id;
    this.context = context;
    this.clock = context.clock();
    this.takeGate = () -> {
      gateWaiters.incrementAndGet();
      try {
        do {
          clock.await(gateFree);
        } while (!gateBusy.compareAndSet(false, true));
      } finally {
        gateWaiters.decrementAndGet();
      }
    };
    this.signal = clock::signalAll;
    this.world = world;
  }

  synchronized DeviceStatus status() {
    if (closed) {
      return DeviceStatus.offline("closed");
    }
    recover();
    if (fault != null) {
      return DeviceStatus.faulted(fault, detail);
    }
    return inFlight.get() > 0 || gateBusy.get() || sessions.get() > 0 ? DeviceStatus.busy() : DeviceStatus.ready();
  }

  /** Applies an operator's fix whose time has come. Call holding this. */
  private void recover() {
    if (fault != null && until != null && !clock.now().isBefore(until)) {
      fault = null;
      detail = "";
      until = null;
      Runnable r = onRecover;
      onRecover = null;
      if (r != null) {
        r.run();
      }
    }
  }

  /** Throws if the device is closed or stands in a fault. */
  synchronized void checkUsable() {
    if (closed) {
      throw new DeviceException(id, DeviceFault.COMMUNICATION_ERROR, "device is closed");
    }
    recover();
    if (fault != null) {
      throw new DeviceException(id, fault, detail + (until == null ? "; close and reopen the device" : "; waiting for the operator"));
    }
  }

  /** A fault the device will stand in; see {@link #fail(Fault)}. */
  record Fault(DeviceFault fault, String detail, long fixMs, Runnable onRecover) {}

  /**
   * Puts the device in a fault and returns the exception to throw. {@code fixMs < 0} means until close.
   * Must not be called holding this (it may start the operator thread on the clock).
   */
  DeviceException fail(Fault f) {
    synchronized (this) {
      fault = f.fault();
      detail = f.detail();
      until = f.fixMs() < 0 ? null : clock.now().plusMillis(f.fixMs());
      onRecover = f.onRecover();
    }
    if (f.fixMs() > 0) {
      Duration d = Duration.ofMillis(f.fixMs());
      clock.start(id + " operator", () -> {
        clock.sleep(d);
        clock.locked(clock::signalAll);
      });
    }
    return new DeviceException(id, f.fault(), f.detail());
  }

  /** Takes an operation's time on the clock, counted as in flight (BUSY). */
  void take(long ms) {
    inFlight.incrementAndGet();
    try {
      clock.sleep(Duration.ofMillis(ms));
    } finally {
      inFlight.decrementAndGet();
    }
  }

  /** Waits (on the clock) until no other card operation runs at this device, then holds it. */
  void begin() {
    if (!gateBusy.compareAndSet(false, true)) {
      clock.locked(takeGate);
    }
  }

  /** Releases what {@link #begin()} took. */
  void end() {
    gateBusy.set(false);
    if (gateWaiters.get() > 0) {   // a waiter registers before it checks the gate, so it is never missed
      clock.locked(signal);
    }
  }

  void sessionOpened() {
    sessions.incrementAndGet();
  }

  void sessionClosed() {
    sessions.decrementAndGet();
  }

  /** @return true the first time */
  synchronized boolean close() {
    boolean first = !closed;
    closed = true;
    fault = null;
    until = null;
    onRecover = null;
    return first;
  }
}
