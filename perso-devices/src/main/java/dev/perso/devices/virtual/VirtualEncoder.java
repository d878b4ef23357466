package dev.perso.devices.virtual;

import dev.perso.core.device.CardTag;
import dev.perso.core.device.MagStripeEncoder;
import dev.perso.core.device.StripeData;
import java.util.Set;

/** {@code virtual:magstripe}: see {@link VirtualDeviceProvider}. */
final class VirtualEncoder extends VirtualDevice implements MagStripeEncoder {
  private final StripeLogic stripe;

  VirtualEncoder(DeviceCore core, Params p) {
    super(core);
    this.stripe = new StripeLogic(core, p, "ms");
  }

  @Override
  public void write(CardTag card, StripeData data) {
    stripe.write(card, data);
  }

  @Override
  public StripeData read(CardTag card) {
    return stripe.read(card);
  }

  @Override
  public void erase(CardTag card, Set<Integer> tracks) {
    stripe.erase(card, tracks);
  }
}
