package dev.perso.emv.cps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import dev.perso.core.ValidationException;
import dev.perso.core.record.CardRecord;
import dev.perso.core.record.JsonLinesRecords;
import dev.perso.core.record.RecordInput;
import dev.perso.core.record.RecordSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplicationsSectionTest {

  // DGI values from public VSDC/PBOC perso scripts (gp-emv-cps notes §3.7); PAN is the Visa test PAN
  // 4761739001010010 used throughout pyemv's tests. Today's perso-data line shape.
  static final String GOOD = "{\"cardId\":\"0001\",\"applications\":[{\"aid\":\"A0000000031010\",\"profile\":\"vsdc-example\","
      + "\"dgis\":[{\"dgi\":\"9000\",\"data\":\"97DCB0CE4E2CB37DF3\"},"
      + "{\"dgi\":\"8010\",\"data\":\"0011223344556677\",\"kek\":\"transport-kek\"}]}],"
      + "\"magstripe\":{\"pan\":\"4761739001010010\",\"expiry\":\"2512\"}}";

  private static List<ApplicationData> decode(String line) {
    return ApplicationsSection.decode(JsonLinesRecords.parseLine(line, "batch.jsonl:1"));
  }

  @Test
  void todaysPersoDataLinesReadAsRecordsAndDecode() {
    CardRecord r = JsonLinesRecords.parseLine(GOOD, "batch.jsonl:1");
    assertThat(r.sectionNames()).containsExactly("applications", "magstripe");
    ApplicationData app = ApplicationsSection.decode(r).get(0);
    assertThat(app.aid().toHex()).isEqualTo("A0000000031010");
    assertThat(app.profile()).isEqualTo("vsdc-example");
    assertThat(app.dgis().get(0).dgi().value().toHex()).isEqualTo("97DCB0CE4E2CB37DF3");
    assertThat(app.dgis().get(0).transportKey()).isEmpty();
    assertThat(app.dgis().get(1).transportKey()).contains("transport-kek");
    assertThat(r.section("magstripe").orElseThrow().get("expiry").asText()).isEqualTo("2512");
  }

  @Test
  void badFieldsAreNamedWithLocationAndPathNeverTheValue() {
    assertThatThrownBy(() -> decode(GOOD.replace("97DCB0CE4E2CB37DF3", "97DCB0CE4E2CB37DF")))
        .isInstanceOfSatisfying(ValidationException.class, e -> {
          assertThat(e.field()).isEqualTo("batch.jsonl:1 card 0001 applications[0] dgis[0] data");
          assertThat(e.rule()).contains("odd number of hex digits");
          assertThat(e.getMessage()).doesNotContain("97DCB0");
        });
    assertThatThrownBy(() -> decode(GOOD.replace("\"profile\"", "\"profil\"")))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field())
            .isEqualTo("batch.jsonl:1 card 0001 applications[0] profil"));
    assertThatThrownBy(() -> decode(GOOD.replace("\"dgi\":\"9000\"", "\"dgi\":\"90\"")))
        .isInstanceOfSatisfying(ValidationException.class, e -> {
          assertThat(e.field()).isEqualTo("batch.jsonl:1 card 0001 applications[0] dgis[0] dgi");
          assertThat(e.rule()).contains("4 hex digits");
        });
    assertThatThrownBy(() -> decode(GOOD.replace("A0000000031010", "A000")))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field())
            .isEqualTo("batch.jsonl:1 card 0001 applications[0] aid"));
    assertThatThrownBy(() -> decode("{\"cardId\":\"9\",\"applications\":[]}"))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("batch.jsonl:1 card 9 applications"));
    assertThatThrownBy(() -> decode("{\"cardId\":\"9\",\"magstripe\":{}}"))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("batch.jsonl:1 card 9 applications"));
  }

  @Test
  void aPinBlockDgiNamesItsFormatAndNeedsItsKek() {
    String iso1 = GOOD.replace("\"kek\":\"transport-kek\"}", "\"kek\":\"transport-kek\",\"pinBlock\":\"ISO_1\"}");
    InputDgi pin = decode(iso1).get(0).dgis().get(1);
    assertThat(pin.pinBlockFormat()).contains(dev.perso.crypto.PinBlock.Format.ISO_1);
    assertThat(pin.transportKey()).contains("transport-kek");
    assertThatThrownBy(() -> decode(iso1.replace("ISO_1", "ISO_9")))
        .isInstanceOf(ValidationException.class).hasMessageContaining("dgis[1] pinBlock").hasMessageContaining("ISO_1");
    assertThatThrownBy(() -> decode(iso1.replace("ISO_1", "ISO_0")))
        .isInstanceOf(ValidationException.class).hasMessageContaining("dgis[1] pinBlock").hasMessageContaining("PAN");
    assertThatThrownBy(() -> decode(iso1.replace("\"kek\":\"transport-kek\",", "")))
        .isInstanceOf(ValidationException.class).hasMessageContaining("dgis[1] pinBlock").hasMessageContaining("kek");
  }

  @Test
  void encodedRecordsRoundTripThroughAJsonLinesFile(@TempDir Path dir) throws Exception {
    List<ApplicationData> apps = List.of(new ApplicationData(Bytes.fromHex("A0000000041010"), "mchip-example",
        List.of(InputDgi.clear(Dgi.of(0x0101, Bytes.fromHex("7000"))),
            InputDgi.underKek(Dgi.of(0x8000, Bytes.of(new byte[48])), "kek-1"),
            InputDgi.clear(Dgi.of(0x9010, Bytes.empty())))));
    CardRecord r = TestCards.record("42", apps);
    Path file = dir.resolve("cards.jsonl");
    Files.writeString(file, JsonLinesRecords.toJsonLine(r) + "\n" + JsonLinesRecords.toJsonLine(r) + "\n");
    try (RecordSource s = JsonLinesRecords.open(file)) {
      CardRecord back = ((RecordInput.Read) s.next()).record();
      assertThat(ApplicationsSection.decode(back)).isEqualTo(apps);
      assertThat(s.next().location()).isEqualTo("cards.jsonl:2");
      assertThat(s.hasNext()).isFalse();
    }
  }
}
