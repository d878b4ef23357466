package dev.perso.iso7813;

/**
 * Where the first bit on the stripe lands in each byte of a {@link RawFormat#PACKED} stream.
 *
 * <pre>{@code
 * RawOptions.builder(TrackType.TRACK_1).bitOrder(BitOrder.MSB_FIRST).build();   // as an MSR605 raw read returns it
 * }</pre>
 */
public enum BitOrder {
  /** First bit in bit 0: the MSR206/MSR605 raw write ({@code ESC n}) form. */
  LSB_FIRST,
  /** First bit in bit 7: the form an MSR206/MSR605 raw read ({@code ESC m}) returns. */
  MSB_FIRST
}
