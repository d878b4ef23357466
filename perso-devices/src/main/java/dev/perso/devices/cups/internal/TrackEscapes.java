package dev.perso.devices.cups.internal;

import dev.perso.core.Bytes;
import dev.perso.core.ValidationException;
import dev.perso.core.device.StripeData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The magnetic-track text escapes that card-printer drivers (HID Fargo style) take from a print job's text:
 * {@code ~1%<track 1>?}, {@code ~2;<track 2>?}, {@code ~3;<track 3>?}, sentinels included, at most 78, 39
 * and 106 characters from start to end sentinel (notes magstripe-surface §3.4, HDP 6600/HDP700 manuals).
 * Track 1 takes ISO 7813 characters 0x20..0x5F, tracks 2 and 3 0x30..0x3F; the sentinels themselves may
 * not appear inside the data.
 */
public final class TrackEscapes {
  private static final int[] MAX_WITH_SENTINELS = {0, 78, 39, 106};

  private TrackEscapes() {}

  /**
   * @param stripe the tracks (ISO characters, no sentinels, no LRC)
   * @return one escape line per track, track order
   * @throws ValidationException naming the track and the rule (never the data)
   */
  public static List<String> lines(StripeData stripe) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<Integer, Bytes> e : stripe.tracks().entrySet()) {
      int t = e.getKey();
      byte[] data = e.getValue().toByteArray();
      try {
        char start = t == 1 ? '%' : ';';
        int lo = t == 1 ? 0x20 : 0x30;
        int hi = t == 1 ? 0x5F : 0x3F;
        if (data.length + 2 > MAX_WITH_SENTINELS[t]) {
          throw new ValidationException("track " + t, "has " + data.length + " characters; a driver escape holds at most "
              + (MAX_WITH_SENTINELS[t] - 2) + " between the sentinels");
        }
        StringBuilder sb = new StringBuilder(data.length + 4).append('~').append(t).append(start);
        for (int i = 0; i < data.length; i++) {
          int c = data[i] & 0xFF;
          if (c < lo || c > hi || c == '?' || c == start) {
            throw new ValidationException("track " + t, "character " + (i + 1) + " is outside the track's ISO character"
                + " set (0x" + Integer.toHexString(lo) + "..0x" + Integer.toHexString(hi) + " without sentinels)");
          }
          sb.append((char) c);
        }
        out.add(sb.append('?').toString());
      } finally {
        java.util.Arrays.fill(data, (byte) 0);
      }
    }
    return out;
  }
}
