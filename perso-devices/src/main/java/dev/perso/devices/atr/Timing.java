package dev.perso.devices.atr;

import dev.perso.core.ValidationException;
import java.time.Duration;

/**
 * ISO/IEC 7816-3 timing derived from Fi/Di, the clock and the ATR: elementary time unit, bit rate,
 * T=0 work waiting time and T=1 block and character waiting times. Formulas as in the CCID driver
 * ({@code ifdhandler.c} {@code T0_card_timeout}/{@code T1_card_timeout}) and pcsc-tools
 * {@code ATR_analysis}:
 * <ul>
 *   <li>etu = Fi / (Di × f)</li>
 *   <li>WWT = 960 × WI × Fi / f</li>
 *   <li>BWT = 11 etu + 2^BWI × 960 × 372 / f</li>
 *   <li>CWT = (11 + 2^CWI) etu</li>
 * </ul>
 *
 * <pre>{@code
 * Timing t = Timing.of(atr, 4_000_000);
 * t.bitsPerSecond();   // 43010 for TA1 = 13
 * t.bwt();             // PT1.5...S for BWI 4
 * }</pre>
 *
 * @param fi clock rate conversion factor in use
 * @param di bit rate adjustment factor in use
 * @param clockHz card clock frequency
 * @param wi T=0 work waiting integer
 * @param bwi T=1 block waiting integer
 * @param cwi T=1 character waiting integer
 * @param extraGuardTime N from TC1
 */
public record Timing(int fi, int di, long clockHz, int wi, int bwi, int cwi, int extraGuardTime) {

  /** Validates the ranges. */
  public Timing {
    if (fi <= 0) {
      throw new ValidationException("fi", "must be positive, was " + fi);
    }
    if (di <= 0) {
      throw new ValidationException("di", "must be positive, was " + di);
    }
    if (clockHz <= 0) {
      throw new ValidationException("clockHz", "must be positive, was " + clockHz);
    }
    if (wi < 1 || wi > 255) {
      throw new ValidationException("wi", "must be 1..255, was " + wi);
    }
    if (bwi < 0 || bwi > 9) {
      throw new ValidationException("bwi", "must be 0..9, was " + bwi);
    }
    if (cwi < 0 || cwi > 15) {
      throw new ValidationException("cwi", "must be 0..15, was " + cwi);
    }
    if (extraGuardTime < 0 || extraGuardTime > 255) {
      throw new ValidationException("extraGuardTime", "must be 0..255, was " + extraGuardTime);
    }
  }

  /**
   * Timing with the Fi/Di of TA1 (as after an accepted PPS or in specific mode).
   *
   * @param atr the ATR
   * @param clockHz card clock
   * @return the timing
   */
  public static Timing of(Atr atr, long clockHz) {
    return of(atr, atr.fiDi(), clockHz);
  }

  /**
   * Timing with another Fi/Di, e.g. the default {@code 11} when no PPS was done.
   *
   * @param atr the ATR (for WI, BWI, CWI, N)
   * @param fiDi TA1-coded Fi/Di actually in use
   * @param clockHz card clock
   * @return the timing
   */
  public static Timing of(Atr atr, int fiDi, long clockHz) {
    if (fiDi < 0 || fiDi > 0xFF) {
      throw new ValidationException("fiDi", "must be 0..255, was " + fiDi);
    }
    return new Timing(FiDi.fi(fiDi >>> 4), FiDi.di(fiDi & 0x0F), clockHz, atr.wi(), Math.min(atr.bwi(), 9), atr.cwi(),
        atr.extraGuardTime());
  }

  /** @return one etu in nanoseconds (fractional) */
  public double etuNanos() {
    return fi * 1e9 / ((double) di * clockHz);
  }

  /** @return one etu, rounded up to a whole nanosecond */
  public Duration etu() {
    return Duration.ofNanos((long) Math.ceil(etuNanos()));
  }

  /** @return the bit rate, rounded down (one bit per etu) */
  public long bitsPerSecond() {
    return (long) di * clockHz / fi;
  }

  /** @return T=0 work waiting time, 960 × WI × Fi / f */
  public Duration wwt() {
    return nanos(960.0 * wi * fi / clockHz * 1e9);
  }

  /** @return T=1 block waiting time, 11 etu + 2^BWI × 960 × 372 / f */
  public Duration bwt() {
    return nanos(11 * etuNanos() + (1L << bwi) * 960.0 * 372 / clockHz * 1e9);
  }

  /** @return T=1 character waiting time, (11 + 2^CWI) etu */
  public Duration cwt() {
    return nanos((11 + (1L << cwi)) * etuNanos());
  }

  /** @return character guard time, 12 etu plus N etu (N = 255 means the minimum, 11 etu under T=1) */
  public Duration guardTime() {
    return nanos((extraGuardTime == 255 ? 11 : 12 + extraGuardTime) * etuNanos());
  }

  private static Duration nanos(double ns) {
    return Duration.ofNanos((long) Math.ceil(ns));
  }
}
