package dev.perso.core.device;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A personalization device: a card transport, an encoder, a chip station, an embosser, a printer...
 * Each has an id, a {@link #status()}, throws {@link dev.perso.core.DeviceException} with a typed
 * {@link dev.perso.core.DeviceFault}, and is closed cleanly. A device plays one or more
 * {@link DeviceRole roles}: a desktop printer with an encoder is a transport, a printer and an encoder.
 *
 * <pre>{@code
 * try (Device d = Devices.open("virtual:embosser?ms=800")) {
 *   if (d.status().isReady() && d instanceof Embosser e) e.emboss(card, job);
 * }
 * }</pre>
 */
public interface Device extends AutoCloseable {

  /** @return the device's id: its address as opened, e.g. {@code virtual:chip#3} or {@code pcsc:ACS ACR39U*} */
  String id();

  /** @return the device's current status; never throws */
  DeviceStatus status();

  /** @return the roles this device plays, from the interfaces it implements */
  default Set<DeviceRole<?>> roles() {
    Set<DeviceRole<?>> out = new LinkedHashSet<>();
    for (DeviceRole<?> r : DeviceRole.builtIn()) {
      if (r.type().isInstance(this)) {
        out.add(r);
      }
    }
    return out;
  }

  /** Releases the device (port, reader, connection). Idempotent; never throws for a device already gone. */
  @Override
  void close();
}
