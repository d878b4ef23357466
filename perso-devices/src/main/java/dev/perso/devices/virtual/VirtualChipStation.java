package dev.perso.devices.virtual;

import dev.perso.core.device.CardTag;
import dev.perso.core.device.ChipSession;
import dev.perso.core.device.ChipStation;

/** {@code virtual:chip}: see {@link VirtualDeviceProvider}. */
final class VirtualChipStation extends VirtualDevice implements ChipStation {
  private final ChipLogic chip;

  VirtualChipStation(DeviceCore core, Params p) {
    super(core);
    this.chip = new ChipLogic(core, p, "ms");
  }

  @Override
  public ChipSession power(CardTag card) {
    return chip.power(card);
  }
}
