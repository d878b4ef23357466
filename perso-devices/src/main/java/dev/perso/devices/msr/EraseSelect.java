package dev.perso.devices.msr;

import java.util.Set;

/**
 * How the select byte of the erase command ({@code ESC c <select>}) names the tracks. The sources disagree
 * (notes magstripe-surface.md §3.2 and §7): the MSR206/MSR605 programmer's manual gives {@code 00} for
 * track 1 alone and bit flags otherwise ({@code 02} track 2, {@code 04} track 3, {@code 03} tracks 1+2,
 * {@code 07} all), while popular code sends pure bit flags (track 1 = {@code 01}). The manual's reading is
 * the default.
 *
 * <pre>{@code
 * EraseSelect.MANUAL.selectByte(Set.of(1));      // 0x00
 * EraseSelect.BIT_FLAGS.selectByte(Set.of(1));   // 0x01
 * EraseSelect.MANUAL.selectByte(Set.of(1, 2, 3)); // 0x07
 * }</pre>
 */
public enum EraseSelect {
  /** The programmer's manual: bit flags, except track 1 alone is {@code 00}. */
  MANUAL,
  /** Pure bit flags: track 1 = {@code 01}, track 2 = {@code 02}, track 3 = {@code 04}. */
  BIT_FLAGS;

  /**
   * @param tracks a non-empty set of track numbers 1..3
   * @return the select byte
   */
  public int selectByte(Set<Integer> tracks) {
    int flags = 0;
    for (int t : tracks) {
      flags |= 1 << (t - 1);
    }
    return this == MANUAL && flags == 1 ? 0x00 : flags;
  }

  /**
   * @param select a select byte
   * @return the tracks it names in this reading, or an empty set when it names none
   */
  public Set<Integer> tracks(int select) {
    int flags = this == MANUAL && select == 0x00 ? 1 : select;
    if (flags < 1 || flags > 7 || (this == MANUAL && select == 0x01)) {
      return Set.of();
    }
    java.util.TreeSet<Integer> out = new java.util.TreeSet<>();
    for (int t = 1; t <= 3; t++) {
      if ((flags & (1 << (t - 1))) != 0) {
        out.add(t);
      }
    }
    return java.util.Collections.unmodifiableSet(out);
  }
}
