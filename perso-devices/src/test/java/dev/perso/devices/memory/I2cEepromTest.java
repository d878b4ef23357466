package dev.perso.devices.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import dev.perso.core.DeviceException;
import dev.perso.core.DeviceFault;
import dev.perso.devices.memory.internal.Eeprom24Chip;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The 24Cxx driver against the in-memory chip (notes/transports.md §5.1, nuttx ee24xx_writepage/waitwritecomplete). */
class I2cEepromTest {

  /** Records every transaction on the way to the chip. */
  static final class Recording implements I2cBus {
    final I2cBus inner;
    final List<String> log = new ArrayList<>();

    Recording(I2cBus inner) {
      this.inner = inner;
    }

    @Override
    public boolean write(int address, Bytes data) {
      boolean ack = inner.write(address, data);
      log.add("W" + Integer.toHexString(address) + ":" + data.toHex() + (ack ? "" : " NACK"));
      return ack;
    }

    @Override
    public Optional<Bytes> writeRead(int address, Bytes write, int readLength) {
      Optional<Bytes> r = inner.writeRead(address, write, readLength);
      log.add("R" + Integer.toHexString(address) + ":" + write.toHex() + "/" + readLength);
      return r;
    }
  }

  @Test
  void pageWritesNeverCrossAPageBoundaryAndPollUntilTheWriteCycleEnds() {
    Eeprom24Chip chip = new Eeprom24Chip(MemoryChip.AT24C64, 0, 3);
    Recording bus = new Recording(chip);
    I2cEeprom e = I2cEeprom.builder(bus, MemoryChip.AT24C64).build();
    Bytes data = Bytes.fromHex("00112233445566778899AABBCCDDEEFF0011");
    assertThat(e.write(0x1E, data)).isEqualTo(2); // 0x1E..0x1F, then 0x20..0x2F (32-byte pages)
    // 2-byte word address MSB first; each page write then 3 NACKed polls and one ACK (device 1010 000)
    assertThat(bus.log).containsExactly(
        "W50:001E0011", "W50: NACK", "W50: NACK", "W50: NACK", "W50:",
        "W50:00202233445566778899AABBCCDDEEFF0011", "W50: NACK", "W50: NACK", "W50: NACK", "W50:");
    assertThat(e.read(0x1E, data.length())).isEqualTo(data);
    assertThat(chip.pageWrites()).isEqualTo(2);
  }

  @Test
  void aBlockLargerThanThePageWrapsInsideThePageAsTheChipDoes() {
    Eeprom24Chip chip = new Eeprom24Chip(MemoryChip.AT24C02, 0, 0);
    I2cEeprom wide = I2cEeprom.builder(chip, MemoryChip.AT24C02).writePage(16).build();
    wide.write(0x00, Bytes.fromHex("000102030405060708090A0B0C0D0E0F"));
    // AT24C02 pages are 8 bytes: bytes 8..15 wrapped onto 0..7 of the same page.
    assertThat(chip.memory().slice(0, 16)).isEqualTo(Bytes.fromHex("08090A0B0C0D0E0FFFFFFFFFFFFFFFFF"));
  }

  @Test
  void oneByteAddressChipsPutTheHighBitsInTheDeviceAddress() {
    // notes §5.1: AT24C16 1010 P2 P1 P0; AT24C04 1010 A2 A1 P0; AT24C1024 10100 A1 P0
    assertThat(I2cEeprom.builder(new Eeprom24Chip(MemoryChip.AT24C16, 0, 0), MemoryChip.AT24C16).build()
        .deviceAddress(0x7FF)).isEqualTo(0x57);
    assertThat(I2cEeprom.builder(new Eeprom24Chip(MemoryChip.AT24C04, 6, 0), MemoryChip.AT24C04).pins(6).build()
        .deviceAddress(0x1FF)).isEqualTo(0x57);
    assertThat(I2cEeprom.builder(new Eeprom24Chip(MemoryChip.AT24C1024, 2, 0), MemoryChip.AT24C1024).pins(2).build()
        .deviceAddress(0x1FFFF)).isEqualTo(0x53);
    Eeprom24Chip c16 = new Eeprom24Chip(MemoryChip.AT24C16, 0, 1);
    Recording bus = new Recording(c16);
    I2cEeprom e = I2cEeprom.builder(bus, MemoryChip.AT24C16).build();
    e.write(0x1FE, Bytes.fromHex("A1A2A3A4"));
    assertThat(bus.log.get(0)).isEqualTo("W51:FEA1A2"); // 1-byte word address FE at device 1010 001
    assertThat(e.read(0x1FE, 4)).isEqualTo(Bytes.fromHex("A1A2A3A4"));
    assertThat(c16.memory().slice(0x1FE, 0x202)).isEqualTo(Bytes.fromHex("A1A2A3A4"));
  }

  @Test
  void aDeviceThatStaysBusyIsATimeoutAndAMissingOneACommunicationError() {
    Eeprom24Chip slow = new Eeprom24Chip(MemoryChip.AT24C02, 0, 10);
    I2cEeprom e = I2cEeprom.builder(slow, MemoryChip.AT24C02).maxPolls(5).build();
    assertThatThrownBy(() -> e.write(0, Bytes.fromHex("01"))).isInstanceOf(DeviceException.class)
        .satisfies(x -> assertThat(((DeviceException) x).fault()).isEqualTo(DeviceFault.TIMEOUT))
        .hasMessageContaining("5 ACK polls");
    Eeprom24Chip other = new Eeprom24Chip(MemoryChip.AT24C02, 7, 0); // pins 111: never answers 1010 000
    I2cEeprom absent = I2cEeprom.builder(other, MemoryChip.AT24C02).build();
    assertThatThrownBy(() -> absent.read(0, 1)).isInstanceOf(DeviceException.class)
        .satisfies(x -> assertThat(((DeviceException) x).fault()).isEqualTo(DeviceFault.COMMUNICATION_ERROR));
  }

  @Test
  void readsRollOverNeverAndRangesAreChecked() {
    Eeprom24Chip chip = new Eeprom24Chip(MemoryChip.AT24C01, 0, 0);
    I2cEeprom e = I2cEeprom.builder(chip, MemoryChip.AT24C01).build();
    assertThatThrownBy(() -> e.read(120, 9)).isInstanceOf(dev.perso.core.ValidationException.class)
        .hasMessageContaining("0..127");
  }
}
