package dev.perso.emv.cps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perso.core.Bytes;
import dev.perso.core.PersoException;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class PersoDataProperties {

  @Provide
  Arbitrary<CardPersoData> cards() {
    Arbitrary<InputDgi> dgi = Combinators.combine(
        Arbitraries.integers().between(0, 0xFFFF),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(300),
        Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8).injectNull(0.5))
        .as((id, v, kek) -> kek == null ? InputDgi.clear(Dgi.of(id, Bytes.of(v))) : InputDgi.underKek(Dgi.of(id, Bytes.of(v)), kek));
    Arbitrary<ApplicationData> app = Combinators.combine(
        Arbitraries.bytes().array(byte[].class).ofMinSize(5).ofMaxSize(16),
        Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12),
        dgi.list().ofMinSize(1).ofMaxSize(6))
        .as((aid, profile, dgis) -> new ApplicationData(Bytes.of(aid), profile, dgis));
    Arbitrary<Map<String, String>> fields = Arbitraries.maps(
        Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10), Arbitraries.strings().ofMaxLength(30)).ofMaxSize(4);
    return Combinators.combine(Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(12),
        app.list().ofMinSize(1).ofMaxSize(3), fields, fields).as(CardPersoData::new);
  }

  @Property(tries = 200)
  void jsonLineRoundTrips(@ForAll("cards") CardPersoData card) {
    assertThat(JsonLinesPersoData.parseLine(JsonLinesPersoData.toJsonLine(card), "t:1")).isEqualTo(card);
  }

  @Property
  void arbitraryLinesGiveACardOrOurException(@ForAll String line) {
    try {
      JsonLinesPersoData.parseLine(line, "t:1");
    } catch (PersoException expected) {
      assertThat(expected.getMessage()).startsWith("t:1");
    }
  }

  @Property
  void arbitraryScriptsNeverThrow(@ForAll List<@net.jqwik.api.constraints.StringLength(max = 40) String> lines) {
    try (PersoDataSource s = DgiScript.of(String.join("\n", lines), "s")) {
      s.forEachRemaining(i -> assertThat(i.location()).startsWith("s:"));
    }
  }
}
