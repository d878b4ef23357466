package dev.perso.devices.memory.internal;

import dev.perso.core.Bytes;
import java.util.Arrays;

/**
 * An in-memory SLE 4418/4428 chip with the chip's state machine (notes/transports.md §5.1): 1024 bytes, one
 * protection bit per byte (cleared by a protect write whose data equals the byte; irreversible), bytes 0-7
 * and 21-26 protected by the factory; for the 4428 an 8-bit error counter at 1021 that only loses bits until
 * the 2-byte PSC at 1022-1023 matched (then it is erased to {@code FF} and the chip is unlocked until
 * power-off), and the PSC reads {@code 00} while locked. Writes the chip refuses are ignored.
 */
public final class Sle44x8Chip {
  /** The error counter's address. */
  public static final int EC = 1021;
  /** The PSC's first address. */
  public static final int PSC = 1022;
  /** The raw ATR header the notes give for a 1 KiB synchronous card (H2 = 23). */
  public static final Bytes ATR_4428 = Bytes.fromHex("92231091");

  private final boolean hasCode;
  private final byte[] mem = new byte[1024];
  private final boolean[] protectedByte = new boolean[1024];
  private boolean unlocked;

  /**
   * @param hasCode true for the SLE4428/5528
   * @param psc the transport PSC (2 bytes), ignored without code
   * @param errorCounter the error counter's raw value (FF for a fresh card)
   */
  public Sle44x8Chip(boolean hasCode, Bytes psc, int errorCounter) {
    this.hasCode = hasCode;
    Arrays.fill(mem, (byte) 0xFF);
    ATR_4428.copyTo(mem, 0);
    for (int a = 0; a < 8; a++) {
      protectedByte[a] = true;
    }
    for (int a = 21; a <= 26; a++) {
      protectedByte[a] = true;
    }
    if (hasCode) {
      psc.copyTo(mem, PSC);
      mem[EC] = (byte) errorCounter;
    }
    unlocked = !hasCode;
  }

  /** Power off and on: the verification is forgotten. */
  public synchronized void powerCycle() {
    unlocked = !hasCode;
  }

  /** @return the 4 ATR bytes (memory bytes 0-3) */
  public synchronized Bytes atr() {
    return Bytes.of(mem, 0, 4);
  }

  /**
   * @param address 0..1023
   * @return the byte; the PSC reads 00 until verified
   */
  public synchronized int read(int address) {
    if (hasCode && address >= PSC && !unlocked) {
      return 0;
    }
    return mem[address] & 0xFF;
  }

  /**
   * @param address 0..1023
   * @return whether the byte is protected
   */
  public synchronized boolean isProtected(int address) {
    return protectedByte[address];
  }

  /** @return the raw error counter */
  public synchronized int errorCounter() {
    return hasCode ? mem[EC] & 0xFF : 0;
  }

  /**
   * Write without protect bit (erase and write), ignored when locked or protected; the error counter can be
   * written only by AND while locked.
   *
   * @param address 0..1023
   * @param data the byte
   */
  public synchronized void write(int address, int data) {
    if (hasCode && address == EC && !unlocked) {
      mem[EC] &= (byte) data;
      return;
    }
    if (unlocked && !protectedByte[address]) {
      mem[address] = (byte) data;
    }
  }

  /**
   * Write with protect bit in the compare mode the readers use: protects the byte iff the data equals it.
   *
   * @param address 0..1023
   * @param data the byte as stored
   */
  public synchronized void protect(int address, int data) {
    if (unlocked && (mem[address] & 0xFF) == data) {
      protectedByte[address] = true;
    }
  }

  /**
   * The verification: one bit of the error counter is written to 0, the two PSC bytes compared; on a match
   * the counter is erased to FF and the chip unlocked. A counter at 0 is not touched.
   *
   * @param b1 PSC byte 1
   * @param b2 PSC byte 2
   * @return the error counter after the attempt
   */
  public synchronized int present(int b1, int b2) {
    if (!hasCode) {
      return 0xFF;
    }
    int ec = mem[EC] & 0xFF;
    if (ec == 0) {
      return 0;
    }
    mem[EC] = (byte) (ec & (ec - 1));
    if ((mem[PSC] & 0xFF) == b1 && (mem[PSC + 1] & 0xFF) == b2) {
      mem[EC] = (byte) 0xFF;
      unlocked = true;
    }
    return mem[EC] & 0xFF;
  }

  /** @return whether the PSC has been verified since power-on */
  public synchronized boolean unlocked() {
    return unlocked;
  }
}
