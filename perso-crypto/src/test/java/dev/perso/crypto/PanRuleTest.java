package dev.perso.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.ValidationException;
import org.junit.jupiter.api.Test;

/**
 * One PAN rule (issue 11 item 17): a PAN is 8..19 digits (ISO/IEC 7812-1:2017), for the CVV as for the tracks
 * of perso-iso7813; the PVV alone needs 12, because its TSP takes the 11 digits left of the check digit.
 */
class PanRuleTest {
  private static final CryptoBackend SW = new SoftwareBackend();

  @Test
  void aCvvTakesAnyPanOf8To19Digits() {
    KeyRef cvk = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.CVK, "0123456789ABCDEFFEDCBA9876543210");
    assertThat(SW.cvv(cvk, CvvInput.of("47617390", "2612", "101"))).matches("[0-9]{3}");
    assertThat(CvvInput.of("4761739001010010123", "2612", "101").pan()).hasSize(19);
    assertThatThrownBy(() -> CvvInput.of("4761739", "2612", "101"))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("pan"));
    assertThatThrownBy(() -> CvvInput.of("47617390010100101234", "2612", "101")).isInstanceOf(ValidationException.class);
  }

  @Test
  void aPvvNeedsTwelveDigitsAndSaysWhy() {
    KeyRef pvk = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.PVK, "0123456789ABCDEFFEDCBA9876543210");
    assertThat(SW.pvv(pvk, "476173900101", 1, "1234")).matches("[0-9]{4}");
    assertThatThrownBy(() -> SW.pvv(pvk, "47617390010", 1, "1234"))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.getMessage())
            .isEqualTo("pan: the PVV needs 11 digits left of the check digit: 12..19 digits, was 11"));
  }
}
