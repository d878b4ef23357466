package dev.perso.devices.virtual;

import dev.perso.core.device.CardTag;
import dev.perso.core.device.Indenter;
import dev.perso.core.surface.IndentLine;
import java.util.List;

/** {@code virtual:indenter}: see {@link VirtualDeviceProvider}. */
final class VirtualIndenter extends VirtualDevice implements Indenter {
  private final SurfaceLogic surface;

  VirtualIndenter(DeviceCore core, Params p) {
    super(core);
    this.surface = SurfaceLogic.of(core, "indent", p, true);
  }

  @Override
  public void indent(CardTag card, List<IndentLine> lines) {
    List<IndentLine> copy = List.copyOf(lines);
    surface.run(card, b -> b.indent.addAll(copy));
  }
}
