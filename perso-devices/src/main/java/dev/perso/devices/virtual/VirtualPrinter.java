package dev.perso.devices.virtual;

import dev.perso.core.device.CardPrinter;
import dev.perso.core.device.CardTag;
import dev.perso.core.surface.PrintJob;
import java.util.Objects;

/** {@code virtual:printer}: see {@link VirtualDeviceProvider}. */
final class VirtualPrinter extends VirtualDevice implements CardPrinter {
  private final SurfaceLogic surface;

  VirtualPrinter(DeviceCore core, Params p) {
    super(core);
    this.surface = SurfaceLogic.of(core, "print", p, true);
  }

  @Override
  public void print(CardTag card, PrintJob job) {
    Objects.requireNonNull(job, "job");
    surface.run(card, b -> b.prints.add(job));
  }
}
