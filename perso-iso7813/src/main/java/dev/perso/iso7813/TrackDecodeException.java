package dev.perso.iso7813;

import dev.perso.core.MalformedDataException;

/**
 * A raw track could not be decoded; names the bit offset in the stream and the character position.
 * {@link #offset()} is the bit offset, and the message says "bit", never "offset", e.g. {@code malformed
 * track data at character 3 (bit 42): parity error}.
 *
 * <pre>{@code
 * try {
 *   RawCodec.decode(TrackType.TRACK_1, raw, options);
 * } catch (TrackDecodeException e) {
 *   log.warn("bad track 1 at character {} (bit {}): {}", e.characterIndex(), e.bitOffset(), e.reason());
 * }
 * }</pre>
 */
public final class TrackDecodeException extends MalformedDataException {
  private static final long serialVersionUID = 1L;

  private final int characterIndex;

  /**
   * @param bitOffset offset of the first bit of the offending character in the stream, or -1
   * @param characterIndex zero-based character position counted from the start sentinel, or -1
   * @param reason what is wrong
   */
  public TrackDecodeException(int bitOffset, int characterIndex, String reason) {
    super(bitOffset, reason, "malformed track data" + (characterIndex >= 0 ? " at character " + characterIndex : "")
        + (bitOffset >= 0 ? (characterIndex >= 0 ? " (bit " : " at bit ") + bitOffset + (characterIndex >= 0 ? ")" : "")
        : "") + ": " + reason);
    this.characterIndex = characterIndex;
  }

  /** @return bit offset of the offending character, or -1 */
  public int bitOffset() {
    return offset();
  }

  /** @return zero-based character position from the start sentinel, or -1 */
  public int characterIndex() {
    return characterIndex;
  }
}
