package dev.perso.core.device;

import java.util.Set;

/**
 * Opens devices of one or more address schemes. Drivers register with {@code provides
 * dev.perso.core.device.DeviceProvider with ...} and are found by {@link Devices#open}; constructing a
 * driver directly always works too.
 *
 * <pre>{@code
 * public final class Msr605Provider implements DeviceProvider {
 *   public Set<String> schemes() { return Set.of("msr605"); }
 *   public Device open(DeviceAddress a, DeviceContext c) { return Msr605.open(a.path(), ...); }
 * }
 * }</pre>
 */
public interface DeviceProvider {

  /** @return the schemes this provider opens, e.g. {@code virtual} */
  Set<String> schemes();

  /**
   * @param address the parsed address
   * @param context the clock, events and virtual card stock
   * @return the open device
   * @throws dev.perso.core.ValidationException for a bad address, naming the parameter
   * @throws dev.perso.core.DeviceException if the device cannot be reached
   */
  Device open(DeviceAddress address, DeviceContext context);
}
