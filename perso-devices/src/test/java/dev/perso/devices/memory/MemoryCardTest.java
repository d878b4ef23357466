package dev.perso.devices.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import dev.perso.core.SecretBytes;
import dev.perso.core.ValidationException;
import dev.perso.core.card.VirtualCard;
import dev.perso.core.channel.CardChannel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The safety rules of issue 15 against the virtual cards in-process (the same cards run through pcscd in MemoryCardPcscTest). */
class MemoryCardTest {
  private static final SecretBytes TRANSPORT = SecretBytes.fromHex("FFFFFF");
  private static final SecretBytes WRONG = SecretBytes.fromHex("000000");

  private static MemoryCard open(VirtualMemoryCard v) {
    return MemoryCard.builder(VirtualCard.connect(v), v.chip()).build();
  }

  @Test
  void aWrongCodeSpendsATryIsReportedAndNeverRetried() {
    VirtualMemoryCard v = VirtualMemoryCard.builder(MemoryChip.SLE4442).build();
    MemoryCard card = open(v);
    assertThat(card.triesLeft()).isEqualTo(3);
    assertThatThrownBy(() -> card.presentCode(WRONG)).isInstanceOf(MemoryCardException.class)
        .satisfies(e -> {
          MemoryCardException m = (MemoryCardException) e;
          assertThat(m.reason()).isEqualTo(MemoryCardException.Reason.WRONG_CODE);
          assertThat(m.triesLeft()).isEqualTo(2);
        }).hasMessageContaining("2 tries left").hasMessageNotContaining("000000");
    assertThat(v.presentations()).isEqualTo(1);
    assertThat(v.triesLeft()).isEqualTo(2);
    assertThat(card.presentCode(TRANSPORT)).isEqualTo(3);
    assertThat(card.verified()).isTrue();
  }

  @Test
  void aCardBelowTheFloorIsRefusedWithNoCodeSent() {
    VirtualMemoryCard v = VirtualMemoryCard.builder(MemoryChip.SLE4442).triesLeft(1).build();
    MemoryCard card = open(v);
    assertThatThrownBy(() -> card.presentCode(TRANSPORT)).isInstanceOf(MemoryCardException.class)
        .satisfies(e -> assertThat(((MemoryCardException) e).reason()).isEqualTo(MemoryCardException.Reason.TRY_FLOOR))
        .hasMessageContaining("1 tries left, fewer than the floor of 2");
    assertThat(v.presentations()).isZero();
    VirtualMemoryCard locked = VirtualMemoryCard.builder(MemoryChip.SLE4428).triesLeft(0).build();
    assertThatThrownBy(() -> MemoryCard.builder(VirtualCard.connect(locked), MemoryChip.SLE4428).tryFloor(1).build()
        .presentCode(SecretBytes.fromHex("FFFF")))
        .satisfies(e -> assertThat(((MemoryCardException) e).reason()).isEqualTo(MemoryCardException.Reason.LOCKED));
    assertThat(locked.presentations()).isZero();
  }

  @Test
  void aFloorOfOneAllowsTheLastTry() {
    VirtualMemoryCard v = VirtualMemoryCard.builder(MemoryChip.SLE4442).triesLeft(1).build();
    MemoryCard card = MemoryCard.builder(VirtualCard.connect(v), MemoryChip.SLE4442).tryFloor(1).build();
    assertThat(card.presentCode(TRANSPORT)).isEqualTo(3);
    assertThatThrownBy(() -> MemoryCard.builder(VirtualCard.connect(v), MemoryChip.SLE4442).tryFloor(4))
        .isInstanceOf(ValidationException.class);
  }

  @Test
  void writesNeedAVerifiedCodeAndAreReadBack() {
    VirtualMemoryCard v = VirtualMemoryCard.builder(MemoryChip.SLE4442).build();
    MemoryCard card = open(v);
    int before = v.commands();
    assertThatThrownBy(() -> card.write(0x40, Bytes.fromHex("01")))
        .satisfies(e -> assertThat(((MemoryCardException) e).reason()).isEqualTo(MemoryCardException.Reason.NOT_VERIFIED));
    assertThat(v.commands()).isEqualTo(before);
    card.presentCode(TRANSPORT);
    Bytes image = Bytes.fromHex("0102030405060708090A0B0C0D0E0F10111213");
    card.write(0x20, image);
    assertThat(card.read(0x20, image.length())).isEqualTo(image);
    assertThat(v.memory().slice(0x20, 0x20 + image.length())).isEqualTo(image);
  }

  @Test
  void protectionIsExplicitVerifiedAndProtectedBytesAreRefusedBeforeSending() {
    VirtualMemoryCard v = VirtualMemoryCard.builder(MemoryChip.SLE4442).build();
    MemoryCard card = open(v);
    card.presentCode(TRANSPORT);
    card.write(8, Bytes.fromHex("CAFEBABE"));
    card.protect(8, 4);
    assertThat(v.isProtected(8)).isTrue();
    assertThat(v.isProtected(12)).isFalse();
    assertThat(card.protectedRanges()).containsExactly(new int[] {8, 11});
    int before = v.commands();
    assertThatThrownBy(() -> card.write(6, Bytes.fromHex("00000000")))
        .satisfies(e -> assertThat(((MemoryCardException) e).reason()).isEqualTo(MemoryCardException.Reason.PROTECTED))
        .hasMessageContaining("byte 8 is protected");
    // only the protection bits were read: no write command went out
    assertThat(v.commands()).isEqualTo(before + 1);
    assertThat(card.read(8, 4)).isEqualTo(Bytes.fromHex("CAFEBABE"));
    assertThatThrownBy(() -> card.protect(30, 4)).satisfies(e -> assertThat(((MemoryCardException) e).reason())
        .isEqualTo(MemoryCardException.Reason.UNSUPPORTED));
  }

