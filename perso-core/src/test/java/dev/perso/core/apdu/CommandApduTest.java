package dev.perso.core.apdu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import dev.perso.core.MalformedDataException;
import dev.perso.core.ValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Command APDU cases per ISO/IEC 7816-4:2013 §5.1, table 4 (decoding of the body by length). */
class CommandApduTest {
  private static final String D256 = "AB".repeat(256);

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
      // case, hex (with X = 256 data bytes), Nc, Ne; encode() gives back the input in every case (the form
      // of the length fields is kept: §5.1 allows extended fields for values that fit the short ones)
      // case 1: header only (table 4: body empty)
      "CASE_1,  00A40400,                      0, 0,     true",
      // case 2S: body = one byte Le; Le 00 means Ne = 256
      "CASE_2S, 00C0000010,                    0, 16,    true",
      "CASE_2S, 80CA9F7F00,                    0, 256,   true",
      // case 2E: body = 00 + two-byte Le; Le 0000 means Ne = 65536
      "CASE_2E, 00B00000000101,                0, 257,   true",
      "CASE_2E, 00B00000000000,                0, 65536, true",
      "CASE_2E, 00B00000000010,                0, 16,    true",
      // case 3S: body = Lc + data
      "CASE_3S, 00A4040007A0000000041010,      7, 0,     true",
      // case 3E: body = 00 + two-byte Lc + data
      "CASE_3E, 80E20001000100X,               256, 0,   true",
      // case 4S: body = Lc + data + Le
      "CASE_4S, 00A4040007A000000004101000,    7, 256,   true",
      "CASE_4S, 00A4040007A000000004101010,    7, 16,    true",
      // case 4E: body = 00 + Lc(2) + data + Le(2)
      "CASE_4E, 80E20001000100X0000,           256, 65536, true",
      "CASE_4E, 80E20001000100X0101,           256, 257, true",
      "CASE_4E, 80E2000100000201020000,        2, 65536, true",
      // extended fields for small values (issue 11 item 15): SELECT with Nc = 1, Ne = 255, and Nc = 1 without Le
      "CASE_4E, 00A404000000010000FF,          1, 255,   true",
      "CASE_3E, 00A40400000001A0,              1, 0,     true",
  })
  void decodesEveryCase(CommandApdu.Case c, String hex, int nc, int ne, boolean canonical) {
    Bytes raw = Bytes.fromHex(hex.replace("X", D256));
    CommandApdu cmd = CommandApdu.parse(raw);
    assertThat(cmd.nc()).isEqualTo(nc);
    assertThat(cmd.ne()).isEqualTo(ne);
    assertThat(canonical).isTrue();
    assertThat(cmd.apduCase()).isEqualTo(c);
    assertThat(cmd.encode()).isEqualTo(raw);
    assertThat(cmd.extended()).isEqualTo(c.name().endsWith("E"));
  }

  @ParameterizedTest(name = "{0} -> offset {1}")
  @CsvSource({
      // fewer than four header bytes
      "00A404,                      3",
      // short Lc 07 but only 5 data bytes follow (Lc mismatch names offset 4)
      "00A4040007A00000000410,      4",
      // short Lc 05 but 7 bytes follow: neither Nc nor Nc+1
      "00A4040005A0000000041010,    4",
      // extended length field cut short after the 00 marker
      "00A404000001,                6",
      // extended Lc 0000 followed by more bytes (names offset 5)
      "80E20001000000AB,            5",
      // extended Lc 0003 but only 2 data bytes
      "80E20001000003AABB,          5",
  })
  void rejectsMalformedCommands(String hex, int offset) {
    assertThatThrownBy(() -> CommandApdu.parse(Bytes.fromHex(hex)))
        .isInstanceOfSatisfying(MalformedDataException.class, e -> assertThat(e.offset()).isEqualTo(offset));
  }

  @Test
  void validatesFields() {
    assertThatThrownBy(() -> CommandApdu.of(0x100, 0, 0, 0)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("cla");
    assertThatThrownBy(() -> CommandApdu.of(0, 0, 0, 0, Bytes.empty(), 65537))
        .isInstanceOf(ValidationException.class).hasMessageContaining("ne");
  }

  @Test
  void secretDataIsMaskedInToString() {
    CommandApdu verify = CommandApdu.of(0x00, 0x20, 0x00, 0x80, Bytes.secret(new byte[] {0x24, 0x12, 0x34}));
    assertThat(verify.toString()).isEqualTo("00 20 00 80 Lc=3 [secret]");
    assertThat(verify.encode().isSecret()).isTrue();
  }

  @Test
  void theExtendedFormIsKeptByParseAndDerivedCommandsAndDroppedOnRequest() {
    CommandApdu ext = CommandApdu.parse(Bytes.fromHex("00A404000000010000FF"));
    assertThat(ext.withCla(0x01).encode().toHex()).isEqualTo("01A404000000010000FF");
    assertThat(ext.withExtended(false).encode().toHex()).isEqualTo("00A404000100FF");
    assertThat(ext.withExtended(false).apduCase()).isEqualTo(CommandApdu.Case.CASE_4S);
    assertThat(CommandApdu.parse(Bytes.fromHex("00A404000100FF"))).isNotEqualTo(ext);
    // Built commands use the short form unless Nc or Ne need the extended one; case 1 is never extended.
    assertThat(CommandApdu.of(0, 0xB0, 0, 0, Bytes.empty(), 300).extended()).isTrue();
    assertThat(CommandApdu.of(0, 0xB0, 0, 0, Bytes.empty(), 255).extended()).isFalse();
    assertThat(CommandApdu.of(0, 0xA4, 0, 0).withExtended(true).extended()).isFalse();
    assertThat(CommandApdu.builder().ins(0xB0).ne(16).extended(true).build().encode().toHex())
        .isEqualTo("00B00000000010");
  }
}
