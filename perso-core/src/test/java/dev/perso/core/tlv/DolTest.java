package dev.perso.core.tlv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import dev.perso.core.MalformedDataException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DolTest {

  @Test
  void parsesCdol1FromARealRecord() {
    // openemv/emv-utils tests/emv_read_application_data_test.c @361192c, test10 READ RECORD SFI 2 rec 1
    Tlv rec = Tlv.parse(Bytes.fromHex("70465A0847617390010101195F3401015F24032212318C159F02069F03069F1A0295055F2A"
        + "029A039C019F37048D198A029F02069F03069F1A0295055F2A029A039C019F37049108"));
    Dol cdol1 = Dol.parse(rec.find(Tag.of(0x8C)).orElseThrow().value());
    assertThat(cdol1.entries()).containsExactly(
        new Dol.Entry(Tag.of(0x9F02), 6), new Dol.Entry(Tag.of(0x9F03), 6), new Dol.Entry(Tag.of(0x9F1A), 2),
        new Dol.Entry(Tag.of(0x95), 5), new Dol.Entry(Tag.of(0x5F2A), 2), new Dol.Entry(Tag.of(0x9A), 3),
        new Dol.Entry(Tag.of(0x9C), 1), new Dol.Entry(Tag.of(0x9F37), 4));
    assertThat(cdol1.totalLength()).isEqualTo(29);
    assertThat(cdol1.encode()).isEqualTo(rec.find(Tag.of(0x8C)).orElseThrow().value());
    Dol cdol2 = Dol.parse(rec.find(Tag.of(0x8D)).orElseThrow().value());
    assertThat(cdol2.entries().get(0)).isEqualTo(new Dol.Entry(Tag.of(0x8A), 2));
    assertThat(cdol2.entries().get(cdol2.entries().size() - 1)).isEqualTo(new Dol.Entry(Tag.of(0x91), 8));
    assertThat(cdol2.toString()).startsWith("Dol[8A(2) 9F02(6)");
    assertThat(Dol.of(List.of())).isEqualTo(Dol.parse(Bytes.empty()));
  }

  @ParameterizedTest
  @CsvSource({
      "9F,       0",   // truncated tag
      "9F38,     2",   // missing length
      "9F3880,   2",   // indefinite
      "9F3881,   2",   // truncated long length
      "9F380300, 3",   // 00 is not a tag start in a DOL
  })
  void rejectsMalformedDols(String hex, int offset) {
    assertThatThrownBy(() -> Dol.parse(Bytes.fromHex(hex)))
        .isInstanceOfSatisfying(MalformedDataException.class, e -> assertThat(e.offset()).isEqualTo(offset));
  }
}
