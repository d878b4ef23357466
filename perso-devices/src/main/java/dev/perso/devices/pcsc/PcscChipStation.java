package dev.perso.devices.pcsc;

import dev.perso.core.Bytes;
import dev.perso.core.DeviceException;
import dev.perso.core.DeviceFault;
import dev.perso.core.TransportException;
import dev.perso.core.channel.CardChannel;
import dev.perso.core.device.CardTag;
import dev.perso.core.device.ChipSession;
import dev.perso.core.device.ChipStation;
import dev.perso.core.device.DeviceStatus;
import java.util.Objects;

/** {@code pcsc:<reader glob>}: a chip station over the PC/SC reader the glob matches; see {@link PcscDeviceProvider}. */
final class PcscChipStation implements ChipStation {
  private final String id;
  private final String pattern;
  private final PcscProtocol protocol;
  private final Sharing sharing;
  private PcscCard open;
  private boolean closed;

  PcscChipStation(String id, String pattern, PcscProtocol protocol, Sharing sharing) {
    this.id = id;
    this.pattern = pattern;
    this.protocol = protocol;
    this.sharing = sharing;
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
    try {
      PcscReaders.system().find(pattern);
    } catch (RuntimeException e) {
      return DeviceStatus.offline(e.getMessage());
    }
    return open != null ? DeviceStatus.busy() : DeviceStatus.ready();
  }

  @Override
  public synchronized ChipSession power(CardTag card) {
    Objects.requireNonNull(card, "card");
    if (closed) {
      throw new DeviceException(id, DeviceFault.COMMUNICATION_ERROR, "device is closed");
    }
    if (open != null) {
      open.close();
      open = null;
    }
    String reader;
    PcscReaders readers;
    try {
      readers = PcscReaders.system();
      reader = readers.find(pattern);
    } catch (TransportException e) {
      throw new DeviceException(id, DeviceFault.COMMUNICATION_ERROR, e.getMessage(), e);
    }
    PcscCard c;
    try {
      c = readers.connect(reader, protocol, sharing);
    } catch (TransportException e) {
      throw new DeviceException(id, DeviceFault.CHIP_CONTACT_ERROR, "no card answers in '" + reader + "': "
          + e.getMessage(), e);
    }
    open = c;
    Bytes atr = c.atrBytes();
    return new ChipSession() {
      @Override
      public Bytes atr() {
        return atr;
      }

      @Override
      public CardChannel channel() {
        return c;
      }

      @Override
      public void close() {
        synchronized (PcscChipStation.this) {
          c.close();
          if (open == c) {
            open = null;
          }
        }
      }
    };
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (open != null) {
      open.close();
      open = null;
    }
  }

  @Override
  public String toString() {
    return id;
  }
}
