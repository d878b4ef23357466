package dev.perso.devices.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.ValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MemoryChipTest {

  // notes/transports.md §5.1 table, from apache/nuttx@0dccc8ba drivers/eeprom/i2c_xx24xx.c
  @ParameterizedTest
  @CsvSource({
      "AT24C01, 128, 8, 1, 0", "AT24C02, 256, 8, 1, 0", "AT24C04, 512, 16, 1, 1", "AT24C08, 1024, 16, 1, 2",
      "AT24C16, 2048, 16, 1, 3", "AT24C32, 4096, 32, 2, 0", "AT24C64, 8192, 32, 2, 0", "AT24C128, 16384, 64, 2, 0",
      "AT24C256, 32768, 64, 2, 0", "AT24C512, 65536, 128, 2, 0", "AT24C1024, 131072, 256, 2, 1"})
  void i2cLayoutsFollowTheNotesTable(MemoryChip chip, int size, int page, int addressBytes, int deviceBits) {
    assertThat(chip.size()).isEqualTo(size);
    assertThat(chip.pageSize()).isEqualTo(page);
    assertThat(chip.addressBytes()).isEqualTo(addressBytes);
    assertThat(chip.deviceAddressBits()).isEqualTo(deviceBits);
    assertThat(chip.hasCode()).isFalse();
    assertThat(chip.acsCardType()).isEqualTo(addressBytes == 1 ? 0x01 : 0x02); // notes §5.2 SELECT_CARD_TYPE
  }

  // notes §5.1: SLE44x2 256 bytes / 32 protection bits / 3 tries; SLE44x8 1 KiB / per byte / 8 tries
  @ParameterizedTest
  @CsvSource({
      "SLE4432, 256, 0, 0, 6", "SLE4442, 256, 3, 3, 6", "SLE5532, 256, 0, 0, 6", "SLE5542, 256, 3, 3, 6",
      "SLE4418, 1024, 0, 0, 5", "SLE4428, 1024, 2, 8, 5", "SLE5518, 1024, 0, 0, 5", "SLE5528, 1024, 2, 8, 5"})
  void sleLayouts(MemoryChip chip, int size, int codeLength, int tries, int acsType) {
    assertThat(chip.size()).isEqualTo(size);
    assertThat(chip.codeLength()).isEqualTo(codeLength);
    assertThat(chip.maxTries()).isEqualTo(tries);
    assertThat(chip.acsCardType()).isEqualTo(acsType);
  }

  @Test
  void protectableBytesAndDataSize() {
    assertThat(MemoryChip.SLE4442.protectable(31)).isTrue();
    assertThat(MemoryChip.SLE4442.protectable(32)).isFalse();
    assertThat(MemoryChip.SLE4428.protectable(1000)).isTrue();
    assertThat(MemoryChip.AT24C02.protectable(0)).isFalse();
    assertThat(MemoryChip.SLE4428.dataSize()).isEqualTo(1021);  // 1021 EC, 1022-1023 PSC (notes §5.1)
    assertThat(MemoryChip.SLE4418.dataSize()).isEqualTo(1024);
  }

  @Test
  void namesInAnyCase() {
    assertThat(MemoryChip.named("sle4442")).isEqualTo(MemoryChip.SLE4442);
    assertThat(MemoryChip.named("24c64")).isEqualTo(MemoryChip.AT24C64);
    assertThatThrownBy(() -> MemoryChip.named("sle9999")).isInstanceOf(ValidationException.class)
        .hasMessageContaining("sle4442");
  }
}
