package dev.perso.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code perso demo --memory}: the loyalty-memory card type (SLE4442) through the same virtual line. */
class DemoMemoryCardTest {

  @Test
  void memoryCardsArePersonalizedAndCheckedInHand(@TempDir Path dir) throws Exception {
    CliRun r = CliRun.of("demo", "--memory", "--cards", "10", "--out", dir.toString(), "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.get("personalized").asInt()).isEqualTo(10);
    // chip station 3 loses contact on its 2nd card: the card moves on, nothing was written
    assertThat(json.get("rejectedCards").asInt()).isZero();
    json.get("cards").forEach(c -> {
      assertThat(c.get("status").asText()).isEqualTo("OK");
      assertThat(c.get("checks").asInt()).isEqualTo(4);   // code, constants, member text, protection 0..31
    });
    assertThat(json.get("reconciliation").get("addsUp").asBoolean()).isTrue();
    String data = Files.readString(dir.resolve("perso-data.jsonl"));
    assertThat(data).contains("\"memory\"").contains("\"code\"").doesNotContain("applications");
  }

  @Test
  void theEmvFaultDoesNotApplyToMemoryCards() {
    CliRun r = CliRun.of("demo", "--memory", "--inject-fault", "1");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.errors()).contains("--inject-fault");
  }

  @Test
  void theDemoNeverPrintsTheCodes(@TempDir Path dir) throws Exception {
    CliRun r = CliRun.of("demo", "--memory", "--cards", "2", "--trace", "--out", dir.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode first = new ObjectMapper().readTree(Files.readAllLines(dir.resolve("perso-data.jsonl")).get(0));
    String code = first.get("memory").get("code").asText();
    assertThat(r.out()).contains("FF 20 00 00 Lc=3 [secret]").contains("FF D2 00 01 Lc=3 [secret]")
        .doesNotContain(code);
  }
}
