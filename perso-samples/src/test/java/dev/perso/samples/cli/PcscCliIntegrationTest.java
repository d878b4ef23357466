package dev.perso.samples.cli;

import static dev.perso.samples.cli.BridgedCards.MCHIP;
import static dev.perso.samples.cli.BridgedCards.VSDC;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perso.devices.pcsc.PcscReaders;
import dev.perso.devices.pcsc.VpcdBridge;
import dev.perso.devices.testing.Pcscd;
import dev.perso.emv.card.VirtualEmvCard;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code readers list}, {@code apdu send} and {@code gp open} against a VirtualEmvCard bridged through a real
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
    assertThat(r.errors().strip()).startsWith("perso: PC/SC: no reader matches 'No Such Reader*'").doesNotContain("\n");
  }

  @Test
  void gpOpenScp02OnTheIsd() throws Exception {
    VpcdBridge slot = BridgedCards.insert(BridgedCards.card(VSDC, 3), Pcscd.PORT_A, Pcscd.READER_A);
    try {
      CliRun r = CliRun.of("gp", "open", "--json", "--reader", Pcscd.READER_A, "--key", BridgedCards.KMC_HEX,
          "--method", "emv", "--level", "03");
      assertThat(r.exitCode()).as(r.err()).isZero();
      JsonNode j = JSON.readTree(r.out());
      assertThat(j.get("scp").asText()).isEqualTo("02");
      assertThat(j.get("i").asText()).isEqualTo("55");           // the vsdc-example card's i, detected
      assertThat(j.get("level").asText()).isEqualTo("03");
      assertThat(j.get("kvn").asText()).isEqualTo("01");
      assertThat(j.get("challenge").asText()).isEqualTo("VERIFIED");
      assertThat(j.get("kdd").asText()).isEqualTo("00000000000000000003");
      assertThat(r.out()).doesNotContain(BridgedCards.KMC_HEX);
    } finally {
      BridgedCards.remove(slot, Pcscd.READER_A);
    }
  }

  @Test
  void gpOpenScp03TakesTheKeyAsAes() throws Exception {
    VpcdBridge slot = BridgedCards.insert(BridgedCards.card(MCHIP, 4), Pcscd.PORT_B, Pcscd.READER_B);
    try {
      CliRun r = CliRun.of("gp", "open", "--reader", Pcscd.READER_B, "--key", BridgedCards.KMC_HEX,
          "--method", "kdf3", "--level", "33");
      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(r.out()).contains("secure channel open").containsPattern("scp\\s+03").containsPattern("i\\s+70")
          .containsPattern("level\\s+33").containsPattern("kvn\\s+30");
    } finally {
      BridgedCards.remove(slot, Pcscd.READER_B);
    }
  }

  @Test
  void gpOpenWithAWrongKeyStopsBeforeExternalAuthenticateAndNeverEchoesTheKey() {
    VirtualEmvCard card = BridgedCards.card(VSDC, 5);
    VpcdBridge slot = BridgedCards.insert(card, Pcscd.PORT_A, Pcscd.READER_A);
    try {
      String wrong = "000102030405060708090A0B0C0D0E0F";
      CliRun r = CliRun.of("gp", "open", "--reader", Pcscd.READER_A, "--key", wrong, "--method", "emv");
      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(r.errors().strip()).startsWith("perso: ").doesNotContain("\n").containsIgnoringCase("cryptogram")
          .doesNotContain(wrong);
      // The card never saw EXTERNAL AUTHENTICATE: a second open with the right key works at once.
      CliRun ok = CliRun.of("gp", "open", "--reader", Pcscd.READER_A, "--key", BridgedCards.KMC_HEX, "--method", "emv");
      assertThat(ok.exitCode()).as(ok.err()).isZero();
    } finally {
      BridgedCards.remove(slot, Pcscd.READER_A);
    }
  }
}
