package dev.perso.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {

  @Test
  void demoPersonalizesAndVerifiesEveryCardAndNarrates(@TempDir Path dir) throws Exception {
    CliRun r = CliRun.of("demo", "--cards", "4", "--out", dir.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("1. Keys").contains("2. Data preparation: 4 cardholder records")
        .contains("3. Personalize, stripe and verify")
        .contains("Done: 4 personalized, 0 rejected, 4 cards");
    assertThat(r.out().lines().filter(l -> l.contains(" OK ") && l.contains("T1+T2 ok"))).hasSize(4);
    assertThat(Files.readAllLines(dir.resolve("perso-data.jsonl"))).hasSize(4);
    JsonNode report = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
    assertThat(report.get("personalized").asInt()).isEqualTo(4);
    assertThat(report.get("cards").get(0).get("checks").asInt()).isEqualTo(5);   // FCI, GPO, 2 records, ARQC
  }

  @Test
  void anInjectedFaultRejectsExactlyThatCard(@TempDir Path dir) throws Exception {
    CliRun r = CliRun.of("demo", "--cards", "3", "--inject-fault", "2", "--out", dir.toString(), "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.get("personalized").asInt()).isEqualTo(2);
    assertThat(json.get("rejected").asInt()).isEqualTo(1);
    JsonNode second = json.get("cards").get(1);
    assertThat(second.get("status").asText()).isEqualTo("REJECTED");
    assertThat(second.get("reason").asText()).contains("STORE DATA block 1").contains("6A84");
    assertThat(json.get("cards").get(2).get("status").asText()).isEqualTo("OK");
  }

  @Test
  void demoOutputNeverShowsPansPinsOrTrackData(@TempDir Path dir) {
    CliRun r = CliRun.of("demo", "--cards", "2", "--trace", "--out", dir.toString());
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains(">> 84 E2").contains("[secret]")
        .doesNotContainPattern("4761739\\d{9}")          // full PANs
        .doesNotContain("=2912201");                     // track 2 content
  }
}
