package dev.perso.samples.cli;

import static dev.perso.samples.cli.BridgedCards.VSDC;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perso.devices.pcsc.PcscReaders;
import dev.perso.devices.pcsc.VpcdBridge;
import dev.perso.devices.testing.Pcscd;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code readers list} and {@code apdu send} against a VirtualEmvCard bridged through a real
 * pcscd + vsmartcard-vpcd (the one pcscd of perso-devices' {@link Pcscd} extension; notes/transports.md §3.3).
 */
@Tag("pcscd")
@ExtendWith(Pcscd.class)
@Timeout(60)
class PcscCliIntegrationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ISD_SELECT = "00A4040008A000000151000000";

  @Test
  void readersListShowsOurReadersAndTheCard() throws Exception {
    VpcdBridge slot = BridgedCards.insert(BridgedCards.card(VSDC, 1), Pcscd.PORT_A, Pcscd.READER_A);
    try {
      CliRun r = CliRun.of("readers", "list", "--json");
      assertThat(r.exitCode()).as(r.err()).isZero();
      JsonNode readers = JSON.readTree(r.out()).get("readers");
      boolean seen = false;
      for (JsonNode n : readers) {
        if (PcscReaders.matches(Pcscd.READER_A, n.get("name").asText())) {
          assertThat(n.get("cardPresent").asBoolean()).isTrue();
          seen = true;
        }
      }
      assertThat(seen).as(r.out()).isTrue();
      assertThat(CliRun.of("readers", "list").out()).containsPattern("Perso Virtual Reader \\d\\d 00  card present");
    } finally {
      BridgedCards.remove(slot, Pcscd.READER_A);
    }
  }

  @Test
  void apduSendPrintsEachResponseWithItsMeaning() throws Exception {
    VpcdBridge slot = BridgedCards.insert(BridgedCards.card(VSDC, 2), Pcscd.PORT_A, Pcscd.READER_A);
    try {
      CliRun r = CliRun.of("apdu", "send", "--reader", Pcscd.READER_A, ISD_SELECT, "00A4040007A0000000999999");
      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(r.out()).contains(">> " + ISD_SELECT).contains("9000  ").contains("<< 6A82  file or application not found");

      CliRun j = CliRun.of("apdu", "send", "--json", "--reader", Pcscd.READER_A, ISD_SELECT);
      assertThat(j.exitCode()).as(j.err()).isZero();
      JsonNode json = JSON.readTree(j.out());
      assertThat(json.get("atr").asText()).isNotEmpty();
      JsonNode e = json.get("exchanges").get(0);
      assertThat(e.get("sw").asText()).isEqualTo("9000");
      assertThat(e.get("data").asText()).startsWith("6F").contains("A000000151000000");
    } finally {
      BridgedCards.remove(slot, Pcscd.READER_A);
    }
  }

  @Test
  void apduSendToAMissingReaderIsOneLine() {
    CliRun r = CliRun.of("apdu", "send", "--reader", "No Such Reader*", ISD_SELECT);
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err().strip()).startsWith("perso: PC/SC: no reader matches 'No Such Reader*'").doesNotContain("\n");
  }
}
