package dev.perso.devices.serial;

import dev.perso.core.Bytes;
import dev.perso.core.DeviceException;
import dev.perso.core.DeviceFault;
import dev.perso.core.PersoException;
import dev.perso.core.channel.CardChannel;
import dev.perso.core.device.CardTag;
import dev.perso.core.device.ChipSession;
import dev.perso.core.device.ChipStation;
import dev.perso.core.device.DeviceStatus;
import dev.perso.devices.link.ByteLink;
import dev.perso.devices.tpdu.T1Protocol;
import java.util.Objects;
import java.util.function.Function;

/**
 * {@code serial-t1:<port>}: a chip station whose card is at the other end of a serial line speaking T=1;
 * see {@link SerialT1DeviceProvider}.
 */
final class SerialT1ChipStation implements ChipStation {
  private final String id;
  private final ByteLink link;
  private final Bytes atrBytes;
  private final Function<ByteLink, T1Protocol> protocol;
  private T1Protocol t1;
  private boolean inSession;
  private boolean closed;

  SerialT1ChipStation(String id, ByteLink link, Bytes atrBytes, Function<ByteLink, T1Protocol> protocol) {
    this.id = id;
    this.link = link;
    this.atrBytes = atrBytes;
    this.protocol = protocol;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public synchronized DeviceStatus status() {
    if (closed) {
      return DeviceStatus.offline("closed");
    }
    return inSession ? DeviceStatus.busy() : DeviceStatus.ready();
  }

  @Override
  public synchronized ChipSession power(CardTag card) {
    Objects.requireNonNull(card, "card");
    if (closed) {
      throw new DeviceException(id, DeviceFault.COMMUNICATION_ERROR, "device is closed");
    }
    if (t1 == null) {
      try {
        t1 = protocol.apply(link);
      } catch (PersoException e) {
        throw new DeviceException(id, DeviceFault.CHIP_CONTACT_ERROR, "no T=1 answer on " + link.name() + ": "
            + e.getMessage(), e);
      }
    }
    T1Protocol channel = t1;
    inSession = true;
    return new ChipSession() {
      private boolean ended;

      @Override
      public Bytes atr() {
        return atrBytes;
      }

      @Override
      public CardChannel channel() {
        return channel;
      }

      @Override
      public void close() {
        synchronized (SerialT1ChipStation.this) {
          if (!ended) {
            ended = true;
            inSession = false;
          }
        }
      }
    };
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      link.close();
    }
  }

  @Override
  public String toString() {
    return id;
  }
}
