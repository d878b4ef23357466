package dev.perso.devices.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import dev.perso.core.CardStatusException;
import dev.perso.core.SecretBytes;
import dev.perso.core.card.ScriptedCard;
import dev.perso.core.card.VirtualCard;
import dev.perso.core.channel.CardChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The exact pseudo-APDUs and the decoding of their answers, notes/transports.md §5.2 (ACR38 Reference Manual
 * v1.9 §8.2, ACR38x v6.02 §9.2.2, ACR33U-A1 §8.2.11.7 for "90 ErrorCnt", sigsergv/pcsc-tutorial-java WriteCard
 * checking 0x9007).
 */
class AcsDialectTest {
  private static final MemoryCardDialect ACS = MemoryCardDialect.acs();

  private static CardChannel script(String... pairs) {
    ScriptedCard.Builder b = ScriptedCard.builder();
    for (int i = 0; i < pairs.length; i += 2) {
      b.expect(pairs[i], pairs[i + 1]);
    }
    return VirtualCard.connect(b.build());
  }

  @Test
  void commandsAreTheManualsBytes() {
    CardChannel ch = script(
        "FFA4000001" + "06", "9000",                   // SELECT_CARD_TYPE SLE4432/42
        "FFB0002010", "00112233445566778899AABBCCDDEEFF9000",
        "FFD0002002" + "CAFE", "9000",                 // WRITE_MEMORY_CARD (D0, not ISO D6)
        "FFB1000004", "06000000" + "9000",             // READ_PRESENTATION_ERROR_COUNTER (sigsergv)
        "FFB2000004", "FFFFFFFE" + "9000",             // READ_PROTECTION_BITS: byte 24 protected (PROT4 bit 0)
        "FFD1000002" + "0102", "9000",                 // WRITE_PROTECTION_MEMORY
        "FF20000003" + "FFFFFF", "9007",               // PRESENT_CODE
        "FFD2000103" + "123456", "9000");              // CHANGE_CODE
    ACS.select(ch, MemoryChip.SLE4442);
    assertThat(ACS.read(ch, MemoryChip.SLE4442, 0x20, 16)).isEqualTo(Bytes.fromHex("00112233445566778899AABBCCDDEEFF"));
    ACS.write(ch, MemoryChip.SLE4442, 0x20, Bytes.fromHex("CAFE"));
    assertThat(ACS.triesLeft(ch, MemoryChip.SLE4442)).isEqualTo(2);
    assertThat(ACS.readProtection(ch, MemoryChip.SLE4442, 0, 32).stream().toArray()).containsExactly(24);
    ACS.writeProtection(ch, MemoryChip.SLE4442, 0, Bytes.fromHex("0102"));
    assertThat(ACS.presentCode(ch, MemoryChip.SLE4442, SecretBytes.fromHex("FFFFFF")))
        .isEqualTo(new MemoryCardDialect.CodeAnswer(true, 3));
    ACS.changeCode(ch, MemoryChip.SLE4442, SecretBytes.fromHex("123456"));
  }

  @Test
  void i2cSelectsThePageSizeAndThe17thAddressBitGoesIntoIns() {
    CardChannel ch = script(
        "FFA4000001" + "02", "9000",                   // I2C 32-1024 kbit
        "FF01000001" + "07", "9000",                   // 128-byte page (AT24C1024's 256 capped at the reader's 128)
        "FFB1FFF002", "AABB9000",                      // 1011 000* with * = A16 (ACR38x v6.02 §9.2.2.2.2)
        "FFD1000001" + "CC", "9000");                  // 1101 000* (§9.2.2.2.3)
    ACS.select(ch, MemoryChip.AT24C1024);
    assertThat(ACS.read(ch, MemoryChip.AT24C1024, 0x1FFF0, 2)).isEqualTo(Bytes.fromHex("AABB"));
    ACS.write(ch, MemoryChip.AT24C1024, 0x10000, Bytes.fromHex("CC"));
  }

