package dev.perso.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code perso atr parse}: offline, never touches PC/SC. */
@Timeout(30)
class AtrCommandTest {
  private static JsonNode json(String atr) throws Exception {
    CliRun r = CliRun.of("atr", "parse", "--json", atr);
    assertThat(r.exitCode()).as(r.err()).isZero();
    return new ObjectMapper().readTree(r.out());
  }

  // Every row: notes/transports.md §1.7 C, VERIFIED there with ATR_analysis (pcsc-tools 1.6.2) and
  // smartcard_list.txt @3e819c60; the card named in the last column is that table's identification.
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      // ATR                                       | conv    | protocols | fi  | di | hist            | tck
      "3B021450                                    | DIRECT  | T=0       | 372 | 1  | 1450            | ''",   // Schlumberger Multiflex 3k
      "3B6800000073C84011009000                    | DIRECT  | T=0       | 372 | 1  | 0073C84011009000 | ''",  // Visa / Mastercard chip cards
      "3BF81300008131FE454A434F5076323431B7        | DIRECT  | T=1       | 372 | 4  | 4A434F5076323431 | B7",  // NXP JCOP 2.4.1
      "3BDA18FF81B1FE751F030031C573C001400090000C  | DIRECT  | T=1       | 372 | 12 | 0031C573C001400090 00 | 0C", // OpenPGP card v2
      "3B951381018073FF01000B                      | DIRECT  | T=1       | 372 | 4  | 8073FF0100      | 0B",   // vsmartcard vicc default
      "3B8180018080                                | DIRECT  | T=0 T=1   | 372 | 1  | 80              | 80",   // PC/SC part 3 contactless
      "3F6525002C09699000                          | INVERSE | T=0       | 372 | 1  | 2C09699000      | ''",   // Sesam Vitale
  })
  void parsesTheNotesVectors(String atr, String convention, String protocols, int fi, int di, String hist, String tck)
      throws Exception {
    JsonNode j = json(atr);
    assertThat(j.get("atr").asText()).isEqualTo(atr);
    assertThat(j.get("convention").asText()).isEqualTo(convention);
    assertThat(String.join(" ", toList(j.get("protocols")))).isEqualTo(protocols);
    assertThat(j.get("fi").asInt()).isEqualTo(fi);
    assertThat(j.get("di").asInt()).isEqualTo(di);
    assertThat(j.get("historical").get("hex").asText()).isEqualTo(hist.replace(" ", ""));
    if (tck.isEmpty()) {
      assertThat(j.get("tck").isNull()).isTrue();
    } else {
      assertThat(j.get("tck").asText()).isEqualTo(tck);
    }
  }

  private static java.util.List<String> toList(JsonNode array) {
    java.util.List<String> out = new java.util.ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  // notes §1.7 C: JCOP, TA3=FE IFSC 254, TB3=45 BWI 4 CWI 5.
  @Test
  void t1ParametersOfJcop() throws Exception {
    JsonNode t1 = json("3B F8 13 00 00 81 31 FE 45 4A 43 4F 50 76 32 34 31 B7").get("t1Parameters");
    assertThat(t1.get("ifsc").asInt()).isEqualTo(254);
    assertThat(t1.get("bwi").asInt()).isEqualTo(4);
    assertThat(t1.get("cwi").asInt()).isEqualTo(5);
    assertThat(t1.get("edc").asText()).isEqualTo("LRC");
  }

  // notes §1.7 C: OpenPGP card v2, TB3=75 (BWI 7), TD3=1F -> T=15 TA4=03 (class A+B, no clock stop).
  @Test
  void openPgpCardGlobalBytes() throws Exception {
    JsonNode j = json("3BDA18FF81B1FE751F030031C573C001400090000C");
    assertThat(j.get("t1Parameters").get("bwi").asInt()).isEqualTo(7);
    assertThat(j.get("voltageClasses").toString()).contains("A").contains("B");
    assertThat(j.get("clockStop").asText()).isEqualTo("NOT_SUPPORTED");
    assertThat(j.get("extraGuardTime").asInt()).isEqualTo(255);
  }

  // notes §1.7 C: the Visa/Mastercard ATR's historical bytes are compact-TLV with LCS 00 and SW 9000.
  @Test
  void compactTlvHistoricalBytesInText() {
    CliRun r = CliRun.of("atr", "parse", "3B6800000073C84011009000");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("DIRECT convention").contains("T=0: WI = 10").contains("LCS 00").contains("SW 9000");
  }

  @Test
  void badTckNamesTheOffsetInOneLine() {
    CliRun r = CliRun.of("atr", "parse", "3BF81300008131FE454A434F5076323431B6");   // JCOP with TCK off by one
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err().strip()).startsWith("perso: ").doesNotContain("\n").containsIgnoringCase("TCK");
  }
}
