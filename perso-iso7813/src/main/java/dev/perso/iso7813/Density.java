package dev.perso.iso7813;

/**
 * Recording density of a track in bits per inch.
 *
 * <pre>{@code
 * Density.BPI_210.millimetres(61);   // 7.38 mm of leading zeros
 * }</pre>
 */
public enum Density {
  /** 75 bits per inch (2.95 bits/mm), ISO track 2. */
  BPI_75(75, 22),
  /** 210 bits per inch (8.27 bits/mm), ISO tracks 1 and 3. */
  BPI_210(210, 61);

  private final int bitsPerInch;
  private final int defaultLeadingZeros;

  Density(int bitsPerInch, int defaultLeadingZeros) {
    this.bitsPerInch = bitsPerInch;
    this.defaultLeadingZeros = defaultLeadingZeros;
  }

  /** @return bits per inch */
  public int bitsPerInch() {
    return bitsPerInch;
  }

  /**
   * @return the MSR206/MSR605 default number of leading zero bits at this density: 61 at 210 bpi, 22 at
   *     75 bpi (about 7.4 mm either way)
   */
  public int defaultLeadingZeros() {
    return defaultLeadingZeros;
  }

  /**
   * @param bits a number of bits
   * @return their length on the stripe in millimetres ({@code bits * 25.4 / bpi})
   */
  public double millimetres(int bits) {
    return bits * 25.4 / bitsPerInch;
  }
}
