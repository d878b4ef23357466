package dev.perso.iso7813;

import java.util.Objects;

/**
 * A raw track decoded back to text.
 *
 * <pre>{@code
 * DecodedTrack d = RawCodec.decode(TrackType.TRACK_2, raw, RawOptions.of(TrackType.TRACK_2, 8));
 * d.text();        // ";12345?"
 * d.direction();   // FORWARD
 * }</pre>
 *
 * @param type the track
 * @param text SS..ES inclusive (secret: cardholder data)
 * @param lrc the LRC read from the stripe (it matched)
 * @param direction the swipe direction that was detected
 * @param startBit offset of the start sentinel's first bit in the (direction-corrected) stream
 */
public record DecodedTrack(TrackType type, String text, int lrc, SwipeDirection direction, int startBit) {
  /** Checks for nulls. */
  public DecodedTrack {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(direction, "direction");
  }

  /** @return a summary without the track text */
  @Override
  public String toString() {
    return "DecodedTrack[" + type + ", " + text.length() + " chars, lrc=" + dev.perso.core.internal.Hex.byteToHex(lrc)
        + ", " + direction + ", startBit=" + startBit + "]";
  }
}
