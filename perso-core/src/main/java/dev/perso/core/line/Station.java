package dev.perso.core.line;

import dev.perso.core.device.Device;
import dev.perso.core.device.DeviceRole;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A place in a machine where a card stops and devices work on it: one chip station of a conveyor's chip
 * module, the magnetic module, or a desktop printer's single position (which holds every device).
 *
 * <pre>{@code
 * Station s = machine.modules().get(1).stations().get(2);
 * s.id();                                   // "mx-1/chip-3"
 * s.device(DeviceRole.CHIP_STATION);        // the chip station's device
 * }</pre>
 */
public final class Station {
  private final String id;
  private final List<Device> devices;
  private final Set<DeviceRole<?>> roles;

  Station(String id, List<Device> devices) {
    this.id = Objects.requireNonNull(id, "id");
    this.devices = List.copyOf(devices);
    Set<DeviceRole<?>> r = new LinkedHashSet<>();
    devices.forEach(d -> r.addAll(d.roles()));
    this.roles = Collections.unmodifiableSet(r);
  }

  /** @return the station's id, {@code <machine>/<module>[-<n>]} */
  public String id() {
    return id;
  }

  /** @return the devices at the station */
  public List<Device> devices() {
    return devices;
  }

  /** @return the roles its devices play */
  public Set<DeviceRole<?>> roles() {
    return roles;
  }

  /**
   * @param role a role
   * @param <T> the role's interface
   * @return the first device at the station playing it
   */
  public <T extends Device> Optional<T> device(DeviceRole<T> role) {
    for (Device d : devices) {
      if (d.roles().contains(role)) {
        return Optional.of(role.cast(d));
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return id + " " + roles;
  }
}
