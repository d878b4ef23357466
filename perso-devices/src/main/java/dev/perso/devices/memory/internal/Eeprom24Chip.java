package dev.perso.devices.memory.internal;

import dev.perso.core.internal.OwnedBytes;
import dev.perso.core.Bytes;
import dev.perso.devices.memory.I2cBus;
import dev.perso.devices.memory.MemoryChip;
import java.util.Arrays;
import java.util.Optional;

/**
 * An in-memory 24Cxx EEPROM alone on its I2C bus (notes/transports.md §5.1, nuttx {@code i2c_xx24xx.c}): it
 * answers the device addresses {@code 1010 A2 A1 A0} of its pins, with the high address bits (P0..P2) taken
 * from the device address; a write sets the word address and writes the bytes inside the current page, the
 * address wrapping at the page's end; then the chip is busy for a number of address polls (its write cycle)
 * and NACKs its address meanwhile; reads are sequential and roll over at the end of memory.
 */
public final class Eeprom24Chip implements I2cBus {
  private final MemoryChip chip;
  private final int pins;
  private final int busyPolls;
  private final byte[] mem;
  private int pointer;
  private int busy;
  private int pageWrites;

  /**
   * @param chip an I2C chip
   * @param pins its A2 A1 A0 pins
   * @param busyPolls how many address polls the write cycle lasts (0: none)
   */
  public Eeprom24Chip(MemoryChip chip, int pins, int busyPolls) {
    this.chip = chip;
    this.pins = pins;
    this.busyPolls = busyPolls;
    this.mem = new byte[chip.size()];
    Arrays.fill(mem, (byte) 0xFF);
  }

  /** @return the chip */
  public MemoryChip chip() {
    return chip;
  }

  /** @return a copy of the memory */
  public synchronized Bytes memory() {
    return Bytes.of(mem);
  }

  /** @return how many page writes the chip has taken */
  public synchronized int pageWrites() {
    return pageWrites;
  }

  /** Power off and on: a write cycle in progress ends. */
  public synchronized void powerCycle() {
    busy = 0;
  }

  /** @return the high address bits this device address selects, or -1 if the chip does not answer it */
  private int select(int address) {
    if ((address & 0x78) != 0x50) {
      return -1;
    }
    int bits = chip.deviceAddressBits();
    int mask = (1 << bits) - 1;
    int pinMask = (chip.size() >= 16384 ? 0x03 : 0x07) & ~mask;
    if ((address & 0x07 & pinMask) != (pins & pinMask)) {
      return -1;
    }
    if (chip.size() >= 16384 && (address & 0x04) != 0) {
      return -1;
    }
    return address & mask;
  }

  @Override
  public synchronized boolean write(int address, Bytes data) {
    int high = select(address);
    if (high < 0) {
      return false;
    }
    if (busy > 0) {
      busy--;
      return false;
    }
    int ab = chip.addressBytes();
    if (data.length() < ab) {
      return true; // addressed only (ACK polling) or an incomplete address: nothing written
    }
    int word = ab == 1 ? data.getUnsigned(0) : data.getUnsigned(0) << 8 | data.getUnsigned(1);
    pointer = ((high << (8 * ab)) | word) % mem.length;
    if (data.length() > ab) {
      int page = chip.pageSize();
      int base = pointer - pointer % page;
      int offset = pointer % page;
      for (int i = ab; i < data.length(); i++) {
        mem[base + offset] = data.get(i);
        offset = (offset + 1) % page;
      }
      pointer = base + offset;
      busy = busyPolls;
      pageWrites++;
    }
    return true;
  }

  @Override
  public synchronized Optional<Bytes> writeRead(int address, Bytes write, int readLength) {
    if (!write(address, write)) {
      return Optional.empty();
    }
    byte[] out = new byte[readLength];
    for (int i = 0; i < readLength; i++) {
      out[i] = mem[pointer];
      pointer = (pointer + 1) % mem.length;
    }
    return Optional.of(OwnedBytes.wrap(out));
  }
}
