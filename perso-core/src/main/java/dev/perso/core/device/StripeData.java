package dev.perso.core.device;

import dev.perso.core.Bytes;
import dev.perso.core.ValidationException;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What goes on (or was read from) a magnetic stripe: tracks 1 to 3 as the encoder takes them, ISO
 * characters without start and end sentinels and without LRC. The data is marked secret: it is never
 * printed, and comparison is constant-time.
 *
 * <pre>{@code
 * StripeData written = StripeData.of(Map.of(1, Bytes.secret(t1), 2, Bytes.secret(t2)));
 * encoder.write(card, written);
 * if (!written.sameAs(encoder.read(card))) throw new DeviceException(id, READ_BACK_MISMATCH, "track 2");
 * }</pre>
 */
public final class StripeData {
  private final Map<Integer, Bytes> tracks;

  private StripeData(Map<Integer, Bytes> tracks) {
    this.tracks = tracks;
  }

  /**
   * @param tracks track number (1..3) to its characters (ASCII, no sentinels, no LRC)
   * @return the stripe data, all marked secret
   * @throws ValidationException for a track number outside 1..3
   */
  public static StripeData of(Map<Integer, Bytes> tracks) {
    TreeMap<Integer, Bytes> copy = new TreeMap<>();
    tracks.forEach((n, data) -> {
      if (n == null || n < 1 || n > 3) {
        throw new ValidationException("track", "must be 1, 2 or 3, was " + n);
      }
      copy.put(n, Objects.requireNonNull(data, "track " + n).asSecret());
    });
    return new StripeData(Collections.unmodifiableMap(copy));
  }

  /** @return the tracks by number, in order; values are secret */
  public Map<Integer, Bytes> tracks() {
    return tracks;
  }

  /**
   * @param track 1..3
   * @return whether the track is present
   */
  public boolean has(int track) {
    return tracks.containsKey(track);
  }

  /**
   * Compares in constant time per track.
   *
   * @param other what was read back
   * @return the first track that differs (missing counts as different), or 0 if all of this data's
   *     tracks are equal in {@code other}
   */
  public int firstDifference(StripeData other) {
    for (Map.Entry<Integer, Bytes> e : tracks.entrySet()) {
      Bytes read = other.tracks.get(e.getKey());
      if (read == null || !e.getValue().constantTimeEquals(read)) {
        return e.getKey();
      }
    }
    return 0;
  }

  /**
   * @param other what was read back
   * @return true if every track of this data is equal in {@code other}
   */
  public boolean sameAs(StripeData other) {
    return firstDifference(other) == 0;
  }

  /** @return the track numbers and lengths, never the data */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("stripe[");
    tracks.forEach((n, d) -> sb.append(sb.length() > 7 ? ", " : "").append("track ").append(n).append(": ")
        .append(d.length()).append(" chars"));
    return sb.append(']').toString();
  }
}
