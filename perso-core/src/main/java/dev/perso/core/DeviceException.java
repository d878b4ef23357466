package dev.perso.core;

import java.util.Objects;

/**
 * A personalization device reported a fault: the device and the fault are named.
 *
 * <pre>{@code
 * throw new DeviceException("virtual:embosser", "ribbon empty");
 * }</pre>
 */
public class DeviceException extends PersoException {
  private static final long serialVersionUID = 1L;

  private final String device;
  private final String fault;

  /**
   * @param device the device address, e.g. {@code msr605:/dev/ttyUSB0}
   * @param fault the fault as the device or driver names it
   */
  public DeviceException(String device, String fault) {
    super(Objects.requireNonNull(device, "device") + ": " + Objects.requireNonNull(fault, "fault"));
    this.device = device;
    this.fault = fault;
  }

  /** @return the device address */
  public String device() {
    return device;
  }

  /** @return the fault */
  public String fault() {
    return fault;
  }
}
