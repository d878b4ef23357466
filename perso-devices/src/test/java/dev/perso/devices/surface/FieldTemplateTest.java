package dev.perso.devices.surface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.ValidationException;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class FieldTemplateTest {

  @Test
  void formatsPanExpiryAndName() {
    Map<String, String> v = Map.of("pan", "4761739001010010", "expiry", "2912", "name", "Ada Lovelace", "id", "0001");
    assertThat(FieldTemplate.parse("p", "{pan:4-4-4-4}").resolve(v)).isEqualTo("4761 7390 0101 0010");
    assertThat(FieldTemplate.parse("e", "VALID THRU {expiry:MM/YY}").resolve(v)).isEqualTo("VALID THRU 12/29");
    assertThat(FieldTemplate.parse("n", "{name:upper}").resolve(v)).isEqualTo("ADA LOVELACE");
    assertThat(FieldTemplate.parse("i", "card {id}").resolve(v)).isEqualTo("card 0001");
    assertThat(FieldTemplate.parse("p", "{pan:4-6-5}").resolve(Map.of("pan", "371449635398431")))
        .isEqualTo("3714 496353 98431");
  }

  @Test
  void illFormedValuesNameTheFieldNotTheValue() {
    assertThatThrownBy(() -> FieldTemplate.parse("e", "{expiry:MM/YY}").resolve(Map.of("expiry", "1329")))
        .isInstanceOfSatisfying(ValidationException.class, e -> {
          assertThat(e.field()).isEqualTo("expiry");
          assertThat(e.getMessage()).doesNotContain("1329");
        });
    assertThatThrownBy(() -> FieldTemplate.parse("x", "{pan:upperx}")).isInstanceOf(ValidationException.class);
  }

  @Property
  void groupingKeepsTheDigitsInOrder(@ForAll("digits") String pan) {
    String grouped = FieldTemplate.parse("p", "{pan:4-4-4-4}").resolve(Map.of("pan", pan));
    assertThat(grouped.replace(" ", "")).isEqualTo(pan);
    assertThat(grouped).doesNotStartWith(" ").doesNotEndWith(" ");
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<String> digits() {
    return net.jqwik.api.Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(23);
  }

  @Property
  void anyTemplateTextParsesOrGivesOurTypedException(@ForAll @StringLength(max = 30) String text) {
    try {
      FieldTemplate t = FieldTemplate.parse("el", text);
      Map<String, String> values = new java.util.HashMap<>();
      t.fields().forEach(f -> values.put(f, "2912"));
      t.resolve(values);
    } catch (ValidationException expected) {
      assertThat(expected.field()).isNotNull();
    }
  }
}