  @Test
  void theCodeChangesOnlyAfterAVerifiedPresentationAndIsConfirmed() {
    VirtualMemoryCard v = VirtualMemoryCard.builder(MemoryChip.SLE4442).build();
    MemoryCard card = open(v);
    SecretBytes perCard = SecretBytes.fromHex("4711AB");
    assertThatThrownBy(() -> card.changeCode(perCard)).satisfies(e -> assertThat(((MemoryCardException) e).reason())
        .isEqualTo(MemoryCardException.Reason.NOT_VERIFIED));
    card.presentCode(TRANSPORT);
    int presented = v.presentations();
    card.changeCode(perCard);
    assertThat(v.presentations()).isEqualTo(presented + 1); // the confirmation
    assertThat(card.verified()).isTrue();
    MemoryCard again = open(v); // a new session: power cycled
    assertThatThrownBy(() -> again.presentCode(TRANSPORT)).isInstanceOf(MemoryCardException.class);
    assertThat(again.presentCode(perCard)).isEqualTo(3);
  }

  @Test
  void sle4428PerByteProtectionFactoryLockedBytesAndTheCodeArea() {
    VirtualMemoryCard v = VirtualMemoryCard.builder(MemoryChip.SLE4428).code(Bytes.fromHex("1234")).build();
    MemoryCard card = open(v);
    assertThat(card.triesLeft()).isEqualTo(8);
    assertThatThrownBy(() -> card.presentCode(SecretBytes.fromHex("FFFF"))).satisfies(e ->
        assertThat(((MemoryCardException) e).triesLeft()).isEqualTo(7));
    card.presentCode(SecretBytes.fromHex("1234"));
    assertThat(card.triesLeft()).isEqualTo(8);
    // notes §5.1: bytes 0-7 and 21-26 factory locked
    assertThat(card.protectedRanges()).containsExactly(new int[] {0, 7}, new int[] {21, 26});
    Bytes image = Bytes.fromHex("A5".repeat(300));
    card.write(600, image);
    card.protect(600, 200);
    assertThat(card.protection(590, 220).cardinality()).isEqualTo(200);
    assertThat(card.read(600, 300)).isEqualTo(image);
    assertThatThrownBy(() -> card.write(1020, Bytes.fromHex("0000")))
        .isInstanceOf(ValidationException.class).hasMessageContaining("0..1020");
    card.changeCode(SecretBytes.fromHex("9876"));
    assertThat(open(v).presentCode(SecretBytes.fromHex("9876"))).isEqualTo(8);
  }

  @Test
  void i2cCardsAcrossPagesAndThe64KiBoundary() {
    for (MemoryChip chip : List.of(MemoryChip.AT24C02, MemoryChip.AT24C16, MemoryChip.AT24C64, MemoryChip.AT24C1024)) {
      VirtualMemoryCard v = VirtualMemoryCard.builder(chip).build();
      MemoryCard card = open(v);
      int at = chip.size() > 65536 ? 0xFFF0 : chip.size() / 2 - 5;
      Bytes data = Bytes.fromHex("0123456789ABCDEFFEDCBA98765432100123456789");
      card.write(at, data);
      assertThat(card.read(at, data.length())).as(chip.id()).isEqualTo(data);
      assertThat(v.memory().slice(at, at + data.length())).as(chip.id()).isEqualTo(data);
      assertThatThrownBy(card::triesLeft).isInstanceOf(MemoryCardException.class);
    }
  }

  @Test
  void anI2cCardWrittenWithTheReadersDefaultPageSizeWouldWrap() {
    // Without SELECT_PAGE_SIZE the reader writes 8-byte blocks (ACR38x v6.02 §9.2.2.1.1); the chip's pages are 32.
    // With a larger selected page than the chip's, the chip wraps: here forced by selecting 128 on an AT24C02.
    VirtualMemoryCard v = VirtualMemoryCard.builder(MemoryChip.AT24C02).build();
    CardChannel ch = VirtualCard.connect(v);
    ch.transmit(dev.perso.core.apdu.CommandApdu.parse(Bytes.fromHex("FFA4000001" + "01"))).requireSuccess("select");
    ch.transmit(dev.perso.core.apdu.CommandApdu.parse(Bytes.fromHex("FF01000001" + "07"))).requireSuccess("page");
    ch.transmit(dev.perso.core.apdu.CommandApdu.parse(Bytes.fromHex("FFD000000A" + "00010203040506070809")))
        .requireSuccess("write");
    assertThat(v.memory().slice(0, 10)).isEqualTo(Bytes.fromHex("08090203040506070809").slice(0, 8)
        .concat(Bytes.fromHex("FFFF")));
    // MemoryCard selects the chip's page size, so the same write lands whole.
    MemoryCard card = open(v);
    card.write(0, Bytes.fromHex("00010203040506070809"));
    assertThat(v.memory().slice(0, 10)).isEqualTo(Bytes.fromHex("00010203040506070809"));
  }

  @Test
  void toStringNeverHoldsACode() {
    VirtualMemoryCard v = VirtualMemoryCard.builder(MemoryChip.SLE4442).code(Bytes.fromHex("A1B2C3")).build();
    MemoryCard card = open(v);
    card.presentCode(SecretBytes.fromHex("A1B2C3"));
    assertThat(card.toString()).doesNotContain("A1B2C3").contains("verified");
  }
}
