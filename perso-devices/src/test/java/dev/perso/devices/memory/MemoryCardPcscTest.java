package dev.perso.devices.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import dev.perso.core.SecretBytes;
import dev.perso.core.channel.CardChannel;
import dev.perso.devices.pcsc.PcscReaders;
import dev.perso.devices.pcsc.VpcdBridge;
import dev.perso.devices.testing.Pcscd;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The virtual memory cards answer the ACS dialect through a real pcscd and a vsmartcard-vpcd reader
 * (notes/transports.md §3.3 recipe, §5.2 pseudo-APDUs).
 */
@Tag("pcscd")
@ExtendWith(Pcscd.class)
@Timeout(120)
class MemoryCardPcscTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** Inserts the card into slot A, runs the body on a channel through pcscd, removes it. */
  static void inReader(VirtualMemoryCard v, java.util.function.Consumer<CardChannel> body) {
    try (VpcdBridge slot = VpcdBridge.insert(v, "127.0.0.1", Pcscd.PORT_A, WAIT)) {
      assertThat(PcscReaders.system().waitForCard(Pcscd.READER_A, WAIT)).isTrue();
      try (CardChannel ch = PcscReaders.system().open(Pcscd.READER_A)) {
        body.accept(ch);
      }
    } finally {
      PcscReaders.system().waitForRemoval(Pcscd.READER_A, WAIT);
    }
  }

  @Test
  void sle4442EveryOperationThroughPcscd() {
    VirtualMemoryCard v = VirtualMemoryCard.builder(MemoryChip.SLE4442).build();
    SecretBytes transport = SecretBytes.fromHex("FFFFFF");
    SecretBytes perCard = SecretBytes.fromHex("13579B");
    inReader(v, ch -> {
      MemoryCard card = MemoryCard.builder(ch, MemoryChip.SLE4442).build();
      assertThat(card.read(0, 4)).isEqualTo(Bytes.fromHex("A2131091")); // ATR header in bytes 0-3 (notes §5.1)
      assertThat(card.triesLeft()).isEqualTo(3);
      assertThatThrownBy(() -> card.presentCode(SecretBytes.fromHex("000000")))
          .satisfies(e -> assertThat(((MemoryCardException) e).triesLeft()).isEqualTo(2));
      assertThat(card.presentCode(transport)).isEqualTo(3);
      Bytes image = Bytes.fromHex("00112233445566778899AABBCCDDEEFF".repeat(12));
      card.write(32, image);
      card.write(16, Bytes.fromHex("C0FFEE"));
      card.protect(16, 3);
      assertThat(card.protectedRanges()).containsExactly(new int[] {16, 18});
      assertThatThrownBy(() -> card.write(18, Bytes.fromHex("00"))).satisfies(e ->
          assertThat(((MemoryCardException) e).reason()).isEqualTo(MemoryCardException.Reason.PROTECTED));
      card.changeCode(perCard);
      assertThat(card.readAll().slice(32, 32 + image.length())).isEqualTo(image);
    });
    // A fresh connection (the card reset): the transport code no longer works, the per-card one does.
    inReader(v, ch -> {
      MemoryCard card = MemoryCard.builder(ch, MemoryChip.SLE4442).build();
      assertThat(card.presentCode(perCard)).isEqualTo(3);
    });
    assertThat(v.isProtected(16)).isTrue();
  }

  @Test
  void aCardAtTheFloorIsRefusedWithoutACommandThroughPcscd() {
    VirtualMemoryCard v = VirtualMemoryCard.builder(MemoryChip.SLE4442).triesLeft(1).build();
    inReader(v, ch -> {
      MemoryCard card = MemoryCard.builder(ch, MemoryChip.SLE4442).build();
      assertThatThrownBy(() -> card.presentCode(SecretBytes.fromHex("FFFFFF"))).satisfies(e ->
          assertThat(((MemoryCardException) e).reason()).isEqualTo(MemoryCardException.Reason.TRY_FLOOR));
    });
    assertThat(v.presentations()).isZero();
    assertThat(v.triesLeft()).isEqualTo(1);
  }

  @Test
  void sle4428ThroughPcscd() {
    VirtualMemoryCard v = VirtualMemoryCard.builder(MemoryChip.SLE4428).build();
    inReader(v, ch -> {
      MemoryCard card = MemoryCard.builder(ch, MemoryChip.SLE4428).build();
      assertThat(card.triesLeft()).isEqualTo(8);
      assertThatThrownBy(() -> card.presentCode(SecretBytes.fromHex("0000"))).satisfies(e ->
          assertThat(((MemoryCardException) e).triesLeft()).isEqualTo(7));
      card.presentCode(SecretBytes.fromHex("FFFF"));
      Bytes image = Bytes.fromHex("5A".repeat(500));
      card.write(100, image);
      card.protect(100, 10);
      assertThat(card.protectedRanges()).containsExactly(new int[] {0, 7}, new int[] {21, 26}, new int[] {100, 109});
      card.changeCode(SecretBytes.fromHex("2468"));
      assertThat(card.read(100, 500)).isEqualTo(image);
    });
  }

  @Test
  void theStepOnAPcscChipStation() throws Exception {
    dev.perso.core.step.CardType type = MemoryCardStepTest.loyalty();
    MemoryCardStep step = (MemoryCardStep) type.steps().get(0);
    dev.perso.core.record.CardRecord r = MemoryCardStepTest.record(
        "{\"data\": [{\"address\": 64, \"text\": \"0007 HOPPER\"}], \"code\": \"0A0B0C\"}");
    VirtualMemoryCard v = (VirtualMemoryCard) type.virtualCardStock().orElseThrow()
        .apply(new dev.perso.core.device.CardTag(7, "0007"));
    try (VpcdBridge slot = VpcdBridge.insert(v, "127.0.0.1", Pcscd.PORT_A, WAIT);
        dev.perso.core.device.ChipStation station = (dev.perso.core.device.ChipStation) dev.perso.core.device.Devices
            .open("pcsc:" + Pcscd.READER_A.replace("?", "%3F"))) {
      assertThat(PcscReaders.system().waitForCard(Pcscd.READER_A, WAIT)).isTrue();
      dev.perso.core.testing.TestStepContext ctx = new dev.perso.core.testing.TestStepContext(r)
          .device(dev.perso.core.device.DeviceRole.CHIP_STATION, station);
      step.run(ctx);
    } finally {
      PcscReaders.system().waitForRemoval(Pcscd.READER_A, WAIT);
    }
    assertThat(v.memory().slice(64, 75)).isEqualTo(Bytes.of("0007 HOPPER".getBytes()));
    assertThat(v.isProtected(31)).isTrue();
    assertThat(MemoryCard.builder(dev.perso.core.card.VirtualCard.connect(v), MemoryChip.SLE4442).build()
        .presentCode(SecretBytes.fromHex("0A0B0C"))).isEqualTo(3);
  }

  @Test
  void i2cCardsThroughPcscd() {
    for (MemoryChip chip : new MemoryChip[] {MemoryChip.AT24C16, MemoryChip.AT24C64, MemoryChip.AT24C1024}) {
      VirtualMemoryCard v = VirtualMemoryCard.builder(chip).build();
      inReader(v, ch -> {
        MemoryCard card = MemoryCard.builder(ch, chip).build();
        Bytes image = Bytes.fromHex("0F1E2D3C4B5A69788796A5B4C3D2E1F0".repeat(20));
        int at = chip.size() - image.length() - 3;
        card.write(at, image);
        assertThat(card.read(at, image.length())).as(chip.id()).isEqualTo(image);
      });
    }
  }
}