  // notes §5.2: CCID readers answer 90 ErrorCnt: 90 07 correct, 90 00 locked, other = failed attempt;
  // old serial ACR38: data ERRCNT CODE + 90 00.
  @ParameterizedTest
  @CsvSource({"9007, true, 3", "9000, false, 0", "9006, false, 2", "9003, false, 2", "9004, false, 1",
      "07FFFFFF9000, true, 3", "03FFFFFF9000, false, 2"})
  void presentCodeAnswersForSle4442(String answer, boolean verified, int tries) {
    CardChannel ch = script("FF20000003FFFFFF", answer);
    assertThat(ACS.presentCode(ch, MemoryChip.SLE4442, SecretBytes.fromHex("FFFFFF")))
        .isEqualTo(new MemoryCardDialect.CodeAnswer(verified, tries));
  }

  // notes §5.2: SLE4428 success => ERRCNT FF
  @ParameterizedTest
  @CsvSource({"90FF, true, 8", "90FE, false, 7", "9000, false, 0", "907F, false, 7"})
  void presentCodeAnswersForSle4428(String answer, boolean verified, int tries) {
    CardChannel ch = script("FF20000002FFFF", answer);
    assertThat(ACS.presentCode(ch, MemoryChip.SLE4428, SecretBytes.fromHex("FFFF")))
        .isEqualTo(new MemoryCardDialect.CodeAnswer(verified, tries));
  }

  @Test
  void sle4428ProtectionReadCarriesDataThenOnePlusNOver8Bytes() {
    // notes §5.2: FF B2 AH AL LL -> data + protection bytes, L = 1 + INT(N/8)
    CardChannel ch = script("FFB2010008", "0102030405060708" + "7E" + "FF" + "9000",
        "FFB1000000", "FE0000" + "9000");
    assertThat(ACS.readProtection(ch, MemoryChip.SLE4428, 0x100, 8).stream().toArray()).containsExactly(0, 7);
    assertThat(ACS.triesLeft(ch, MemoryChip.SLE4428)).isEqualTo(7);
  }

  @Test
  void answersOutsideTheDialectAreOurExceptions() {
    assertThatThrownBy(() -> ACS.presentCode(script("FF20000003FFFFFF", "9008"), MemoryChip.SLE4442,
        SecretBytes.fromHex("FFFFFF"))).isInstanceOf(MemoryCardException.class).hasMessageContaining("error counter 08");
    assertThatThrownBy(() -> ACS.presentCode(script("FF20000003FFFFFF", "6A81"), MemoryChip.SLE4442,
        SecretBytes.fromHex("FFFFFF"))).isInstanceOf(CardStatusException.class);
    assertThatThrownBy(() -> ACS.read(script("FFB0002010", "00119000"), MemoryChip.SLE4442, 0x20, 16))
        .isInstanceOf(MemoryCardException.class).hasMessageContaining("2 data bytes");
    assertThatThrownBy(() -> ACS.select(script("FFA4000001" + "06", "6A81"), MemoryChip.SLE4442))
        .isInstanceOf(CardStatusException.class);
  }

  @Test
  void part3Dialect() {
    MemoryCardDialect p3 = MemoryCardDialect.pcscPart3();
    CardChannel ch = script("FFB0000004", "010203049000", "FFD6000402" + "AABB", "9000",
        "FF200000", "63C2", "FF20000003FFFFFF", "63C1", "FF20000003FFFFFF", "9000");
    assertThat(p3.read(ch, MemoryChip.SLE4442, 0, 4)).isEqualTo(Bytes.fromHex("01020304"));
    p3.write(ch, MemoryChip.SLE4442, 4, Bytes.fromHex("AABB"));
    assertThat(p3.triesLeft(ch, MemoryChip.SLE4442)).isEqualTo(2);
    assertThat(p3.presentCode(ch, MemoryChip.SLE4442, SecretBytes.fromHex("FFFFFF")))
        .isEqualTo(new MemoryCardDialect.CodeAnswer(false, 1));
    assertThat(p3.presentCode(ch, MemoryChip.SLE4442, SecretBytes.fromHex("FFFFFF")))
        .isEqualTo(new MemoryCardDialect.CodeAnswer(true, 3));
    MemoryCard card = MemoryCard.builder(script(), MemoryChip.SLE4442).dialect(p3).build();
    assertThatThrownBy(() -> card.protect(0, 4)).isInstanceOf(MemoryCardException.class);
  }
}
