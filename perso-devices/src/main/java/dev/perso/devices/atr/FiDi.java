package dev.perso.devices.atr;

import dev.perso.core.ValidationException;

/**
 * The ISO/IEC 7816-3 clock rate conversion factor Fi, bit rate adjustment factor Di and maximum
 * clock frequency tables, indexed by the nibbles of TA1 (or PPS1). The values are those of the CCID
 * driver ({@code src/towitoko/atr.c} {@code atr_f_table}/{@code atr_d_table}), pcsc-tools
 * {@code ATR_analysis} and pyscard {@code ATR.py}.
 *
 * <pre>{@code
 * FiDi.fi(0x1);          // 372
 * FiDi.di(0x8);          // 12
 * FiDi.cyclesPerEtu(0x18); // 31 (372 / 12)
 * }</pre>
 */
public final class FiDi {
  private static final int[] FI = {372, 372, 558, 744, 1116, 1488, 1860, 0, 0, 512, 768, 1024, 1536, 2048, 0, 0};
  private static final int[] FMAX_KHZ = {4000, 5000, 6000, 8000, 12000, 16000, 20000, 0, 0, 5000, 7500, 10000,
      15000, 20000, 0, 0};
  private static final int[] DI = {0, 1, 2, 4, 8, 16, 32, 64, 12, 20, 0, 0, 0, 0, 0, 0};

  /** Default TA1 ({@code 11}: Fi = 372, Di = 1). */
  public static final int DEFAULT_TA1 = 0x11;

  private FiDi() {}

  /**
   * @param index the high nibble of TA1, 0..15
   * @return Fi
   * @throws ValidationException if the index is RFU
   */
  public static int fi(int index) {
    check("Fi", index);
    if (FI[index] == 0) {
      throw new ValidationException("Fi", "index " + index + " is RFU");
    }
    return FI[index];
  }

  /**
   * @param index the high nibble of TA1, 0..15
   * @return fmax in Hz
   * @throws ValidationException if the index is RFU
   */
  public static long fmaxHz(int index) {
    check("Fi", index);
    if (FMAX_KHZ[index] == 0) {
      throw new ValidationException("Fi", "index " + index + " is RFU");
    }
    return FMAX_KHZ[index] * 1000L;
  }

  /**
   * @param index the low nibble of TA1, 0..15
   * @return Di
   * @throws ValidationException if the index is RFU
   */
  public static int di(int index) {
    check("Di", index);
    if (DI[index] == 0) {
      throw new ValidationException("Di", "index " + index + " is RFU");
    }
    return DI[index];
  }

  /**
   * @param ta1 a TA1 or PPS1 byte
   * @return true if both nibbles name defined values
   */
  public static boolean isValid(int ta1) {
    return ta1 >= 0 && ta1 <= 0xFF && FI[ta1 >>> 4] != 0 && DI[ta1 & 0x0F] != 0;
  }

  /**
   * @param ta1 a TA1 or PPS1 byte
   * @return Fi / Di, the clock cycles per elementary time unit (rounded down as ATR_analysis prints it)
   */
  public static int cyclesPerEtu(int ta1) {
    if (ta1 < 0 || ta1 > 0xFF) {
      throw new ValidationException("ta1", "must be 0..255, was " + ta1);
    }
    return fi(ta1 >>> 4) / di(ta1 & 0x0F);
  }

  private static void check(String field, int index) {
    if (index < 0 || index > 15) {
      throw new ValidationException(field, "index must be 0..15, was " + index);
    }
  }
}
