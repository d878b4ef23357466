package dev.perso.iso7813;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.MalformedDataException;
import dev.perso.core.PersoException;
import dev.perso.core.ValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParseTest {

  @Test
  void strictTrack1() {
    Track1 t = Track1.parse("%B4111111111111111^DOE/JOHN.MR^2612101123456789?");
    assertThat(t.pan()).isEqualTo("4111111111111111");
    assertThat(t.name()).isEqualTo("DOE/JOHN.MR");
    assertThat(t.expiry()).contains("2612");
    assertThat(t.serviceCode()).contains("101");
    assertThat(t.discretionaryData()).isEqualTo("123456789");
  }

  @Test
  void strictTrack2() {
    Track2 t = Track2.parse(";4111111111111111=2612101123456789?");
    assertThat(t.pan()).isEqualTo("4111111111111111");
    assertThat(t.expiry()).contains("2612");
    assertThat(t.serviceCode()).contains("101");
    assertThat(t.discretionaryData()).isEqualTo("123456789");
  }

  @Test
  void blankNameAsSeenOnRealCards() {
    // magnetictrackparser Track3Test: a name of a space and '/' padded with spaces (sualeh/magnetictrackparser)
    Track1 t = Track1.parse("%B4111111111111111^ /                        ^2612101?");
    assertThat(t.name()).hasSize(26).startsWith(" /");
  }

  @Test
  void strictRejectsWhatLenientTolerates() {
    String reader = " ;4111 1111 1111 1111=2612101123?5 ";
    assertThatThrownBy(() -> Track2.parse(reader)).isInstanceOf(MalformedDataException.class);
    Parsed<Track2> p = Track2.parseLenient(reader);
    assertThat(p.value().pan()).isEqualTo("4111111111111111");
    assertThat(p.value().discretionaryData()).isEqualTo("123");
    assertThat(p.isStrict()).isFalse();
    assertThat(p.tolerated()).containsExactly("leading or trailing whitespace removed",
        "1 character(s) after the end sentinel ignored (LRC or noise)", "spaces in the PAN removed");
  }

  @Test
  void lenientTrack2AcceptsEmvSeparatorAndMissingSentinels() {
    // pyemv CVC3 template (knovichikhin/pyemv:pyemv/cvv.py): 5123456789012345D35121010000000000000F-style data
    Parsed<Track2> p = Track2.parseLenient("4111111111111111D2612101000");
    assertThat(p.value().text()).isEqualTo(";4111111111111111=2612101000?");
    assertThat(p.tolerated()).anyMatch(s -> s.contains("start sentinel")).anyMatch(s -> s.contains("end sentinel"))
        .anyMatch(s -> s.contains("'D'"));
  }

  @Test
  void lenientTrack1UpperCasesAndToleratesSoftRules() {
    Parsed<Track1> p = Track1.parseLenient("%b4111111111111112^acme corp^2612301?");
    assertThat(p.value().name()).isEqualTo("ACME CORP");
    assertThat(p.tolerated()).anyMatch(s -> s.contains("upper-cased")).anyMatch(s -> s.contains("Luhn"))
        .anyMatch(s -> s.contains("SURNAME/FIRST")).anyMatch(s -> s.contains("reserved"));
    assertThat(String.join(" ", p.tolerated())).doesNotContain("4111111111111112");
  }

  @Test
  void strictParseIsClean() {
    Parsed<Track2> p = Track2.parseLenient(";4111111111111111=2612101?");
    assertThat(p.isStrict()).isTrue();
    assertThat(Track3.parseLenient(Track3.builder().pan("4111111111111111").build().text()).isStrict()).isTrue();
  }

  @Test
  void malformedNamesTheOffset() {
    assertThatThrownBy(() -> Track1.parse("%A4111111111111111^DOE/J^2612101?"))
        .isInstanceOfSatisfying(MalformedDataException.class, e -> assertThat(e.offset()).isEqualTo(1));
    assertThatThrownBy(() -> Track2.parse(";41111X1111111111=2612101?"))
        .isInstanceOfSatisfying(MalformedDataException.class, e -> assertThat(e.offset()).isEqualTo(6));
    assertThatThrownBy(() -> Track2.parse(";4111111111111111=26?"))
        .isInstanceOfSatisfying(MalformedDataException.class, e -> assertThat(e.reason()).contains("expiry"));
    assertThatThrownBy(() -> Track2.parse(";4111111111111111=2612101"))
        .isInstanceOfSatisfying(MalformedDataException.class, e -> assertThat(e.reason()).contains("end sentinel"));
    assertThatThrownBy(() -> Track1.parse("%B4111111111111111^DOE/J?"))
        .isInstanceOfSatisfying(MalformedDataException.class, e -> assertThat(e.reason()).contains("after the name"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "%", "?", "%B", "%B?", "%B^?", "%B1^^", ";", ";=", ";=?", ";==?", ";1=", "%B4111111111111111^DOE/J^26",
      ";01?", ";01=", ";0141=", "%B41^X^?"})
  void fragmentsGiveTypedErrors(String s) {
    assertThatThrownBy(() -> {
      Track1.parse(s);
      Track2.parse(s);
      Track3.parse(s);
    }).isInstanceOf(PersoException.class);
  }

  @Test
  void parseDetectsTheTrack() {
    assertThat(Tracks.parse("%B4111111111111111^DOE/J^2612101?").value()).isInstanceOf(Track1.class);
    assertThat(Tracks.parse(";4111111111111111=2612101?").value()).isInstanceOf(Track2.class);
    assertThat(Tracks.parse(Track3.builder().pan("4111111111111111").build().text()).value()).isInstanceOf(Track3.class);
    assertThatThrownBy(() -> Tracks.parse("hello")).isInstanceOf(MalformedDataException.class);
    assertThatThrownBy(() -> Tracks.parseLenient(null)).isInstanceOf(ValidationException.class);
  }
}
