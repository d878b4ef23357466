package dev.perso.emv.cps;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perso.core.Bytes;
import dev.perso.core.PersoException;
import dev.perso.core.ValidationException;
import dev.perso.core.record.CardRecord;
import dev.perso.core.record.JsonLinesRecords;
import dev.perso.core.record.RecordSource;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class ApplicationsSectionProperties {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Provide
  Arbitrary<List<ApplicationData>> applications() {
    Arbitrary<InputDgi> dgi = Combinators.combine(
        Arbitraries.integers().between(0, 0xFFFF),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(300),
        Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8).injectNull(0.5),
        Arbitraries.of(dev.perso.crypto.PinBlock.Format.ISO_1, dev.perso.crypto.PinBlock.Format.ISO_2).injectNull(0.6))
        .as((id, v, kek, pin) -> kek == null ? InputDgi.clear(Dgi.of(id, Bytes.of(v)))
            : pin == null ? InputDgi.underKek(Dgi.of(id, Bytes.of(v)), kek)
            : InputDgi.pinBlockUnderKek(Dgi.of(id, Bytes.of(v)), pin, kek));
    Arbitrary<ApplicationData> app = Combinators.combine(
        Arbitraries.bytes().array(byte[].class).ofMinSize(5).ofMaxSize(16),
        Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12),
        dgi.list().ofMinSize(1).ofMaxSize(6).uniqueElements(d -> d.dgi().id()))
        .as((aid, profile, dgis) -> new ApplicationData(Bytes.of(aid), profile, dgis));
    return app.list().ofMinSize(1).ofMaxSize(3).uniqueElements(ApplicationData::aid);
  }

  @Property(tries = 200)
  void sectionRoundTripsThroughAJsonLine(@ForAll("applications") List<ApplicationData> apps) {
    CardRecord r = TestCards.record("c1", apps);
    CardRecord back = JsonLinesRecords.parseLine(JsonLinesRecords.toJsonLine(r), "t:1");
    assertThat(ApplicationsSection.decode(back)).isEqualTo(apps);
  }

  @Property(tries = 300)
  void malformedSectionsGiveValidationExceptionNamingTheSection(@ForAll("sections") String section) {
    JsonNode node;
    try {
      node = JSON.readTree(section);
    } catch (Exception notJson) {
      return;
    }
    try {
      ApplicationsSection.decode(node, "t:1 applications");
    } catch (ValidationException expected) {
      assertThat(expected.field()).startsWith("t:1 applications");
    }
  }

  @Provide
  Arbitrary<String> sections() {
    Arbitrary<String> hex = Arbitraries.strings().withChars("0123456789ABCDEFGx ").ofMaxLength(12);
    Arbitrary<String> value = Arbitraries.oneOf(hex.map(h -> "\"" + h + "\""), Arbitraries.of("1", "null", "[]", "{}",
        "true"));
    Arbitrary<String> member = Arbitraries.of("aid", "profile", "dgis", "dgi", "data", "kek", "x");
    Arbitrary<String> dgiObject = Combinators.combine(member, value, member, value)
        .as((m1, v1, m2, v2) -> "{\"" + m1 + "\":" + v1 + ",\"" + m2 + "\":" + v2 + "}");
    Arbitrary<String> appObject = Combinators.combine(value, value, dgiObject.list().ofMaxSize(3))
        .as((aid, profile, dgis) -> "{\"aid\":" + aid + ",\"profile\":" + profile + ",\"dgis\":[" + String.join(",", dgis)
            + "]}");
    return Arbitraries.oneOf(appObject.list().ofMaxSize(3).map(l -> "[" + String.join(",", l) + "]"), value);
  }

  @Property
  void arbitraryScriptsNeverThrow(@ForAll List<@net.jqwik.api.constraints.StringLength(max = 40) String> lines) {
    try (RecordSource s = DgiScript.of(String.join("\n", lines), "s")) {
      s.forEachRemaining(i -> assertThat(i.location()).startsWith("s:"));
    }
  }

  @Property
  void arbitraryBytesInScriptsGiveRecordsOrRejections(@ForAll byte[] bytes) {
    try (RecordSource s = DgiScript.of(new java.io.ByteArrayInputStream(bytes), "s")) {
      s.forEachRemaining(i -> assertThat(i.location()).startsWith("s:"));
    } catch (PersoException unexpected) {
      throw new AssertionError("a bad script must become rejections, not an exception", unexpected);
    }
  }
}
