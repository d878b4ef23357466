package dev.perso.devices.msr;

import dev.perso.core.Bytes;
import dev.perso.core.ValidationException;
import java.util.Objects;

/**
 * One track's raw bytes for an encoder's raw mode, already encoded: this driver packs no characters, parity
 * or LRC itself. Produce the bytes with the ISO 7813 module's raw codec, e.g.
 * {@code RawCodec.encode(TrackType.TRACK_1, "%ABC123?", RawOptions.of(TrackType.TRACK_1, 8))}, and give the
 * same bits per character here. The bytes are in the raw-write orientation of the MSR206/MSR605
 * programmer's manual (notes magstripe-surface.md §1.6: packed streams LSB first); a raw read is turned
 * into that same orientation, so what was written and what is read back compare directly.
 *
 * <pre>{@code
 * // MSR605 programmer's manual §9: track 1 "%ABC123?" at 8 bpc
 * RawTrack t1 = RawTrack.of(Bytes.fromHex("C5B07814954E3E2A"), 8, 210);
 * }</pre>
 *
 * @param data the raw bytes (1..255, the length byte of the raw frames), marked secret
 * @param bitsPerCharacter the device's BPC setting for the track: 5, 6, 7 or 8
 * @param bitsPerInch the recording density: 75 or 210
 */
public record RawTrack(Bytes data, int bitsPerCharacter, int bitsPerInch) {

  /** Checks the values and marks the data secret. */
  public RawTrack {
    Objects.requireNonNull(data, "data");
    if (data.length() > 255) {
      throw new ValidationException("raw track", "is " + data.length() + " bytes, over the 255 a raw frame carries");
    }
    if (bitsPerCharacter < 5 || bitsPerCharacter > 8) {
      throw new ValidationException("bitsPerCharacter", "must be 5..8, was " + bitsPerCharacter);
    }
    if (bitsPerInch != 75 && bitsPerInch != 210) {
      throw new ValidationException("bitsPerInch", "must be 75 or 210, was " + bitsPerInch);
    }
    if (bitsPerCharacter < 8) {
      for (int i = 0; i < data.length(); i++) {
        if ((data.getUnsigned(i) >>> bitsPerCharacter) != 0) {
          throw new ValidationException("raw track", "byte " + i + " has bits above bit " + (bitsPerCharacter - 1)
              + " for " + bitsPerCharacter + " bits per character");
        }
      }
    }
    data = data.asSecret();
  }

  /**
   * @param data the raw bytes
   * @param bitsPerCharacter 5..8
   * @param bitsPerInch 75 or 210
   * @return the track
   */
  public static RawTrack of(Bytes data, int bitsPerCharacter, int bitsPerInch) {
    return new RawTrack(data, bitsPerCharacter, bitsPerInch);
  }

  /** @return the bits per character and density */
  public TrackSetting setting() {
    return new TrackSetting(bitsPerCharacter, bitsPerInch);
  }

  /**
   * Whether a raw read shows this track: the same bytes, and nothing but zero bytes after them (a read
   * returns the zeros recorded up to the end of the track). Constant time over this track's length.
   *
   * @param read what was read back
   * @return true if {@code read} carries this track
   */
  public boolean readsBackAs(RawTrack read) {
    Bytes r = read.data();
    if (r.length() < data.length()) {
      return false;
    }
    boolean same = data.constantTimeEquals(r.slice(0, data.length()));
    int tail = 0;
    for (int i = data.length(); i < r.length(); i++) {
      tail |= r.getUnsigned(i);
    }
    return same & tail == 0;
  }

  /** @return the length and settings, never the data */
  @Override
  public String toString() {
    return "RawTrack[" + data.length() + " bytes, " + bitsPerCharacter + " bpc, " + bitsPerInch + " bpi]";
  }
}
