package dev.perso.devices.memory.internal;

import dev.perso.core.internal.OwnedBytes;
import dev.perso.core.Bytes;
import dev.perso.devices.memory.Sle44x2Wire;
import dev.perso.devices.memory.TwoWireBus;
import java.util.Arrays;

/**
 * An in-memory SLE 4432/4442 chip on its 2-wire bus, with the chip's state machine (notes/transports.md §5.1):
 * 256 bytes of main memory (ATR header in bytes 0-3), 32 protection bits written by AND (bit 0 = protected,
 * irreversible), and for the 4442 the security memory: a 3-bit error counter that can only lose bits until
 * a compare sequence matched the PSC, then may be erased back to {@code 07} (which unlocks the chip until
 * power-off), and the 3-byte PSC that reads {@code 00} while locked. Unsupported commands and writes the chip
 * refuses are ignored, as the chip ignores them.
 */
public final class Sle44x2Chip implements TwoWireBus {
  /** The ATR header of an SLE4442 (notes §5.1): raw A2 13 10 91. */
  public static final Bytes ATR_4442 = Bytes.fromHex("A2131091");

  private final boolean hasCode;
  private final byte[] main = new byte[256];
  private int protection = 0xFFFFFFFF; // bit a = address a, 1 = writable
  private int ec;
  private final byte[] psc = new byte[3];
  private boolean unlocked;
  private boolean comparing;
  private int matched;
  private int compared;

  /**
   * A fresh chip: ATR header A2 13 10 91, the rest erased to FF, nothing protected, error counter 07 and PSC
   * as given.
   *
   * @param hasCode true for the SLE4442/5542
   * @param psc the transport PSC (3 bytes), ignored without code
   * @param errorCounter the error counter's raw value (07 for a fresh card)
   */
  public Sle44x2Chip(boolean hasCode, Bytes psc, int errorCounter) {
    this.hasCode = hasCode;
    Arrays.fill(main, (byte) 0xFF);
    ATR_4442.copyTo(main, 0);
    if (hasCode) {
      psc.copyTo(this.psc, 0);
      ec = errorCounter & 0x07;
    }
    unlocked = !hasCode;
  }

  /** Power off and on: the verification is forgotten. */
  public synchronized void powerCycle() {
    unlocked = !hasCode;
    comparing = false;
  }

  /** @return the raw error counter */
  public synchronized int errorCounter() {
    return ec;
  }

  /** @return a copy of the main memory, for tests */
  public synchronized Bytes mainMemory() {
    return Bytes.of(main);
  }

  /** @return the protection bits, bit a = address a, 1 = writable */
  public synchronized int protectionBits() {
    return protection;
  }

  /** @return whether the PSC has been verified since power-on */
  public synchronized boolean unlocked() {
    return unlocked;
  }

  @Override
  public synchronized Bytes answerToReset() {
    powerCycle();
    return Bytes.of(main, 0, 4);
  }

  @Override
  public synchronized Bytes outgoing(int command, int address, int data, int length) {
    comparingEndsUnlessCompare(command);
    byte[] out = new byte[length];
    switch (command) {
      case Sle44x2Wire.READ_MAIN -> {
        for (int i = 0; i < length; i++) {
          out[i] = main[(address + i) & 0xFF];
        }
      }
      case Sle44x2Wire.READ_PROTECTION -> {
        for (int i = 0; i < length; i++) {
          out[i] = (byte) (protection >>> (8 * (i & 3)));
        }
      }
      case Sle44x2Wire.READ_SECURITY -> {
        byte[] sec = {(byte) ec, unlocked ? psc[0] : 0, unlocked ? psc[1] : 0, unlocked ? psc[2] : 0};
        for (int i = 0; i < length; i++) {
          out[i] = hasCode ? sec[i & 3] : (byte) 0xFF;
        }
      }
      default -> Arrays.fill(out, (byte) 0xFF); // I/O stays high: nothing clocked out
    }
    return OwnedBytes.wrap(out);
  }

  @Override
  public synchronized void processing(int command, int address, int data) {
    comparingEndsUnlessCompare(command);
    address &= 0xFF;
    data &= 0xFF;
    switch (command) {
      case Sle44x2Wire.UPDATE_MAIN -> {
        if (unlocked && (address >= 32 || (protection >>> address & 1) == 1)) {
          main[address] = (byte) data;
        }
      }
      case Sle44x2Wire.WRITE_PROTECTION -> {
        if (unlocked && address < 32 && (main[address] & 0xFF) == data) {
          protection &= ~(1 << address);
        }
      }
      case Sle44x2Wire.UPDATE_SECURITY -> updateSecurity(address, data);
      case Sle44x2Wire.COMPARE -> {
        if (hasCode && comparing && address >= 1 && address <= 3) {
          compared |= 1 << (address - 1);
          if ((psc[address - 1] & 0xFF) == data) {
            matched |= 1 << (address - 1);
          }
        }
      }
      default -> {
        // not a command this chip knows: ignored
      }
    }
  }

  private void comparingEndsUnlessCompare(int command) {
    if (command != Sle44x2Wire.COMPARE && command != Sle44x2Wire.UPDATE_SECURITY) {
      comparing = false;
    }
  }

  private void updateSecurity(int address, int data) {
    if (!hasCode) {
      return;
    }
    if (address == 0) {
      if (unlocked) {
        ec = data & 0x07;
        return;
      }
      int anded = ec & data & 0x07;
      if (Integer.bitCount(anded) < Integer.bitCount(ec)) {
        ec = anded;              // a bit written to 0: a try is spent, compares may follow
        comparing = true;
        matched = 0;
        compared = 0;
      } else if (comparing && compared == 0x07 && matched == 0x07 && (data & 0x07) != ec) {
        ec = data & 0x07;        // erase allowed only after all three PSC bytes matched
        unlocked = true;
        comparing = false;
      } else {
        comparing = false;
      }
      return;
    }
    if (address <= 3 && unlocked) {
      psc[address - 1] = (byte) data;
    }
  }
}
