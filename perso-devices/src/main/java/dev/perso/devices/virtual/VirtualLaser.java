package dev.perso.devices.virtual;

import dev.perso.core.device.CardTag;
import dev.perso.core.device.LaserEngraver;
import dev.perso.core.surface.LaserJob;
import java.util.Objects;

/** {@code virtual:laser}: see {@link VirtualDeviceProvider}. */
final class VirtualLaser extends VirtualDevice implements LaserEngraver {
  private final SurfaceLogic surface;

  VirtualLaser(DeviceCore core, Params p) {
    super(core);
    this.surface = SurfaceLogic.of(core, "engrave", p, false);
  }

  @Override
  public void engrave(CardTag card, LaserJob job) {
    Objects.requireNonNull(job, "job");
    surface.run(card, b -> b.lasers.add(job));
  }
}
