package dev.perso.devices.msr;

import dev.perso.core.DeviceFault;
import java.util.Optional;

/**
 * The status byte an MSR206 / MSR605 / MSR606 encoder answers after {@code ESC} (notes
 * magstripe-surface.md §3.2, from the MSR206 and MSR605 programmer's manuals), and the {@link DeviceFault}
 * each one is to a line.
 *
 * <pre>{@code
 * MsrStatus.of(0x39).orElseThrow();        // CARD_MOVING_ERROR
 * MsrStatus.CARD_MOVING_ERROR.fault();     // WRITE_ERROR: the card is rejected
 * }</pre>
 */
public enum MsrStatus {
  /** {@code 30}: the command succeeded. */
  OK(0x30, null, "ok"),
  /** {@code 31}: read or write error (the stripe did not take or did not read). */
  READ_WRITE_ERROR(0x31, DeviceFault.WRITE_ERROR, "read/write error"),
  /** {@code 32}: command format error. */
  COMMAND_FORMAT_ERROR(0x32, DeviceFault.COMMUNICATION_ERROR, "command format error"),
  /** {@code 34}: invalid command. */
  INVALID_COMMAND(0x34, DeviceFault.COMMUNICATION_ERROR, "invalid command"),
  /** {@code 39}: invalid card swipe in write mode ("card moving error"). */
  CARD_MOVING_ERROR(0x39, DeviceFault.WRITE_ERROR, "invalid card swipe in write mode (card moving error)"),
  /** {@code 41} ('A'): a set-type command (erase, leading zeros, BPI, RAM test) failed. */
  SET_FAILED(0x41, DeviceFault.COMMUNICATION_ERROR, "command failed");

  private final int code;
  private final DeviceFault fault;
  private final String words;

  MsrStatus(int code, DeviceFault fault, String words) {
    this.code = code;
    this.fault = fault;
    this.words = words;
  }

  /** @return the status byte, e.g. {@code 0x31} */
  public int code() {
    return code;
  }

  /** @return the fault this status is to a line; null for {@link #OK} */
  public DeviceFault fault() {
    return fault;
  }

  /** @return the manual's words for it */
  public String words() {
    return words;
  }

  /**
   * @param code a status byte
   * @return its status, or empty when the manual defines no such status
   */
  public static Optional<MsrStatus> of(int code) {
    for (MsrStatus s : values()) {
      if (s.code == code) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return name() + " (" + String.format("%02X", code) + ": " + words + ")";
  }
}
