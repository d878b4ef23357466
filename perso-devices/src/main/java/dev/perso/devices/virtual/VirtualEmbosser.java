package dev.perso.devices.virtual;

import dev.perso.core.device.CardTag;
import dev.perso.core.device.Embosser;
import dev.perso.core.surface.EmbossLine;
import java.util.List;

/** {@code virtual:embosser}: see {@link VirtualDeviceProvider}. */
final class VirtualEmbosser extends VirtualDevice implements Embosser {
  private final SurfaceLogic surface;

  VirtualEmbosser(DeviceCore core, Params p) {
    super(core);
    this.surface = SurfaceLogic.of(core, "emboss", p, true);
  }

  @Override
  public void emboss(CardTag card, List<EmbossLine> lines) {
    List<EmbossLine> copy = List.copyOf(lines);
    surface.run(card, b -> b.emboss.addAll(copy));
  }
}
