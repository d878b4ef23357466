package dev.perso.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ApduCommandTest {

  @Test
  void decodesAnExtendedCommandWithSmallLengthsAsExtended() {
    // ISO/IEC 7816-4 §5.1: extended Lc 000001 and extended Le 00FF are allowed for values that fit the short
    // fields; the command is case 4 extended (issue 11 item 15), not case 4 short.
    CliRun r = CliRun.of("apdu", "decode", "00A404000000010000FF");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("case 4 extended").contains("Lc    1").contains("Le    Ne=255");
  }

  @Test
  void decodesASelectCommand() {
    // SELECT by name with Le=00 (case 4S), ISO/IEC 7816-4 §11.2.2; AID A0000000031010 (Visa credit/debit).
    CliRun r = CliRun.of("apdu", "decode", "00A4040007A000000003101000");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("case 4 short").contains("INS   A4  SELECT").contains("Le    Ne=256")
        .contains("data  A0000000031010").contains("interindustry, logical channel 0, no secure messaging");
  }

  @Test
  void decodesAStoreDataCommandAsJson() throws Exception {
    CliRun r = CliRun.of("apdu", "decode", "--json", "84E2800010 0102030405060708090A0B0C0D0E0F10");
    assertThat(r.exitCode()).isZero();
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.get("type").asText()).isEqualTo("command");
    assertThat(json.get("insName").asText()).isEqualTo("STORE DATA");
    assertThat(json.get("case").asText()).isEqualTo("CASE_3S");
    assertThat(json.get("nc").asInt()).isEqualTo(16);
  }

  @Test
  void decodesAResponseStatusWord() {
    CliRun r = CliRun.of("apdu", "decode", "--response", "6A82");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("6A82").contains("file or application not found").contains("CHECKING_ERROR");
  }

  @Test
  void malformedApduIsOneLineAndExitCodeTwo() {
    CliRun r = CliRun.of("apdu", "decode", "00A4040007A0000000");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err().strip()).doesNotContain("\n").contains("offset 4").doesNotContain("Exception");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void badHexAndUnknownOptionsAreOneLineWithExitCodeTwo() {
    CliRun bad = CliRun.of("apdu", "decode", "ZZ");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err().strip()).doesNotContain("\n").contains("not a hex digit");
    CliRun unknown = CliRun.of("apdu", "decode", "--frobnicate", "00");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err().strip()).doesNotContain("\n").contains("--frobnicate");
  }

  @Test
  void versionPrintsTheVersion() {
    CliRun r = CliRun.of("--version");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).startsWith("perso ");
  }
}
