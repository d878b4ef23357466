package dev.perso.iso7813;

import dev.perso.core.ValidationException;

/**
 * How characters are laid out in the raw bytes exchanged with an encoder (MSR206/MSR605 "BPC").
 *
 * <pre>{@code
 * RawFormat.ofBpc(8, TrackType.TRACK_2);   // PACKED
 * RawFormat.ofBpc(7, TrackType.TRACK_1);   // CHAR_7
 * RawFormat.ofBpc(7, TrackType.TRACK_2);   // ValidationException: bpc: 7 is for track 1 only ...
 * }</pre>
 */
public enum RawFormat {
  /** 8 bpc: the stripe's bit stream packed 8 bits per byte (bit order per {@link BitOrder}). */
  PACKED(8),
  /** 7 bpc: one track 1 character per byte, 6 data bits with the odd parity bit in bit 6. */
  CHAR_7(7),
  /** 6 bpc: one track 1 character per byte, 6 data bits, no parity. */
  CHAR_6(6),
  /** 5 bpc: one track 2/3 character per byte, 4 data bits with the odd parity bit in bit 4. */
  CHAR_5(5);

  private final int bpc;

  RawFormat(int bpc) {
    this.bpc = bpc;
  }

  /** @return the MSR bits-per-character setting (5..8) */
  public int bpc() {
    return bpc;
  }

  /** @return true when the parity bit is present (every form except {@link #CHAR_6}) */
  public boolean hasParity() {
    return this != CHAR_6;
  }

  /**
   * @param type a track
   * @return true when this form can carry that track's characters
   */
  public boolean supports(TrackType type) {
    return switch (this) {
      case PACKED -> true;
      case CHAR_7, CHAR_6 -> type == TrackType.TRACK_1;
      case CHAR_5 -> type != TrackType.TRACK_1;
    };
  }

  /**
   * @param bpc 5, 6, 7 or 8
   * @param type the track it is for
   * @return the form
   * @throws ValidationException when the combination does not exist
   */
  public static RawFormat ofBpc(int bpc, TrackType type) {
    RawFormat f = switch (bpc) {
      case 8 -> PACKED;
      case 7 -> CHAR_7;
      case 6 -> CHAR_6;
      case 5 -> CHAR_5;
      default -> throw new ValidationException("bpc", "must be 5, 6, 7 or 8, was " + bpc);
    };
    if (!f.supports(type)) {
      throw new ValidationException("bpc", bpc + (type == TrackType.TRACK_1
          ? " is for tracks 2 and 3 only; track 1 takes 6, 7 or 8"
          : " is for track 1 only; track " + type.number() + " takes 5 or 8"));
    }
    return f;
  }
}
