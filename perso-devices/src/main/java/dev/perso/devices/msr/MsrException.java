package dev.perso.devices.msr;

import dev.perso.core.DeviceException;
import dev.perso.core.DeviceFault;
import java.util.Optional;

/**
 * A fault of an MSR206-family encoder: a {@link DeviceException} that also carries the status byte the
 * device answered, when it answered one (timeouts, garbage and a lost port have none). The message never
 * carries track data.
 *
 * <pre>{@code
 * catch (MsrException e) {
 *   if (e.status().orElse(null) == MsrStatus.CARD_MOVING_ERROR) askForASteadierSwipe();
 *   else if (e.fault() == DeviceFault.READ_BACK_MISMATCH) reject(card);
 * }
 * }</pre>
 */
public final class MsrException extends DeviceException {
  private static final long serialVersionUID = 1L;

  private final MsrStatus status;

  /**
   * @param device the device id
   * @param fault the fault
   * @param status the status byte the device answered, or null
   * @param detail what happened (never track data)
   * @param cause the cause, or null
   */
  public MsrException(String device, DeviceFault fault, MsrStatus status, String detail, Throwable cause) {
    super(device, fault, detail, cause);
    this.status = status;
  }

  /** @return the status the device answered, if it answered one */
  public Optional<MsrStatus> status() {
    return Optional.ofNullable(status);
  }
}
