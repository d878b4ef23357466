package dev.perso.core.tlv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import dev.perso.core.MalformedDataException;
import dev.perso.core.ValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TagTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      // hex, size, class, constructed, number  (ISO/IEC 8825-1 8.1.2; EMV Book 3 Annex B1)
      "5A,     1, APPLICATION,      false, 26",
      "6F,     1, APPLICATION,      true,  15",
      "84,     1, CONTEXT_SPECIFIC, false, 4",
      "A5,     1, CONTEXT_SPECIFIC, true,  5",
      "E0,     1, PRIVATE,          true,  0",
      "01,     1, UNIVERSAL,        false, 1",
      "5F20,   2, APPLICATION,      false, 32",
      "9F02,   2, CONTEXT_SPECIFIC, false, 2",
      "9F7F,   2, CONTEXT_SPECIFIC, false, 127",
      "BF0C,   2, CONTEXT_SPECIFIC, true,  12",
      "DF8101, 3, PRIVATE,          false, 129",
      "9F8201, 3, CONTEXT_SPECIFIC, false, 257",
      "7F8200, 3, APPLICATION,      true,  256",
      "DF818101, 4, PRIVATE,        false, 16513",
  })
  void decodesStructure(String hex, int size, Tag.TagClass cls, boolean constructed, int number) {
    Tag t = Tag.fromHex(hex);
    assertThat(t.size()).isEqualTo(size);
    assertThat(t.tagClass()).isEqualTo(cls);
    assertThat(t.isConstructed()).isEqualTo(constructed);
    assertThat(t.number()).isEqualTo(number);
    assertThat(t.toHex()).isEqualTo(hex);
    assertThat(t.encode()).isEqualTo(Bytes.fromHex(hex));
    assertThat(Tag.of(Integer.parseUnsignedInt(hex, 16))).isEqualTo(t);
  }

  @Test
  void sharesOneAndTwoByteInstances() {
    assertThat(Tag.of(0x9F36)).isSameAs(Tag.fromHex("9F36"));
    assertThat(Tag.of(0x5A)).isSameAs(Tag.fromHex("5A"));
    assertThat(Tag.of(0xDF8101)).isEqualTo(Tag.fromHex("DF8101")).hasSameHashCodeAs(Tag.fromHex("DF8101"));
  }

  @ParameterizedTest(name = "{0} -> offset {1}")
  @CsvSource({
      "'',         0",   // empty
      "00,         0",   // padding byte is not a tag
      "FF,         0",   // padding byte is not a tag
      "9F,         0",   // truncated
      "DF81,       0",   // truncated after a 'more' byte
      "9F80,       1",   // leading-zero subsequent byte
      "9F00,       1",   // tag number 0 in the long form (found by TlvProperties)
      "7F00,       1",
      "DF81818101, 0",   // five bytes
      "9F0201,     2",   // trailing byte after a complete tag
      "5A5A,       1",
  })
  void parseRejectsWithOffset(String hex, int offset) {
    Bytes in = Bytes.fromHex(hex == null ? "" : hex);
    assertThatThrownBy(() -> Tag.parse(in))
        .isInstanceOfSatisfying(MalformedDataException.class, e -> assertThat(e.offset()).isEqualTo(offset));
  }

  @Test
  void ofRejectsInvalidEncodingsAsValidationErrors() {
    for (int bad : new int[] {0x00, 0x1F, 0x9F, 0x5A01, 0xFF01, 0x9F80, 0xDF8181}) {
      assertThatThrownBy(() -> Tag.of(bad)).as(Integer.toHexString(bad)).isInstanceOf(ValidationException.class)
          .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("tag"));
    }
  }
}
