package dev.perso.core.tlv;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EmvTagsTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      # Names per EMV Book 3 v4.3 Annex A1
      82   | Application Interchange Profile                          | false
      94   | Application File Locator (AFL)                           | false
      9F38 | Processing Options Data Object List (PDOL)               | false
      BF0C | File Control Information (FCI) Issuer Discretionary Data | false
      5A   | Application Primary Account Number (PAN)                 | true
      57   | Track 2 Equivalent Data                                  | true
      5F20 | Cardholder Name                                          | true
      9F1F | Track 1 Discretionary Data                               | true
      56   | Track 1 Data                                             | true
      9F6B | Track 2 Data                                             | true
      99   | Transaction Personal Identification Number (PIN) Data    | true
      9F17 | Personal Identification Number (PIN) Try Counter         | false
      """)
  void namesAndSensitivity(String tag, String name, boolean sensitive) {
    Tag t = Tag.fromHex(tag);
    assertThat(EmvTags.name(t)).contains(name);
    assertThat(EmvTags.isSensitive(t)).isEqualTo(sensitive);
    assertThat(Tlv.primitive(t.isConstructed() ? Tag.of(0x9F36) : t, dev.perso.core.Bytes.fromHex("00"))
        .value().isSecret()).isEqualTo(sensitive && !t.isConstructed());
  }

  @ParameterizedTest
  @CsvSource({"DF01", "9F6E", "C8"})
  void unknownTagsHaveNoName(String tag) {
    assertThat(EmvTags.name(Tag.fromHex(tag))).isEmpty();
    assertThat(EmvTags.isSensitive(Tag.fromHex(tag))).isFalse();
  }

  @org.junit.jupiter.api.Test
  void coversAnnexA() {
    assertThat(EmvTags.size()).isGreaterThan(120);
    assertThat(EmvTags.lookup(Tag.of(0x50)).orElseThrow().text()).isTrue();
  }
}
