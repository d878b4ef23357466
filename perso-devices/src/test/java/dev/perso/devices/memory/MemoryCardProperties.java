package dev.perso.devices.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perso.core.Bytes;
import dev.perso.core.PersoException;
import dev.perso.core.SecretBytes;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.card.VirtualCard;
import dev.perso.devices.memory.internal.Eeprom24Chip;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class MemoryCardProperties {

  @Provide
  Arbitrary<MemoryChip> chips() {
    return Arbitraries.of(MemoryChip.SLE4442, MemoryChip.SLE5542, MemoryChip.SLE4432, MemoryChip.SLE4428,
        MemoryChip.SLE4418, MemoryChip.AT24C01, MemoryChip.AT24C04, MemoryChip.AT24C16, MemoryChip.AT24C64,
        MemoryChip.AT24C512, MemoryChip.AT24C1024);
  }

  /** Random images written through the ACS dialect read back identical, and only where they were written. */
  @Property(tries = 150)
  void randomImagesReadBackIdentical(@ForAll("chips") MemoryChip chip, @ForAll @Size(min = 1, max = 400) byte[] image,
      @ForAll @IntRange(min = 0, max = 1 << 17) int where) {
    VirtualMemoryCard v = VirtualMemoryCard.builder(chip).writeCyclePolls(where % 3).build();
    MemoryCard card = MemoryCard.builder(VirtualCard.connect(v), chip).build();
    int low = chip.family() == MemoryChip.Family.SLE44X8 ? 27 : 0; // above the factory-locked bytes
    int n = Math.min(image.length, chip.dataSize() - low);
    int address = low + where % (chip.dataSize() - low - n + 1);
    Bytes data = Bytes.of(image, 0, n);
    if (chip.hasCode()) {
      card.presentCode(SecretBytes.fromHex("FF".repeat(chip.codeLength())));
    }
    Bytes before = v.memory();
    card.write(address, data);
    assertThat(card.read(address, n)).isEqualTo(data);
    Bytes after = v.memory();
    assertThat(after.slice(0, address)).isEqualTo(before.slice(0, address));
    assertThat(after.slice(address + n)).isEqualTo(before.slice(address + n));
  }

  /** The raw driver's page writes never cross a page and read back identical. */
  @Property(tries = 200)
  void rawI2cWritesReadBack(@ForAll("i2c") MemoryChip chip, @ForAll @Size(min = 1, max = 600) byte[] image,
      @ForAll @IntRange(min = 0, max = 1 << 17) int where, @ForAll @IntRange(min = 0, max = 4) int busy) {
    Eeprom24Chip model = new Eeprom24Chip(chip, 0, busy);
    I2cEeprom e = I2cEeprom.builder(model, chip).build();
    int n = Math.min(image.length, chip.size());
    int address = where % (chip.size() - n + 1);
    Bytes data = Bytes.of(image, 0, n);
    int pages = e.write(address, data);
    int page = chip.pageSize();
    assertThat(pages).isEqualTo((address + n - 1) / page - address / page + 1);
    assertThat(e.read(address, n)).isEqualTo(data);
    assertThat(model.memory().slice(address, address + n)).isEqualTo(data);
  }

  @Provide
  Arbitrary<MemoryChip> i2c() {
    return Arbitraries.of(MemoryChip.values()).filter(c -> c.family() == MemoryChip.Family.I2C);
  }

  /** A reader answering anything at all: every operation ends in a value or our exception, never another one. */
  @Property(tries = 400)
  void randomReaderAnswersGiveOnlyOurExceptions(@ForAll("chips") MemoryChip chip, @ForAll long seed,
      @ForAll("answers") List<byte[]> answers) {
    Random random = new Random(seed);
    VirtualCard reader = new VirtualCard() {
      private int i;

      @Override
      public Bytes atr() {
        return Bytes.fromHex("3B04A2131091");
      }

      @Override
      public ResponseApdu process(CommandApdu command) {
        byte[] a = answers.get(i++ % answers.size());
        if (random.nextInt(4) == 0) {
          return ResponseApdu.of(Bytes.of(a), 0x9000); // often the right status with any data
        }
        return ResponseApdu.parse(a.length < 2 ? new byte[] {(byte) 0x90, (byte) random.nextInt(256)} : a);
      }

      @Override
      public Bytes reset() {
        return atr();
      }
    };
    for (int op = 0; op < 8; op++) {
      try {
        MemoryCard card = MemoryCard.builder(VirtualCard.connect(reader), chip)
            .dialect(random.nextBoolean() ? MemoryCardDialect.acs() : MemoryCardDialect.pcscPart3()).build();
        int a = random.nextInt(Math.max(1, chip.dataSize() - 40));
        switch (op) {
          case 0 -> card.read(a, 1 + random.nextInt(40));
          case 1 -> card.triesLeft();
          case 2 -> card.presentCode(SecretBytes.fromHex("FF".repeat(Math.max(1, chip.codeLength()))));
          case 3 -> card.protection(0, Math.min(64, chip.size()));
          case 4 -> card.write(a, Bytes.fromHex("0102"));
          case 5 -> card.protect(0, 2);
          case 6 -> card.changeCode(SecretBytes.fromHex("00".repeat(Math.max(1, chip.codeLength()))));
          default -> card.protectedRanges();
        }
      } catch (PersoException expected) {
        // the only acceptable failure
      }
    }
  }

  @Provide
  Arbitrary<List<byte[]>> answers() {
    Arbitrary<byte[]> any = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
    Arbitrary<byte[]> sw = Arbitraries.of(new byte[] {(byte) 0x90, 0x07}, new byte[] {(byte) 0x90, 0x00},
        new byte[] {(byte) 0x90, (byte) 0xFF}, new byte[] {0x63, (byte) 0xC2}, new byte[] {0x69, (byte) 0x83});
    return Arbitraries.oneOf(any, sw).list().ofMinSize(1).ofMaxSize(12);
  }
}
