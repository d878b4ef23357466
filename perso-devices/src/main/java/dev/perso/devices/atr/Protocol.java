package dev.perso.devices.atr;

import dev.perso.core.ValidationException;

/**
 * A transmission protocol type as announced in the low nibble of an ATR's TDi byte (ISO/IEC 7816-3
 * §8.2.3): {@code T0} and {@code T1} are the half-duplex protocols, {@code T15} is not a protocol but
 * announces global interface bytes; the others are RFU or proprietary.
 *
 * <pre>{@code
 * Protocol p = Protocol.of(1);   // T1
 * p.number();                    // 1
 * }</pre>
 */
public enum Protocol {
  /** T=0, character protocol. */
  T0,
  /** T=1, block protocol. */
  T1,
  /** T=2, RFU. */
  T2,
  /** T=3, RFU. */
  T3,
  /** T=4, RFU. */
  T4,
  /** T=5, RFU. */
  T5,
  /** T=6, RFU. */
  T6,
  /** T=7, RFU. */
  T7,
  /** T=8, RFU. */
  T8,
  /** T=9, RFU. */
  T9,
  /** T=10, RFU. */
  T10,
  /** T=11, RFU. */
  T11,
  /** T=12, RFU. */
  T12,
  /** T=13, RFU. */
  T13,
  /** T=14, proprietary. */
  T14,
  /** T=15, global interface bytes (not a transmission protocol). */
  T15;

  private static final Protocol[] VALUES = values();

  /**
   * @param t protocol number 0..15
   * @return the protocol
   * @throws ValidationException if {@code t} is outside 0..15
   */
  public static Protocol of(int t) {
    if (t < 0 || t > 15) {
      throw new ValidationException("protocol", "must be 0..15, was " + t);
    }
    return VALUES[t];
  }

  /** @return the protocol number 0..15 */
  public int number() {
    return ordinal();
  }

  @Override
  public String toString() {
    return "T=" + ordinal();
  }
}
