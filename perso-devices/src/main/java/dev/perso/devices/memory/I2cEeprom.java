package dev.perso.devices.memory;

import dev.perso.core.internal.OwnedBytes;
import dev.perso.core.Bytes;
import dev.perso.core.DeviceException;
import dev.perso.core.DeviceFault;
import dev.perso.core.ValidationException;
import java.util.Objects;
import java.util.Optional;

/**
 * A 24Cxx I2C EEPROM card on a raw {@link I2cBus} (notes/transports.md §5.1, after apache/nuttx
 * {@code i2c_xx24xx.c}): device address {@code 1010 A2 A1 A0} with the address bits the chip takes from the
 * word address (P0..P2), 1- or 2-byte word addresses (MSB first), random reads, page writes that never cross
 * a page boundary (the chip would wrap inside the page), and ACK polling after each page until the write
 * cycle ends.
 *
 * <pre>{@code
 * I2cEeprom card = I2cEeprom.builder(bus, MemoryChip.AT24C64).build();
 * card.write(0x1F, Bytes.fromHex("0102"));     // two page writes: 0x1F, then 0x20
 * card.read(0x1F, 2);                           // 0102
 * }</pre>
 */
public final class I2cEeprom {
  private final I2cBus bus;
  private final MemoryChip chip;
  private final int pins;
  private final int writePage;
  private final int maxPolls;

  private I2cEeprom(Builder b) {
    this.bus = b.bus;
    this.chip = b.chip;
    this.pins = b.pins;
    this.writePage = b.writePage == 0 ? chip.pageSize() : b.writePage;
    this.maxPolls = b.maxPolls;
  }

  /**
   * @param bus the bus the card is on
   * @param chip an I2C chip
   * @return a builder: address pins 0, the chip's page size, 500 polls (as nuttx)
   */
  public static Builder builder(I2cBus bus, MemoryChip chip) {
    return new Builder(bus, chip);
  }

  /** @return the chip */
  public MemoryChip chip() {
    return chip;
  }

  /**
   * The 7-bit device address for a byte address: {@code 1010}, then the pins, with the chip's low pin bits
   * replaced by the address bits above the word address (nuttx table: AT24C04 P0, AT24C08 P1 P0, AT24C16 P2 P1
   * P0, AT24C1024 P0; AT24C128..1024 have only A1 A0 pins).
   *
   * @param address a byte address
   * @return the device address
   */
  public int deviceAddress(int address) {
    int bits = chip.deviceAddressBits();
    int high = address >>> (chip.addressBytes() * 8);
    int pinBits = chip.size() >= 16384 ? pins & 0x03 : pins & 0x07;
    int mask = (1 << bits) - 1;
    return 0x50 | (pinBits & ~mask & 0x07) | (high & mask);
  }

  private Bytes wordAddress(int address) {
    return chip.addressBytes() == 1 ? Bytes.ofUnsigned(address & 0xFF)
        : Bytes.ofUnsigned((address >>> 8) & 0xFF, address & 0xFF);
  }

  /**
   * Random read of {@code length} bytes, one transaction per block the device address covers.
   *
   * @param address the first byte
   * @param length how many bytes
   * @return the bytes
   * @throws ValidationException if the range is outside the chip
   * @throws DeviceException COMMUNICATION_ERROR if the device does not acknowledge
   */
  public Bytes read(int address, int length) {
    MemoryCard.checkRange(chip, address, length, chip.size());
    int block = 1 << (chip.addressBytes() * 8);
    byte[] out = new byte[length];
    int done = 0;
    while (done < length) {
      int a = address + done;
      int n = Math.min(length - done, block - (a % block));
      int dev = deviceAddress(a);
      Optional<Bytes> r = bus.writeRead(dev, wordAddress(a), n);
      if (r.isEmpty()) {
        throw new DeviceException("i2c 0x" + Integer.toHexString(dev), DeviceFault.COMMUNICATION_ERROR,
            "no acknowledge to a read at " + a);
      }
      if (r.get().length() != n) {
        throw new DeviceException("i2c 0x" + Integer.toHexString(dev), DeviceFault.COMMUNICATION_ERROR,
            "the bus gave " + r.get().length() + " bytes for " + n);
      }
      r.get().copyTo(out, done);
      done += n;
    }
    return OwnedBytes.wrap(out);
  }

  /**
   * Writes page by page: each write ends at a page boundary, then the device is polled until it
   * acknowledges again (its write cycle is over).
   *
   * @param address the first byte
   * @param data the bytes
   * @return how many page writes were made
   * @throws ValidationException if the range is outside the chip
   * @throws DeviceException COMMUNICATION_ERROR if the device does not acknowledge a write, TIMEOUT if it
   *     stays busy for the configured number of polls
   */
  public int write(int address, Bytes data) {
    MemoryCard.checkRange(chip, address, data.length(), chip.size());
    int done = 0;
    int pages = 0;
    while (done < data.length()) {
      int a = address + done;
      int n = Math.min(data.length() - done, writePage - (a % writePage));
      int dev = deviceAddress(a);
      if (!bus.write(dev, wordAddress(a).concat(data.slice(done, done + n)))) {
        throw new DeviceException("i2c 0x" + Integer.toHexString(dev), DeviceFault.COMMUNICATION_ERROR,
            "no acknowledge to a page write at " + a);
      }
      pages++;
      awaitWriteCycle(dev);
      done += n;
    }
    return pages;
  }

  private void awaitWriteCycle(int dev) {
    for (int i = 0; i < maxPolls; i++) {
      if (bus.write(dev, Bytes.empty())) {
        return;
      }
    }
    throw new DeviceException("i2c 0x" + Integer.toHexString(dev), DeviceFault.TIMEOUT,
        "still busy after " + maxPolls + " ACK polls");
  }

  /** Configures an {@link I2cEeprom}. */
  public static final class Builder {
    private final I2cBus bus;
    private final MemoryChip chip;
    private int pins;
    private int writePage;
    private int maxPolls = 500;

    private Builder(I2cBus bus, MemoryChip chip) {
      this.bus = Objects.requireNonNull(bus, "bus");
      this.chip = Objects.requireNonNull(chip, "chip");
      if (chip.family() != MemoryChip.Family.I2C) {
        throw new ValidationException("chip", chip.id() + " is not an I2C EEPROM");
      }
    }

    /**
     * @param value the A2 A1 A0 pins as wired, 0..7 (cards tie them to 0)
     * @return this
     */
    public Builder pins(int value) {
      if (value < 0 || value > 7) {
        throw new ValidationException("pins", "must be 0..7, was " + value);
      }
      this.pins = value;
      return this;
    }

    /**
     * Writes in blocks of this size instead of the chip's page (a reader firmware does so with its selected
     * page size); a block larger than the chip's page wraps inside the page, as the chip does.
     *
     * @param value a power of two, 1..256
     * @return this
     */
    public Builder writePage(int value) {
      if (value < 1 || value > 256 || Integer.bitCount(value) != 1) {
        throw new ValidationException("writePage", "must be a power of two 1..256, was " + value);
      }
      this.writePage = value;
      return this;
    }

    /**
     * @param value how many times to poll for the end of a write cycle, at least 1
     * @return this
     */
    public Builder maxPolls(int value) {
      if (value < 1) {
        throw new ValidationException("maxPolls", "must be at least 1, was " + value);
      }
      this.maxPolls = value;
      return this;
    }

    /** @return the driver */
    public I2cEeprom build() {
      return new I2cEeprom(this);
    }
  }
}
