package dev.perso.emv.cps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import dev.perso.core.MalformedDataException;
import dev.perso.core.ValidationException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DgiTest {

  // DGI length encoding: GP Card Spec 2.3.1 §11.1.12; vectors from GlobalPlatformPro
  // tlv/src/test/java/pro/javacard/tlv/TestTLV.java (0 -> 00, 254 -> FE, 255 -> FF00FF, 65535 -> FFFFFF).
  @ParameterizedTest
  @CsvSource({
      "0, 010100",
      "254, 0101FE",
      "255, 0101FF00FF",
      "65535, 0101FFFFFF"})
  void lengthFieldEdgeCases(int length, String header) {
    Dgi dgi = Dgi.of(0x0101, Bytes.of(new byte[length]));
    assertThat(dgi.header().toHex()).isEqualTo(header);
    assertThat(Dgi.parseAll(dgi.encode())).containsExactly(dgi);
  }

  @Test
  void lengthOf65536IsRejected() {
    // Same source: 65536 cannot be encoded.
    assertThatThrownBy(() -> Dgi.of(0x0101, Bytes.of(new byte[65536])))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("dgi 0101").hasMessageContaining("65535");
  }

  @Test
  void oneByteValueParsesAsOneDgi() {
    // GlobalPlatformPro TestTLV.java: "1234 01 01" is one DGI.
    assertThat(Dgi.parseAll(Bytes.fromHex("123401 01"))).containsExactly(Dgi.of(0x1234, Bytes.fromHex("01")));
  }

  @Test
  void kcvAndPinDgisFromPublicPersoScripts() {
    // Public VSDC/PBOC perso scripts (gp-emv-cps notes §3.7): DGI 9000 = KCVs 97DCB0 CE4E2C B37DF3 of the
    // DGI 8000 keys; 8010 = PIN block 241234FFFFFFFFFF; 9010 = 0303.
    List<Dgi> dgis = Dgi.parseAll(Bytes.fromHex("90000997DCB0CE4E2CB37DF3 801008241234FFFFFFFFFF 9010020303"));
    assertThat(dgis).extracting(Dgi::idHex).containsExactly("9000", "8010", "9010");
    assertThat(dgis.get(0).value().toHex()).isEqualTo("97DCB0CE4E2CB37DF3");
    assertThat(dgis.get(2).value().toHex()).isEqualTo("0303");
  }

  @Test
  void neverPrintsTheValue() {
    Dgi pin = Dgi.of(0x8010, Bytes.fromHex("241234FFFFFFFFFF"));
    assertThat(pin.toString()).isEqualTo("DGI 8010 (8 bytes)");
    assertThat(pin.value().toString()).doesNotContain("1234");
  }

  @Test
  void truncatedInputNamesTheOffset() {
    assertThatThrownBy(() -> Dgi.parseAll(Bytes.fromHex("90000997DCB0")))
        .isInstanceOf(MalformedDataException.class)
        .satisfies(e -> assertThat(((MalformedDataException) e).offset()).isEqualTo(2))
        .hasMessageContaining("DGI 9000 announces 9 bytes");
    assertThatThrownBy(() -> Dgi.parseAll(Bytes.fromHex("0101FF00")))
        .isInstanceOf(MalformedDataException.class).hasMessageContaining("length FF");
    assertThatThrownBy(() -> Dgi.parseAll(Bytes.fromHex("01")))
        .isInstanceOf(MalformedDataException.class).hasMessageContaining("offset 0");
  }
}
