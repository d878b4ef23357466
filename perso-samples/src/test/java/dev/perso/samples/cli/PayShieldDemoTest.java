package dev.perso.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perso.crypto.payshield.testing.TestPayShield;
import org.junit.jupiter.api.Test;

/** {@code perso demo --crypto payshield://…}: the line's chip and stripe steps run on the test HSM. */
class PayShieldDemoTest {
  @Test
  void theDemoLineRunsOnThePayShield() throws Exception {
    try (TestPayShield hsm = TestPayShield.start()) {
      CliRun r = CliRun.of("demo", "--json", "--cards", "3", "--no-faults", "--crypto",
          "payshield://127.0.0.1:" + hsm.port() + "?connections=4");
      assertThat(r.exitCode()).as(r.err()).isZero();
      JsonNode result = new ObjectMapper().readTree(r.out());
      assertThat(result.get("personalized").asLong()).as(r.out()).isEqualTo(3);
      assertThat(result.get("rejected").asLong()).isZero();
      // the secure channel's keys were derived inside the HSM, the DGIs translated there, CVVs computed there
      assertThat(hsm.received("XD")).isGreaterThanOrEqualTo(3 * 7);
      assertThat(hsm.received("XT")).isGreaterThanOrEqualTo(3);
      assertThat(hsm.received("M6")).isGreaterThan(3);
      assertThat(hsm.received("CW")).isGreaterThanOrEqualTo(3);
    }
  }
}
