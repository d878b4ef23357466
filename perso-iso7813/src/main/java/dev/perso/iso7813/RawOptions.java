package dev.perso.iso7813;

import dev.perso.core.ValidationException;
import java.util.Objects;

/**
 * How a track is laid out as raw bytes: the character form (bpc), the bit order of packed streams, and
 * the zero bits before the start sentinel (clocking) and after the LRC.
 *
 * <p>In the per-character forms ({@code CHAR_7}, {@code CHAR_6}, {@code CHAR_5}) leading and trailing
 * zeros become whole zero characters: {@code ceil(bits / bpc)} bytes.
 *
 * <pre>{@code
 * RawOptions.of(TrackType.TRACK_1, 8);       // packed, LSB first, no leading zeros (the MSR manual examples)
 * RawOptions.msrDefaults(TrackType.TRACK_2);  // packed, LSB first, 22 leading zeros (MSR206/605 default)
 * RawOptions.builder(RawFormat.PACKED).leadingZeros(61).trailingZeros(100).bitOrder(BitOrder.MSB_FIRST).build();
 * }</pre>
 *
 * @param format character form
 * @param bitOrder bit order of {@link RawFormat#PACKED} bytes (ignored by the other forms)
 * @param leadingZeros zero bits before the start sentinel
 * @param trailingZeros zero bits after the LRC
 */
public record RawOptions(RawFormat format, BitOrder bitOrder, int leadingZeros, int trailingZeros) {
  /** Checks the values. */
  public RawOptions {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(bitOrder, "bitOrder");
    if (leadingZeros < 0 || leadingZeros > 4096) {
      throw new ValidationException("leadingZeros", "must be 0..4096, was " + leadingZeros);
    }
    if (trailingZeros < 0 || trailingZeros > 4096) {
      throw new ValidationException("trailingZeros", "must be 0..4096, was " + trailingZeros);
    }
  }

  /**
   * @param type the track (checks that the bpc suits it)
   * @param bpc 5, 6, 7 or 8
   * @return LSB-first options with no leading or trailing zeros
   */
  public static RawOptions of(TrackType type, int bpc) {
    return new RawOptions(RawFormat.ofBpc(bpc, type), BitOrder.LSB_FIRST, 0, 0);
  }

  /**
   * @param type the track
   * @return packed LSB-first with the MSR206/605 default leading zeros for the track's ISO density
   */
  public static RawOptions msrDefaults(TrackType type) {
    return new RawOptions(RawFormat.PACKED, BitOrder.LSB_FIRST, type.defaultDensity().defaultLeadingZeros(), 0);
  }

  /**
   * @param type the track
   * @param density the density the track is recorded at
   * @return packed LSB-first with the MSR206/605 default leading zeros for that density (61 at 210 bpi,
   *     22 at 75 bpi)
   */
  public static RawOptions msrDefaults(TrackType type, Density density) {
    Objects.requireNonNull(type, "type");
    return new RawOptions(RawFormat.PACKED, BitOrder.LSB_FIRST, density.defaultLeadingZeros(), 0);
  }

  /**
   * @param format character form
   * @return a builder (LSB first, no zeros)
   */
  public static Builder builder(RawFormat format) {
    return new Builder(format);
  }

  /** @return a builder holding these options */
  public Builder newBuilder() {
    return new Builder(format).bitOrder(bitOrder).leadingZeros(leadingZeros).trailingZeros(trailingZeros);
  }

  /** Builder for {@link RawOptions}. */
  public static final class Builder {
    private final RawFormat format;
    private BitOrder bitOrder = BitOrder.LSB_FIRST;
    private int leadingZeros;
    private int trailingZeros;

    private Builder(RawFormat format) {
      this.format = format;
    }

    /**
     * @param order bit order of packed bytes
     * @return this
     */
    public Builder bitOrder(BitOrder order) {
      this.bitOrder = order;
      return this;
    }

    /**
     * @param bits zero bits before the start sentinel
     * @return this
     */
    public Builder leadingZeros(int bits) {
      this.leadingZeros = bits;
      return this;
    }

    /**
     * @param bits zero bits after the LRC
     * @return this
     */
    public Builder trailingZeros(int bits) {
      this.trailingZeros = bits;
      return this;
    }

    /** @return the options */
    public RawOptions build() {
      return new RawOptions(format, bitOrder, leadingZeros, trailingZeros);
    }
  }
}
