package dev.perso.devices.virtual;

import dev.perso.core.DeviceFault;
import dev.perso.core.device.CardTag;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The behaviour of an embosser, indenter, printer or laser engraver: take the time, record the job on the
 * card, and fail on cue: the cover opens at operation N (COVER_OPEN until {@code fixMs} passed), the
 * ribbon or foil runs out after N cards (RIBBON_OUT until {@code refillMs} passed, then N more cards).
 */
final class SurfaceLogic {
  private final DeviceCore core;
  private final String what;
  private final long ms;
  private final int ribbonOutAfter;
  private final long refillMs;
  private final Set<Long> coverOpenAt;
  private final long fixMs;
  private long operations;
  private int ribbonUsed;

  SurfaceLogic(DeviceCore core, String what, long ms, int ribbonOutAfter, long refillMs, Set<Long> coverOpenAt, long fixMs) {
    this.core = core;
    this.what = what;
    this.ms = ms;
    this.ribbonOutAfter = ribbonOutAfter;
    this.refillMs = refillMs;
    this.coverOpenAt = coverOpenAt;
    this.fixMs = fixMs;
  }

  /** The standard parameters of a standalone surface device (laser: no ribbon). */
  static SurfaceLogic of(DeviceCore core, String what, Params p, boolean ribbon) {
    long fix = p.ms("fixMs", 0);
    return new SurfaceLogic(core, what, p.ms("ms", 0), ribbon ? p.count("ribbonOutAfter", 0) : 0,
        ribbon ? p.ms("refillMs", fix) : 0, p.at("coverOpenAt"), fix);
  }

  void run(CardTag card, Consumer<Body> record) {
    core.checkUsable();
    core.begin();
    try {
      DeviceCore.Fault fault = null;
      synchronized (core) {
        long n = ++operations;
        if (coverOpenAt.contains(n)) {
          fault = new DeviceCore.Fault(DeviceFault.COVER_OPEN, "cover opened at " + what + " " + n, fixMs, null);
        } else if (ribbonOutAfter > 0 && ribbonUsed >= ribbonOutAfter) {
          fault = new DeviceCore.Fault(DeviceFault.RIBBON_OUT, "ribbon out after " + ribbonUsed + " cards", refillMs,
              () -> ribbonUsed = 0);
        }
      }
      if (fault != null) {
        throw core.fail(fault);
      }
      core.world.with(core.id, card, b -> b);
      core.take(ms);
      core.world.update(core.id, card, record);
      synchronized (core) {
        ribbonUsed++;
      }
    } finally {
      core.end();
    }
  }
}
