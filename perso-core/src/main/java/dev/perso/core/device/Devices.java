package dev.perso.core.device;

import dev.perso.core.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * Opens devices by address through the {@link DeviceProvider}s on the class or module path.
 *
 * <pre>{@code
 * try (Device chip = Devices.open("virtual:chip?ms=6000", context)) { ... }
 * Devices.open("pcsc:ACS ACR39U*");
 * }</pre>
 */
public final class Devices {
  private Devices() {}

  /**
   * @param address e.g. {@code virtual:embosser?ms=800}
   * @return the open device, with the default context
   */
  public static Device open(String address) {
    return open(address, DeviceContext.defaults());
  }

  /**
   * @param address the device address
   * @param context the clock, events and virtual card stock
   * @return the open device
   * @throws ValidationException naming the address when no provider knows its scheme
   */
  public static Device open(String address, DeviceContext context) {
    DeviceAddress a = DeviceAddress.parse(address);
    for (DeviceProvider p : providers()) {
      if (p.schemes().contains(a.scheme())) {
        return p.open(a, context);
      }
    }
    TreeSet<String> known = new TreeSet<>();
    providers().forEach(p -> known.addAll(p.schemes()));
    throw new ValidationException("device", "no driver for '" + a.scheme() + ":' in " + address
        + " (known: " + known + ")");
  }

  /** @return the providers found by {@link ServiceLoader} */
  public static List<DeviceProvider> providers() {
    List<DeviceProvider> out = new ArrayList<>();
    ServiceLoader.load(DeviceProvider.class, Devices.class.getClassLoader()).forEach(out::add);
    if (out.isEmpty()) {
      ServiceLoader.load(DeviceProvider.class).forEach(out::add);
    }
    return out;
  }
}
