package dev.perso.emv.cps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perso.core.record.CardRecord;
import dev.perso.core.record.RecordInput;
import dev.perso.core.record.RecordSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DgiScriptTest {

  private static List<RecordInput> readAll(String script) {
    List<RecordInput> out = new ArrayList<>();
    try (RecordSource s = DgiScript.of(script, "cards.dgi")) {
      s.forEachRemaining(out::add);
    }
    return out;
  }

  @Test
  void readsCardsApplicationsDgisAndFields() {
    // DGI 9000/8010/9010 values: public VSDC/PBOC perso scripts (gp-emv-cps notes §3.7).
    List<RecordInput> all = readAll(String.join("\n",
        "# two cards",
        "card 0001",
        "app A0000000031010 vsdc-example",
        "dgi 9000 97DCB0 CE4E2C B37DF3   # KCVs",
        "dgi 8010 kek=transport-kek 00112233 44556677",
        "app A0000000041010 mchip-example",
        "dgi 9010 0303",
        "mag pan=4761739001010010",
        "surface embossLine1=4761 7390 0101 0010",
        "",
        "card 0002",
        "app A0000000031010 vsdc-example",
        "dgi 9010 0303"));
    assertThat(all).hasSize(2);
    CardRecord c1 = ((RecordInput.Read) all.get(0)).record();
    List<ApplicationData> apps = ApplicationsSection.decode(c1);
    assertThat(apps).hasSize(2);
    assertThat(apps.get(0).dgis().get(0).dgi().value().toHex()).isEqualTo("97DCB0CE4E2CB37DF3");
    assertThat(apps.get(0).dgis().get(1).transportKey()).contains("transport-kek");
    assertThat(c1.sectionNames()).containsExactly("applications", "magstripe", "surface");
    assertThat(c1.section("surface").orElseThrow().get("embossLine1").asText()).isEqualTo("4761 7390 0101 0010");
    assertThat(c1.section("magstripe").orElseThrow().get("pan").asText()).isEqualTo("4761739001010010");
    assertThat(c1.location()).isEqualTo("cards.dgi:2");
    assertThat(all.get(1).location()).isEqualTo("cards.dgi:11");
  }

  @Test
  void anErrorRejectsThatCardOnlyAndReadingResumesAtTheNextCard() {
    List<RecordInput> all = readAll(String.join("\n",
        "card A",
        "app A0000000031010 vsdc-example",
        "dgi 9010 03G3",
        "dgi 9000 00",
        "card B",
        "dgi 9010 0303",
        "card C",
        "app A0000000031010 vsdc-example",
        "dgi 9010 0303"));
    assertThat(all).hasSize(3);
    RecordInput.Rejected a = (RecordInput.Rejected) all.get(0);
    assertThat(a.cardId()).isEqualTo("A");
    assertThat(a.reason().getMessage()).contains("cards.dgi:3 dgi 9010 data").contains("not a hex digit");
    RecordInput.Rejected b = (RecordInput.Rejected) all.get(1);
    assertThat(b.reason().getMessage()).contains("cards.dgi:6").contains("'app' line must come before");
    assertThat(((RecordInput.Read) all.get(2)).record().id()).isEqualTo("C");
  }

  @Test
  void statementsBeforeTheFirstCardAreRejected() {
    List<RecordInput> all = readAll("app A0000000031010 vsdc-example\ncard 1\napp A0000000031010 p\ndgi 9010 0303\n");
    assertThat(all.get(0)).isInstanceOf(RecordInput.Rejected.class);
    assertThat(all.get(1)).isInstanceOf(RecordInput.Read.class);
  }

  @Test
  void aCardWithoutApplicationsAndALineThatIsNotUtf8AreRejected() {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    bytes.writeBytes("card 1\nmag pan=1\ncard 2\napp A0000000031010 vsdc-example\ndgi 9010 ".getBytes(
        java.nio.charset.StandardCharsets.US_ASCII));
    bytes.write(0xFF);   // not UTF-8: card 2 is rejected for it, naming the byte
    bytes.writeBytes("\ncard 3\napp A0000000031010 p\ndgi 9010 00\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    byte[] bad = bytes.toByteArray();
    List<RecordInput> all = new ArrayList<>();
    try (RecordSource s = DgiScript.of(new java.io.ByteArrayInputStream(bad), "cards.dgi")) {
      s.forEachRemaining(all::add);
    }
    assertThat(all).hasSize(3);
    assertThat(((RecordInput.Rejected) all.get(0)).reason().getMessage()).contains("cards.dgi:1").contains("no application");
    assertThat(((RecordInput.Rejected) all.get(1)).cardId()).isEqualTo("2");
    assertThat(((RecordInput.Rejected) all.get(1)).reason().getMessage()).contains("cards.dgi:5").contains("not UTF-8");
    assertThat(all.get(2)).isInstanceOf(RecordInput.Read.class);
  }
}
