package dev.perso.core.cardholder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.ValidationException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class CardholderValuesTest {
  @Example
  void luhnAgainstPublishedExamples() {
    // The worked example of the Luhn formula (ISO/IEC 7812-1 Annex B; the "79927398713" example on the
    // Wikipedia page for the Luhn algorithm): payload 7992739871, check digit 3.
    assertThat(Pan.luhnDigit("7992739871")).isEqualTo('3');
    assertThat(Pan.luhnValid("79927398713")).isTrue();
    assertThat(Pan.luhnValid("79927398710")).isFalse();
    // Visa's public test PANs (4111 1111 1111 1111; pyemv's 4761 7390 0101 0010) pass.
    assertThat(Pan.of("4111111111111111").bin()).isEqualTo("411111");
    assertThat(Pan.luhnComplete("476173900101001")).isEqualTo("4761739001010010");
  }

  @Example
  void aPanPrintsItsLastFourOnlyAndErrorsNeverQuoteIt() {
    Pan pan = Pan.of("4761739001010010");
    assertThat(pan.toString()).isEqualTo("************0010");
    assertThat(pan.masked()).isEqualTo(Pan.mask("4761739001010010"));
    assertThat(pan.lastFour()).isEqualTo("0010");
    assertThat(pan.grouped()).isEqualTo("4761 7390 0101 0010");
    assertThat(Pan.withoutLuhnCheck("1234567890123456789").grouped()).isEqualTo("1234 5678 9012 3456 789");
    assertThat(pan.bin(8)).isEqualTo("47617390");
    assertThatThrownBy(() -> Pan.of("4761739001010011")).isInstanceOf(ValidationException.class)
        .hasMessageContaining("Luhn").hasMessageNotContaining("4761739001010011");
    assertThat(Pan.withoutLuhnCheck("12345678901234567").luhnChecked()).isFalse();
    assertThatThrownBy(() -> Pan.of("47617390")).hasMessageContaining("12 to 19 digits");
    assertThatThrownBy(() -> Pan.of("47617390010100X0")).hasMessageContaining("character 15");
    assertThat(Pan.mask(null)).isEqualTo("null");
    assertThat(Pan.mask("123")).isEqualTo("***");
  }

  @Example
  void expiryForms() {
    Expiry e = Expiry.ofYymm("2802");
    assertThat(e.yymm()).isEqualTo("2802");
    assertThat(e.mmyy()).isEqualTo("0228");
    assertThat(e.mmSlashYy()).isEqualTo("02/28");
    assertThat(e.lastDay()).isEqualTo("280229");   // 2028 is a leap year
    assertThat(Expiry.ofYymm("2912").lastDay()).isEqualTo("291231");
    assertThatThrownBy(() -> Expiry.ofYymm("2913")).isInstanceOf(ValidationException.class).hasMessageContaining("month");
  }

  @Example
  void secretsPrintTheirLengthCompareInConstantTimeAndWipe() {
    Pin pin = Pin.of("1234");
    assertThat(pin.toString()).isEqualTo("Pin[****]");
    assertThat(pin.matches(Pin.of("1234"))).isTrue();
    assertThat(pin.matches(Pin.of("1235"))).isFalse();
    assertThat(pin.reveal()).isEqualTo("1234");
    pin.close();
    assertThat(pin.toString()).isEqualTo("Pin[wiped]");
    assertThatThrownBy(pin::reveal).isInstanceOf(RuntimeException.class);
    assertThat(Cvv.of("123").toString()).isEqualTo("Cvv[***]");
    assertThatThrownBy(() -> Pin.of("12a4")).isInstanceOf(ValidationException.class).hasMessageNotContaining("12a4");
  }

  @Provide
  Arbitrary<String> payloads() {
    return Arbitraries.strings().numeric().ofMinLength(11).ofMaxLength(18);
  }

  @Property
  void everyCompletedPayloadIsAValidPanAndOneChangedDigitIsNot(@ForAll("payloads") String payload) {
    String full = Pan.luhnComplete(payload);
    assertThat(Pan.of(full).digits()).isEqualTo(full);
    int last = full.charAt(full.length() - 1) - '0';
    String wrong = full.substring(0, full.length() - 1) + (char) ('0' + (last + 1) % 10);
    assertThat(Pan.luhnValid(wrong)).isFalse();
  }

  @Property
  void anyTextGivesAPanOrOurExceptionNeverAnother(@ForAll String text) {
    for (String s : new String[] {text, text.replaceAll("[^0-9]", "")}) {
      try {
        Pan p = Pan.withoutLuhnCheck(s);
        assertThat(p.digits()).isEqualTo(s);
        Expiry.ofYymm(s.length() >= 4 ? s.substring(0, 4) : s);
      } catch (ValidationException expected) {
        if (s.length() >= 4 && s.chars().allMatch(Character::isDigit)) {
          assertThat(expected.getMessage()).doesNotContain(s);
        }
      } catch (NullPointerException e) {
        throw new AssertionError("NPE for input", e);
      }
    }
  }
}
