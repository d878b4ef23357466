package dev.perso.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpsCommandTest {

  // Record DGI 0101 = 70 { 57 track 2 equivalent of the Visa test PAN 4761739001010010 (pyemv tests),
  // 5F20 "CARDMEMBER/TEST" }; DGI 9000 / 8000 values from public VSDC/PBOC perso scripts (gp-emv-cps notes §3.7).
  private static final String CARD = "{\"cardId\":\"0001\",\"applications\":[{\"aid\":\"A0000000031010\","
      + "\"profile\":\"vsdc-example\",\"dgis\":["
      + "{\"dgi\":\"0101\",\"data\":\"70275713476173900101001 0D25122011234567890000F5F200F434152444D454D4245522F54455354\"},"
      + "{\"dgi\":\"9000\",\"data\":\"97DCB0CE4E2CB37DF3\"},"
      + "{\"dgi\":\"8000\",\"data\":\"112233440066778811223344550077888B4F854F0831FBF2635A212E4DDDB92A11220044556677881122330055667788\",\"kek\":\"transport-kek\"}]}]}";

  @Test
  void inspectListsDgisWithSensitiveOnesAsLengths(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("batch.jsonl");
    Files.writeString(file, CARD.replace(" ", "") + "\n{\"cardId\":\"0002\"}\n");
    CliRun r = CliRun.of("cps", "inspect", file.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("card 0001").contains("application A0000000031010  profile vsdc-example")
        .contains("DGI 9000  9 bytes  97DCB0CE4E2CB37DF3")
        .contains("DGI 8000  48 bytes  encrypted under transport-kek")
        .contains("Track 2 Equivalent Data [19 bytes, masked]")
        .contains("card 0002  REJECTED").contains("1 card(s), 1 rejected")
        .doesNotContain("4761739001010010").doesNotContain("11223344006677");
  }

  @Test
  void inspectJsonHasLengthsOnlyForSensitiveDgis(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("batch.jsonl");
    Files.writeString(file, CARD.replace(" ", "") + "\n");
    CliRun r = CliRun.of("cps", "inspect", "--json", file.toString());
    JsonNode dgis = new ObjectMapper().readTree(r.out()).get("cards").get(0).get("applications").get(0).get("dgis");
    assertThat(dgis.get(0).has("value")).as("record with a PAN").isFalse();
    assertThat(dgis.get(1).get("value").asText()).isEqualTo("97DCB0CE4E2CB37DF3");
    assertThat(dgis.get(2).get("length").asInt()).isEqualTo(48);
    assertThat(dgis.get(2).has("value")).isFalse();
    assertThat(r.out()).doesNotContain("4761739001010010");
  }

  @Test
  void missingFileIsOneLineExitTwo() {
    CliRun r = CliRun.of("cps", "inspect", "/nonexistent/batch.jsonl");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err().strip()).doesNotContain("\n").contains("cannot open records");
  }
}
