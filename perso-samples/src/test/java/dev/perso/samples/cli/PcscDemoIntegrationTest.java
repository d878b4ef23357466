package dev.perso.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perso.devices.pcsc.PcscReaders;
import dev.perso.devices.testing.Pcscd;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code perso demo --pcsc}: the same demo with every virtual card reached through real pcscd + vpcd. */
@Tag("pcscd")
@ExtendWith(Pcscd.class)
@Timeout(90)
class PcscDemoIntegrationTest {
  private static final String VPCD_A = "127.0.0.1:" + Pcscd.PORT_A;

  @Test
  void demoThroughPcscdWithAnInjectedFault(@TempDir Path dir) throws Exception {
    CliRun r = CliRun.of("demo", "--pcsc", "--reader", Pcscd.READER_A, "--vpcd", VPCD_A, "--cards", "3",
        "--inject-fault", "2", "--out", dir.toString(), "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.get("transport").asText()).startsWith("pcscd + vpcd (Perso Virtual Reader");
    // record 0002's first card answers 6A84: rejected, and the record is remade on a new card
    assertThat(json.get("personalized").asInt()).isEqualTo(3);
    assertThat(json.get("rejectedCards").asInt()).isEqualTo(1);
    assertThat(json.get("cards").get(0).get("checks").asInt()).isEqualTo(5);   // FCI, GPO, 2 records, ARQC
    assertThat(json.get("cards").get(1).get("cardId").asText()).isEqualTo("0002");
    assertThat(json.get("cards").get(1).get("reason").asText()).contains("STORE DATA block 1").contains("6A84");
    assertThat(json.get("cards").get(3).get("cardId").asText()).isEqualTo("0002");
    assertThat(json.get("cards").get(3).get("status").asText()).isEqualTo("OK");
    assertThat(json.get("reconciliation").get("addsUp").asBoolean()).isTrue();
    assertThat(PcscReaders.system().waitForRemoval(Pcscd.READER_A, Duration.ofSeconds(5))).isTrue();
  }

  @Test
  void textOutputNamesTheTransport(@TempDir Path dir) {
    CliRun r = CliRun.of("demo", "--pcsc", "--reader", Pcscd.READER_A, "--vpcd", VPCD_A, "--cards", "1",
        "--out", dir.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("chips reached pcscd + vpcd (Perso Virtual Reader")
        .contains("Done: 1 personalized, 0 rejected");
  }

  @Test
  void aMissingReaderOrVpcdIsOneClearLine() {
    CliRun noReader = CliRun.of("demo", "--pcsc", "--reader", "No Such Reader*", "--cards", "1");
    assertThat(noReader.exitCode()).isEqualTo(2);
    assertThat(noReader.err().strip()).startsWith("perso: --pcsc needs pcscd with a vsmartcard-vpcd reader")
        .contains("no reader matches 'No Such Reader*'").doesNotContain("\n");

    CliRun noVpcd = CliRun.of("demo", "--pcsc", "--reader", Pcscd.READER_A, "--vpcd", "127.0.0.1:1", "--cards", "1");
    assertThat(noVpcd.exitCode()).isEqualTo(2);
    assertThat(noVpcd.err().strip()).startsWith("perso: --pcsc: nothing listens on vpcd 127.0.0.1:1")
        .doesNotContain("\n");
  }
}
