package dev.perso.samples.demo;

import dev.perso.core.Bytes;
import dev.perso.core.DeviceException;
import dev.perso.core.DeviceFault;
import dev.perso.core.PersoException;
import dev.perso.core.card.VirtualCard;
import dev.perso.core.channel.CardChannel;
import dev.perso.core.device.CardTag;
import dev.perso.core.device.ChipSession;
import dev.perso.core.device.ChipStation;
import dev.perso.core.device.DeviceContext;
import dev.perso.core.device.DeviceStatus;
import dev.perso.devices.virtual.PhysicalCard;
import dev.perso.devices.virtual.VirtualWorld;
import java.time.Duration;
import java.util.function.Function;

/**
 * A chip station for the demo's {@code --pcsc} mode: it takes the chip of the virtual card at its
 * position and reaches it through a connector (the vpcd bridge and pcscd), as a contact station reaches
 * a real card through its reader.
 */
final class ConnectorChipStation implements ChipStation {
  private final String id;
  private final DeviceContext context;
  private final Function<VirtualCard, CardChannel> connector;
  private final Duration time;

  ConnectorChipStation(String id, DeviceContext context, Function<VirtualCard, CardChannel> connector, Duration time) {
    this.id = id;
    this.context = context;
    this.connector = connector;
    this.time = time;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public DeviceStatus status() {
    return DeviceStatus.ready();
  }

  @Override
  public ChipSession power(CardTag card) {
    VirtualCard chip = VirtualWorld.of(context).card(card).flatMap(PhysicalCard::chip)
        .orElseThrow(() -> new DeviceException(id, DeviceFault.CHIP_CONTACT_ERROR, card + " has no chip here"));
    CardChannel channel;
    try {
      channel = connector.apply(chip);
    } catch (PersoException e) {
      throw new DeviceException(id, DeviceFault.CHIP_CONTACT_ERROR, e.getMessage(), e);
    }
    context.clock().sleep(time);
    return new ChipSession() {
      @Override
      public Bytes atr() {
        return chip.atr();
      }

      @Override
      public CardChannel channel() {
        return channel;
      }

      @Override
      public void close() {
        channel.close();
      }
    };
  }

  @Override
  public void close() {}
}
