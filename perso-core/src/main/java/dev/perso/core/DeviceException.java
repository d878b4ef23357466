package dev.perso.core;

import java.util.Objects;

/**
 * A personalization device reported a fault: the device, the typed fault and a detail are named. The
 * detail never carries card data.
 *
 * <pre>{@code
 * throw new DeviceException("virtual:printer", DeviceFault.RIBBON_OUT, "after 250 cards");
 * }</pre>
 */
public class DeviceException extends PersoException {
  private static final long serialVersionUID = 1L;

  private final String device;
  private final DeviceFault fault;
  private final String detail;

  /**
   * @param device the device id or address, e.g. {@code msr605:/dev/ttyUSB0}
   * @param fault the typed fault
   * @param detail what happened, in words (never card data)
   */
  public DeviceException(String device, DeviceFault fault, String detail) {
    this(device, fault, detail, null);
  }

  /**
   * @param device the device id or address
   * @param fault the typed fault
   * @param detail what happened, in words (never card data)
   * @param cause the underlying cause, or null
   */
  public DeviceException(String device, DeviceFault fault, String detail, Throwable cause) {
    super(Objects.requireNonNull(device, "device") + ": " + Objects.requireNonNull(fault, "fault")
        + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")"), cause);
    this.device = device;
    this.fault = fault;
    this.detail = detail == null ? "" : detail;
  }

  /** @return the device id or address */
  public String device() {
    return device;
  }

  /** @return the typed fault */
  public DeviceFault fault() {
    return fault;
  }

  /** @return the detail in words, possibly empty */
  public String detail() {
    return detail;
  }
}
