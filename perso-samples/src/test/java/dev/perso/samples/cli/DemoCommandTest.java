package dev.perso.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class DemoCommandTest {

  @Test
  void demoRunsEndToEndAndNarratesEachStep() {
    CliRun r = CliRun.of("demo");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("1. Insert a virtual card")
        .contains("ATR 3B021450")
        .contains("SELECT the PPSE")
        .contains(">> 00 C0 00 00 Le=")           // GET RESPONSE after 61xx, done by the channel
        .contains("<< 6C3A")                      // wrong Le, answered by a resend with Le=58
        .contains("Le=58")
        .contains("Application Label")
        .contains("Done: 4 steps");
  }

  @Test
  void demoNeverPrintsThePanOrTrackData() {
    CliRun r = CliRun.of("demo");
    assertThat(r.out()).doesNotContain("4761739001010010").doesNotContain("D2512201");
  }

  @Test
  void demoJsonReportsWhatWasRead() throws Exception {
    CliRun r = CliRun.of("demo", "--json");
    assertThat(r.exitCode()).isZero();
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.get("applications").get(0).asText()).isEqualTo("A0000000031010");
    assertThat(json.get("applicationLabel").asText()).isEqualTo("VISA DEBIT");
    assertThat(json.get("recordTags").toString()).isEqualTo("[\"57\",\"5A\",\"5F20\",\"5F24\"]");
    assertThat(json.get("apduExchanges").asInt()).isEqualTo(6);
  }
}
