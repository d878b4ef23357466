package dev.perso.core.device;

import dev.perso.core.DeviceFault;
import java.util.Objects;
import java.util.Optional;

/**
 * A device's state as it reports it: ready, busy, or faulted with the typed fault and a detail.
 *
 * <pre>{@code
 * DeviceStatus s = printer.status();
 * if (s.fault().filter(DeviceFault::needsOperator).isPresent()) showOperator(s.detail());
 * }</pre>
 *
 * @param state the state
 * @param faultOrNull the fault when {@code state} is {@link State#FAULTED}, else null
 * @param detail words for a person (never card data), possibly empty
 */
public record DeviceStatus(State state, DeviceFault faultOrNull, String detail) {

  /** A device's state. */
  public enum State {
    /** Ready for work. */
    READY,
    /** Working on a card. */
    BUSY,
    /** Faulted: see the fault. */
    FAULTED,
    /** Closed or unreachable. */
    OFFLINE
  }

  private static final DeviceStatus READY_STATUS = new DeviceStatus(State.READY, null, "");

  /** Checks that a fault is given exactly when the state is FAULTED. */
  public DeviceStatus {
    Objects.requireNonNull(state, "state");
    if ((state == State.FAULTED) != (faultOrNull != null)) {
      throw new IllegalArgumentException("a fault goes with state FAULTED and only with it");
    }
    detail = detail == null ? "" : detail;
  }

  /** @return the ready status */
  public static DeviceStatus ready() {
    return READY_STATUS;
  }

  /** @return a busy status */
  public static DeviceStatus busy() {
    return new DeviceStatus(State.BUSY, null, "");
  }

  /**
   * @param fault the fault
   * @param detail words for a person
   * @return a faulted status
   */
  public static DeviceStatus faulted(DeviceFault fault, String detail) {
    return new DeviceStatus(State.FAULTED, Objects.requireNonNull(fault, "fault"), detail);
  }

  /**
   * @param detail why
   * @return an offline status
   */
  public static DeviceStatus offline(String detail) {
    return new DeviceStatus(State.OFFLINE, null, detail);
  }

  /** @return true if the device can take work now */
  public boolean isReady() {
    return state == State.READY || state == State.BUSY;
  }

  /** @return the fault, if faulted */
  public Optional<DeviceFault> fault() {
    return Optional.ofNullable(faultOrNull);
  }

  @Override
  public String toString() {
    return state + (faultOrNull == null ? "" : " " + faultOrNull) + (detail.isEmpty() ? "" : " (" + detail + ")");
  }
}
