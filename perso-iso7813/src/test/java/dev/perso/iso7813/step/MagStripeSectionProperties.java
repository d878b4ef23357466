package dev.perso.iso7813.step;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perso.core.ValidationException;
import dev.perso.core.record.CardRecord;
import dev.perso.core.record.JsonLinesRecords;
import dev.perso.iso7813.StripeRecord;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class MagStripeSectionProperties {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Provide
  Arbitrary<StripeRecord> records() {
    Arbitrary<String> digits = Arbitraries.strings().numeric().ofMinLength(12).ofMaxLength(19);
    return Combinators.combine(digits, Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12).injectNull(0.3),
        Arbitraries.strings().numeric().ofLength(4).injectNull(0.3), Arbitraries.integers().between(-1, 9),
        Arbitraries.strings().numeric().ofMinLength(4).ofMaxLength(12).injectNull(0.5))
        .as((pan, name, expiry, pvki, pin) -> {
          StripeRecord.Builder b = StripeRecord.builder().pan(pan).name(name == null ? null : name + "/X")
              .expiry(expiry).serviceCode(expiry == null ? null : "201").pin(pin);
          return pvki < 0 ? b.build() : b.pvki(pvki).build();
        });
  }

  @Property(tries = 200)
  void sectionRoundTripsThroughAJsonLine(@ForAll("records") StripeRecord rec,
      @ForAll("pvvs") String pvv) {
    CardRecord r = CardRecord.builder("c").section(MagStripeSection.NAME, MagStripeSection.encode(rec, pvv)).build();
    MagStripeSection back = MagStripeSection.decode(JsonLinesRecords.parseLine(JsonLinesRecords.toJsonLine(r), "t:1"),
        true);
    assertThat(MagStripeSection.encode(back.stripe(), back.pvv().orElse(null)))
        .isEqualTo(MagStripeSection.encode(rec, pvv));
    if (pvv != null) {
      assertThat(back.stripe().pin()).isEmpty();   // a PVV from data preparation keeps the PIN out of the file
    }
  }

  @Provide
  Arbitrary<String> pvvs() {
    return Arbitraries.strings().numeric().ofLength(4).injectNull(0.5);
  }

  @Property(tries = 300)
  void malformedSectionsGiveValidationExceptionNamingTheSection(@ForAll("sections") String section) throws Exception {
    JsonNode node = JSON.readTree(section);
    CardRecord r = CardRecord.builder("c").location("t:1").section(MagStripeSection.NAME, node).build();
    try {
      MagStripeSection.decode(r, true);
    } catch (ValidationException expected) {
      assertThat(expected.field()).startsWith("t:1 card c magstripe");
    }
  }

  @Provide
  Arbitrary<String> sections() {
    Arbitrary<String> member = Arbitraries.of("pan", "name", "expiry", "serviceCode", "countryCode", "pvki", "pvv", "pin",
        "track1");
    Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.strings().withChars("0123456789/ABx^").ofMaxLength(14)
        .map(s -> "\"" + s + "\""), Arbitraries.of("1", "null", "[]", "{}", "true"));
    return Combinators.combine(member, value).as((m, v) -> "\"" + m + "\":" + v).list().ofMaxSize(6)
        .uniqueElements(e -> e.substring(0, e.indexOf(':'))).map(l -> "{" + String.join(",", l) + "}");
  }
}
