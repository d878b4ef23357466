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
    assertThat(a.reason().getMessage()).contains("cards.dgi:3 card A dgi 9010 data").contains("not a hex digit");
    RecordInput.Rejected b = (RecordInput.Rejected) all.get(1);
    assertThat(b.reason().getMessage()).contains("cards.dgi:6 card B dgi").contains("'app' line must come before");
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

  private static String rejection(List<RecordInput> all, int i) {
    return ((RecordInput.Rejected) all.get(i)).reason().getMessage();
  }

  @Test
  void everyRejectionNamesTheFileTheLineTheCardAndTheField() {
    List<RecordInput> all = readAll(String.join("\n",
        "card A",
        "app A000 vsdc-example",                      // AID too short: at the app line
        "dgi 9010 0303",
        "card B",
        "app A0000000031010 vsdc-example",
        "app A0000000041010 vsdc-example",            // the first app has no DGIs
        "dgi 9010 0303",
        "card C",
        "app A0000000031010 vsdc-example",
        "dgi 9102 " + "00".repeat(65536),             // DGI value too long
        "card D",
        "app A0000000031010 vsdc-example",
        "dgi 9010 0303",
        "dgi 9010 0404",                              // DGI given twice
        "card E",
        "app A0000000031010 vsdc-example",
        "dgi 8000 kek= 00112233",                     // kek= without a name
        "card F",
        "mag pan=4761739001010010",
        "mag pan=4761739001010028",                   // stripe field given twice
        "app A0000000031010 vsdc-example",
        "dgi 9010 0303"));
    assertThat(all).hasSize(6).allMatch(i -> i instanceof RecordInput.Rejected);
    assertThat(rejection(all, 0)).isEqualTo("cards.dgi:2 card A app A000 aid: must be 5..16 bytes (ISO/IEC 7816-4), was 2");
    assertThat(rejection(all, 1)).isEqualTo("cards.dgi:5 card B app A0000000031010 dgis: application A0000000031010 has no DGIs");
    assertThat(rejection(all, 2)).startsWith("cards.dgi:10 card C dgi 9102 data: value must be at most 65535 bytes");
    assertThat(rejection(all, 3)).isEqualTo("cards.dgi:12 card D app A0000000031010 dgis[1] dgi: DGI 9010 is given "
        + "twice in application A0000000031010 (first as dgis[0])");
    assertThat(rejection(all, 4)).isEqualTo("cards.dgi:17 card E dgi 8000 kek: must name a transport key");
    assertThat(rejection(all, 5)).isEqualTo("cards.dgi:20 card F mag pan: given twice for this card");
    assertThat(String.join(" ", all.stream().map(i -> ((RecordInput.Rejected) i).reason().getMessage()).toList()))
        .doesNotContain("4761739001010");
  }

  @Test
  void aHashInsideAValueIsDataAndAHashAfterWhitespaceOrAtTheLineStartIsAComment() {
    List<RecordInput> all = readAll(String.join("\n",
        "  # a comment line",
        "card A#1   # the id keeps its '#'",
        "app A0000000031010 vsdc-example #comment",
        "dgi 9010 03 03#not a comment: bad hex",
        "card B",
        "app A0000000031010 vsdc-example",
        "dgi 9010 0303 # trailing comment",
        "surface embossLine2=ACME #1",
        "mag name=DOE/JANE #2   "));
    assertThat(all).hasSize(2);
    RecordInput.Rejected a = (RecordInput.Rejected) all.get(0);
    assertThat(a.cardId()).isEqualTo("A#1");
    assertThat(a.reason().getMessage()).startsWith("cards.dgi:4 card A#1 dgi 9010 data: not hex");
    CardRecord b = ((RecordInput.Read) all.get(1)).record();
    assertThat(b.section("surface").orElseThrow().get("embossLine2").asText()).isEqualTo("ACME #1");
    assertThat(b.section("magstripe").orElseThrow().get("name").asText()).isEqualTo("DOE/JANE #2");
    assertThat(ApplicationsSection.decode(b).get(0).dgis().get(0).dgi().value().toHex()).isEqualTo("0303");
  }

  @Test
  void aCardLineThatIsNotUtf8RejectsThatCardAndNotThePreviousOne() {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    bytes.writeBytes("card 1\napp A0000000031010 vsdc-example\ndgi 9010 0303\ncard 2 ".getBytes(
        java.nio.charset.StandardCharsets.US_ASCII));
    bytes.write(0xC3);   // a bad byte in the trailing space of card 2's line
    bytes.writeBytes(("\napp A0000000031010 vsdc-example\ndgi 9010 0303\ncard 3\napp A0000000031010 p\n"
        + "dgi 9010 00\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    List<RecordInput> all = new ArrayList<>();
    try (RecordSource s = DgiScript.of(new java.io.ByteArrayInputStream(bytes.toByteArray()), "cards.dgi")) {
      s.forEachRemaining(all::add);
    }
    assertThat(all).hasSize(3);
    assertThat(((RecordInput.Read) all.get(0)).record().id()).isEqualTo("1");
    assertThat(ApplicationsSection.decode(((RecordInput.Read) all.get(0)).record()).get(0).dgis()).hasSize(1);
    RecordInput.Rejected two = (RecordInput.Rejected) all.get(1);
    assertThat(two.location()).isEqualTo("cards.dgi:4");
    assertThat(two.reason()).hasMessageContaining("cards.dgi:4: not UTF-8");
    assertThat(((RecordInput.Read) all.get(2)).record().id()).isEqualTo("3");
  }

  @Test
  void theLineCapIsConfigurableAndADirectoryIsOneClearError(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws java.io.IOException {
    String script = "card 1\napp A0000000031010 vsdc-example\ndgi 9102 " + "00".repeat(40) + "\ncard 2\n"
        + "app A0000000031010 vsdc-example\ndgi 9010 0303\n";
    java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("cards.dgi"), script);
    List<RecordInput> all = new ArrayList<>();
    try (RecordSource s = DgiScript.open(file, 64)) {
      s.forEachRemaining(all::add);
    }
    assertThat(rejection(all, 0)).contains("cards.dgi:3: line longer than the maximum line length of 64 bytes");
    assertThat(all.get(1)).isInstanceOf(RecordInput.Read.class);
    try (RecordSource s = DgiScript.open(file)) {
      assertThat(s.next()).isInstanceOf(RecordInput.Read.class);
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> DgiScript.open(dir))
        .isInstanceOf(dev.perso.core.TransportException.class).hasMessageContaining("it is a directory");
  }
}
