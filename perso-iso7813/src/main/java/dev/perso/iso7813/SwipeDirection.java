package dev.perso.iso7813;

/**
 * The direction in which a raw track was read, as found by {@link RawCodec#decode}.
 *
 * <pre>{@code
 * if (RawCodec.decode(TrackType.TRACK_2, raw, options).direction() == SwipeDirection.REVERSE) { ... }
 * }</pre>
 */
public enum SwipeDirection {
  /** Start sentinel first. */
  FORWARD,
  /** The bit stream arrived reversed (LRC first); it was turned around before decoding. */
  REVERSE
}
