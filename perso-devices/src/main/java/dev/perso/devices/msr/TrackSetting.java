package dev.perso.devices.msr;

import dev.perso.core.ValidationException;

/**
 * How an MSR206-family encoder records one track in raw mode: bits per character ({@code ESC o}) and
 * density ({@code ESC b}); notes magstripe-surface.md §3.2.
 *
 * <pre>{@code
 * TrackSetting.iso(1);              // 7 bpc at 210 bpi, the ISO "soft" mode
 * new TrackSetting(8, 75);          // packed stream at 75 bpi
 * }</pre>
 *
 * @param bitsPerCharacter 5..8
 * @param bitsPerInch 75 or 210
 */
public record TrackSetting(int bitsPerCharacter, int bitsPerInch) {
  /** Checks the values. */
  public TrackSetting {
    if (bitsPerCharacter < 5 || bitsPerCharacter > 8) {
      throw new ValidationException("bitsPerCharacter", "must be 5..8, was " + bitsPerCharacter);
    }
    if (bitsPerInch != 75 && bitsPerInch != 210) {
      throw new ValidationException("bitsPerInch", "must be 75 or 210, was " + bitsPerInch);
    }
  }

  /**
   * @param track 1..3
   * @return the ISO setting: 7 bpc / 210 bpi on track 1, 5 / 75 on track 2, 5 / 210 on track 3
   */
  public static TrackSetting iso(int track) {
    return switch (track) {
      case 1 -> new TrackSetting(7, 210);
      case 2 -> new TrackSetting(5, 75);
      case 3 -> new TrackSetting(5, 210);
      default -> throw new ValidationException("track", "must be 1, 2 or 3, was " + track);
    };
  }

  /**
   * @param track 1..3
   * @return 8 bpc (packed stream) at the track's ISO density
   */
  public static TrackSetting packed(int track) {
    return new TrackSetting(8, iso(track).bitsPerInch());
  }
}
