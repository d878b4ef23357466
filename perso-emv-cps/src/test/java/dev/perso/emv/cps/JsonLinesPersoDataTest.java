package dev.perso.emv.cps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perso.core.Bytes;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesPersoDataTest {

  // DGI values from public VSDC/PBOC perso scripts (gp-emv-cps notes §3.7); PAN is the Visa test PAN
  // 4761739001010010 used throughout pyemv's tests.
  static final String GOOD = "{\"cardId\":\"0001\",\"applications\":[{\"aid\":\"A0000000031010\",\"profile\":\"vsdc-example\","
      + "\"dgis\":[{\"dgi\":\"9000\",\"data\":\"97DCB0CE4E2CB37DF3\"},"
      + "{\"dgi\":\"8010\",\"data\":\"0011223344556677\",\"kek\":\"transport-kek\"}]}],"
      + "\"magstripe\":{\"pan\":\"4761739001010010\",\"expiry\":\"2512\"}}";

  private static List<PersoInput> readAll(String text) {
    List<PersoInput> out = new ArrayList<>();
    try (PersoDataSource s = JsonLinesPersoData.of(new StringReader(text), "batch.jsonl")) {
      s.forEachRemaining(out::add);
    }
    return out;
  }

  @Test
  void readsACard() {
    List<PersoInput> all = readAll(GOOD + "\n");
    assertThat(all).hasSize(1);
    CardPersoData card = ((PersoInput.Card) all.get(0)).data();
    assertThat(card.cardId()).isEqualTo("0001");
    ApplicationData app = card.applications().get(0);
    assertThat(app.aid().toHex()).isEqualTo("A0000000031010");
    assertThat(app.dgis().get(0).dgi().value().toHex()).isEqualTo("97DCB0CE4E2CB37DF3");
    assertThat(app.dgis().get(0).transportKey()).isEmpty();
    assertThat(app.dgis().get(1).transportKey()).contains("transport-kek");
    assertThat(card.magstripe()).containsEntry("expiry", "2512");
    assertThat(all.get(0).location()).isEqualTo("batch.jsonl:1");
  }

  @Test
  void aMalformedLineRejectsThatCardOnlyAndNamesLineAndField() {
    String badHex = GOOD.replace("0001", "0002").replace("97DCB0CE4E2CB37DF3", "97DCB0CE4E2CB37DF");
    String unknownField = GOOD.replace("0001", "0003").replace("\"profile\"", "\"profil\"");
    String notJson = "{\"cardId\":\"0004\", 4761739001010010";
    List<PersoInput> all = readAll(GOOD + "\n" + badHex + "\n\n" + unknownField + "\n" + notJson + "\n"
        + GOOD.replace("0001", "0005") + "\n");
    assertThat(all).hasSize(5);
    assertThat(all.get(0)).isInstanceOf(PersoInput.Card.class);
    PersoInput.Rejected r2 = (PersoInput.Rejected) all.get(1);
    assertThat(r2.cardId()).isEqualTo("0002");
    assertThat(r2.reason().getMessage())
        .contains("batch.jsonl:2 applications[0] dgis[0] data").contains("odd number of hex digits");
    PersoInput.Rejected r3 = (PersoInput.Rejected) all.get(2);
    assertThat(r3.location()).isEqualTo("batch.jsonl:4");
    assertThat(r3.reason().getMessage()).contains("profil").contains("unknown field");
    PersoInput.Rejected r4 = (PersoInput.Rejected) all.get(3);
    assertThat(r4.cardId()).isEqualTo("?");
    assertThat(r4.reason().getMessage()).contains("batch.jsonl:5").contains("not valid JSON")
        .doesNotContain("4761739001010010");
    assertThat(((PersoInput.Card) all.get(4)).data().cardId()).isEqualTo("0005");
  }

  @Test
  void missingRequiredFieldsAreNamed() {
    List<PersoInput> all = readAll("{\"applications\":[]}\n{\"cardId\":\"9\",\"applications\":[]}\n"
        + "{\"cardId\":\"10\",\"applications\":[{\"aid\":\"A000000003\",\"profile\":\"p\",\"dgis\":[{\"dgi\":\"90\",\"data\":\"00\"}]}]}");
    assertThat(all).allSatisfy(i -> assertThat(i).isInstanceOf(PersoInput.Rejected.class));
    assertThat(((PersoInput.Rejected) all.get(0)).reason().getMessage()).contains("cardId").contains("required");
    assertThat(((PersoInput.Rejected) all.get(1)).reason().getMessage()).contains("applications");
    assertThat(((PersoInput.Rejected) all.get(2)).reason().getMessage()).contains("dgis[0] dgi").contains("4 hex digits");
  }

  @Test
  void writerAndReaderRoundTripThroughAFile(@TempDir Path dir) throws Exception {
    CardPersoData card = new CardPersoData("42", List.of(new ApplicationData(Bytes.fromHex("A0000000041010"), "mchip-example",
        List.of(InputDgi.clear(Dgi.of(0x0101, Bytes.fromHex("7000"))),
            InputDgi.underKek(Dgi.of(0x8000, Bytes.of(new byte[48])), "kek-1")))),
        Map.of("pan", "5413330089010434"), Map.of("embossLine1", "5413 3300 8901 0434"));
    Path file = dir.resolve("cards.jsonl");
    Files.writeString(file, JsonLinesPersoData.toJsonLine(card) + "\n" + JsonLinesPersoData.toJsonLine(card) + "\n");
    try (PersoDataSource s = JsonLinesPersoData.open(file)) {
      assertThat(((PersoInput.Card) s.next()).data()).isEqualTo(card);
      assertThat(((PersoInput.Card) s.next()).location()).isEqualTo("cards.jsonl:2");
      assertThat(s.hasNext()).isFalse();
    }
  }

  @Test
  void cardToStringShowsNamesNotValues() {
    CardPersoData card = ((PersoInput.Card) readAll(GOOD).get(0)).data();
    assertThat(card.toString()).contains("card 0001").contains("magstripe fields [expiry, pan]")
        .doesNotContain("4761739001010010").doesNotContain("97DCB0");
  }
}
