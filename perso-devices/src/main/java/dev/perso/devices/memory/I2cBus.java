package dev.perso.devices.memory;

import dev.perso.core.Bytes;
import java.util.Optional;

/**
 * A raw I2C bus as a station's bus adapter drives it, at the transaction level (notes/transports.md §5.1):
 * START, a 7-bit device address with the R/W bit, bytes acknowledged one by one, STOP. Used by
 * {@link I2cEeprom} for 24Cxx cards; an adapter (USB-I2C bridge, Linux {@code i2c-dev}) implements it.
 *
 * <pre>{@code
 * I2cBus bus = ...;                                      // the station's adapter
 * boolean idle = bus.write(0x50, Bytes.empty());         // ACK polling: START, 1010 000 0, STOP
 * Optional<Bytes> b = bus.writeRead(0x50, Bytes.fromHex("10"), 4);
 * }</pre>
 */
public interface I2cBus {

  /**
   * START, {@code address} with W, the bytes, STOP. An empty {@code data} only addresses the device: that is
   * how ACK polling asks whether an EEPROM has finished its write cycle.
   *
   * @param address the 7-bit device address, 0..127
   * @param data the bytes after the address byte
   * @return false if the device did not acknowledge its address (busy or absent); nothing was written then
   */
  boolean write(int address, Bytes data);

  /**
   * START, {@code address} with W, {@code write}, repeated START, {@code address} with R, {@code readLength}
   * bytes (ACK after each but the last, NACK after the last), STOP.
   *
   * @param address the 7-bit device address, 0..127
   * @param write the bytes to write first (a word address)
   * @param readLength how many bytes to read, at least 1
   * @return the bytes read, or empty if the device did not acknowledge its address
   */
  Optional<Bytes> writeRead(int address, Bytes write, int readLength);
}
