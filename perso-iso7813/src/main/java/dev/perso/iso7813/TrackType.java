package dev.perso.iso7813;

/**
 * The three ISO tracks with their character sets, sentinels and limits.
 *
 * <table>
 *   <caption>Track parameters (ISO/IEC 7811-2, 7813, 4909)</caption>
 *   <tr><th>Track</th><th>Data bits</th><th>Charset</th><th>SS</th><th>FS</th><th>ES</th><th>Max incl. SS, ES, LRC</th><th>Density</th></tr>
 *   <tr><td>1</td><td>6 + odd parity</td><td>ASCII 0x20..0x5F, code = ASCII - 0x20</td><td>%</td><td>^</td><td>?</td><td>79</td><td>210 bpi</td></tr>
 *   <tr><td>2</td><td>4 + odd parity</td><td>ASCII 0x30..0x3F, code = ASCII - 0x30</td><td>;</td><td>=</td><td>?</td><td>40</td><td>75 bpi</td></tr>
 *   <tr><td>3</td><td>4 + odd parity</td><td>ASCII 0x30..0x3F, code = ASCII - 0x30</td><td>;</td><td>=</td><td>?</td><td>107</td><td>210 bpi</td></tr>
 * </table>
 *
 * <pre>{@code
 * TrackType.TRACK_1.code('%');      // 0x05
 * TrackType.TRACK_2.maxLength();    // 40
 * }</pre>
 */
public enum TrackType {
  /** Track 1, ISO/IEC 7813 (IATA), alphanumeric. */
  TRACK_1(1, 6, 0x20, '%', '^', '?', 79, Density.BPI_210),
  /** Track 2, ISO/IEC 7813 (ABA), numeric. */
  TRACK_2(2, 4, 0x30, ';', '=', '?', 40, Density.BPI_75),
  /** Track 3, ISO/IEC 4909 (THRIFT), numeric. */
  TRACK_3(3, 4, 0x30, ';', '=', '?', 107, Density.BPI_210);

  private final int number;
  private final int dataBits;
  private final int asciiOffset;
  private final char startSentinel;
  private final char fieldSeparator;
  private final char endSentinel;
  private final int maxLength;
  private final Density defaultDensity;

  TrackType(int number, int dataBits, int asciiOffset, char ss, char fs, char es, int maxLength, Density density) {
    this.number = number;
    this.dataBits = dataBits;
    this.asciiOffset = asciiOffset;
    this.startSentinel = ss;
    this.fieldSeparator = fs;
    this.endSentinel = es;
    this.maxLength = maxLength;
    this.defaultDensity = density;
  }

  /**
   * @param number 1, 2 or 3
   * @return the track
   * @throws dev.perso.core.ValidationException if not 1..3
   */
  public static TrackType of(int number) {
    return switch (number) {
      case 1 -> TRACK_1;
      case 2 -> TRACK_2;
      case 3 -> TRACK_3;
      default -> throw new dev.perso.core.ValidationException("track", "must be 1, 2 or 3, was " + number);
    };
  }

  /** @return 1, 2 or 3 */
  public int number() {
    return number;
  }

  /** @return data bits per character without parity: 6 on track 1, 4 on tracks 2 and 3 */
  public int dataBits() {
    return dataBits;
  }

  /** @return data bits plus the parity bit: 7 or 5 */
  public int bitsPerCharacter() {
    return dataBits + 1;
  }

  /** @return the value subtracted from ASCII to get the character code (0x20 or 0x30) */
  public int asciiOffset() {
    return asciiOffset;
  }

  /** @return the start sentinel ({@code %} or {@code ;}) */
  public char startSentinel() {
    return startSentinel;
  }

  /** @return the field separator ({@code ^} or {@code =}) */
  public char fieldSeparator() {
    return fieldSeparator;
  }

  /** @return the end sentinel ({@code ?}) */
  public char endSentinel() {
    return endSentinel;
  }

  /** @return the maximum number of characters including both sentinels and the LRC */
  public int maxLength() {
    return maxLength;
  }

  /** @return the ISO recording density of this track */
  public Density defaultDensity() {
    return defaultDensity;
  }

  /**
   * @param c an ASCII character
   * @return its code on this track (ASCII minus the offset), or -1 when it is outside the character set
   */
  public int code(char c) {
    int v = c - asciiOffset;
    return v >= 0 && v < (1 << dataBits) ? v : -1;
  }

  /**
   * @param code a character code, 0..2^dataBits-1
   * @return the ASCII character
   */
  public char character(int code) {
    return (char) (code + asciiOffset);
  }

  /**
   * @param c an ASCII character
   * @return true when {@code c} is in the character set and is not a sentinel (so it may appear in a field)
   */
  public boolean isDataCharacter(char c) {
    return code(c) >= 0 && c != startSentinel && c != endSentinel;
  }
}
