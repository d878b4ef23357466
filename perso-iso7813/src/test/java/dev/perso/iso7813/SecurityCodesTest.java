package dev.perso.iso7813;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.ValidationException;
import dev.perso.crypto.ClearKeyRef;
import dev.perso.crypto.CvvInput;
import dev.perso.crypto.ExpiryOrder;
import dev.perso.crypto.KeyAlgorithm;
import dev.perso.crypto.KeyUsage;
import dev.perso.crypto.SoftwareBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** CVV and PVV vectors from shared/notes/magstripe-surface.md sections 2.2 and 2.3, placed by layouts. */
class SecurityCodesTest {
  private static final SoftwareBackend SW = new SoftwareBackend();

  private static ClearKeyRef cvk(String hex) {
    return ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.CVK, hex);
  }

  private static ClearKeyRef pvk(String hex) {
    return ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.PVK, hex);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      // C1: ilya-dubinsky/cfpp:c/test/test_magstripe.c (classic Visa example)
      "C1, 0123456789ABCDEFFEDCBA9876543210, 4123456789012345, 8701, 101, 561",
      // C5: knovichikhin/psec:psec/cvv.py doctest
      "C5, 0123456789ABCDEFFEDCBA9876543210, 1234567890123456, 9912, 220, 170",
  })
  void cvvVectorsLandInBothTracks(String id, String key, String pan, String exp, String sc, String expected) {
    StripeRecord rec = StripeRecord.builder().pan(pan).name("TEST/CARD").expiry(exp).serviceCode(sc).luhnCheck(false).build();
    try (ClearKeyRef k = cvk(key)) {
      MagStripe m = IssuerLayout.EXAMPLE_CVV.build(rec, StripeKeys.of(SW, k, null));
      // EXAMPLE_CVV: "0000" CVV padded with 0
      assertThat(m.track1().orElseThrow().discretionaryData()).isEqualTo("0000" + expected + "000000");
      assertThat(m.track2().orElseThrow().discretionaryData()).isEqualTo("0000" + expected + "000");
    }
  }

  @Test
  void cvvVectorWithReservedServiceCodeIsComputedButNotPutOnATrack() {
    // C6: knovichikhin/psec:tests/test_cvv.py: CVK 9999999999999999 8888888888888888, PAN 2222222222222222,
    // EXP 3333, SC 111 -> CVV 361. "3333" is no YYMM and digit 2 = 1 is reserved, so the track rejects it.
    StripeRecord rec = StripeRecord.builder().pan("2222222222222222").name("TEST/CARD").expiry("3333").serviceCode("111")
        .luhnCheck(false).build();
    try (ClearKeyRef k = cvk("99999999999999998888888888888888")) {
      StripeKeys keys = StripeKeys.of(SW, k, null);
      assertThat(IssuerLayout.EXAMPLE_CVV.codes(rec, keys).cvv()).isEqualTo("361");
      assertThatThrownBy(() -> IssuerLayout.EXAMPLE_CVV.build(rec, keys))
          .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("expiry"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      // P1: knovichikhin/psec:psec/pin.py doctest (TSP 3344556677834524)
      "P1, 3, 4524, 4021",
      // P2: knovichikhin/psec:tests/test_pin.py (TSP 3344556677814524)
      "P2, 1, 4524, 8523",
      // P3: knovichikhin/psec:tests/test_pin.py (TSP 3344556677821912)
      "P3, 2, 1912, 3244",
  })
  void pvvVectorsInPvvCvvLayout(String id, int pvki, String pin, String expected) {
    // PVK 0123456789ABCDEF FEDCBA9876543210, PAN 1122334455667788 (not Luhn-valid: check switched off)
    StripeRecord rec = StripeRecord.builder().pan("1122334455667788").name("TEST/CARD").expiry("2612").serviceCode("101")
        .pvki(pvki).pin(pin).luhnCheck(false).build();
    try (ClearKeyRef p = pvk("0123456789ABCDEFFEDCBA9876543210"); ClearKeyRef c = cvk("0123456789ABCDEFFEDCBA9876543210")) {
      StripeKeys keys = StripeKeys.of(SW, c, p);
      MagStripe m = IssuerLayout.EXAMPLE_PVV_CVV.build(rec, keys);
      String cvv = SW.cvv(c, CvvInput.of("1122334455667788", "2612", "101"));
      String dd2 = m.track2().orElseThrow().discretionaryData();
      assertThat(dd2).isEqualTo(pvki + expected + cvv + "00000");
      assertThat(m.track1().orElseThrow().discretionaryData()).isEqualTo(pvki + expected + cvv + "0".repeat(10));
    }
  }

  @Test
  void chipTrack2CarriesTheIcvvAndStripeTheCvv() {
    // C1 record (cfpp test_magstripe.c): CVV 561 with service code 101; iCVV uses 999.
    StripeRecord rec = StripeRecord.builder().pan("4123456789012345").name("TEST/CARD").expiry("8701").serviceCode("101").luhnCheck(false).build();
    try (ClearKeyRef k = cvk("0123456789ABCDEFFEDCBA9876543210")) {
      StripeKeys keys = StripeKeys.of(SW, k, null);
      String icvv = SW.cvv(k, CvvInput.of("4123456789012345", "8701", "999"));
      Track2 chip = IssuerLayout.EXAMPLE_CVV.chipTrack2(rec, keys);
      assertThat(chip.discretionaryData()).isEqualTo("0000" + icvv + "000");
      assertThat(IssuerLayout.EXAMPLE_CVV.build(rec, keys).track2().orElseThrow().discretionaryData()).isEqualTo("0000561000");
      assertThat(icvv).isNotEqualTo("561");
      SecurityCodes all = IssuerLayout.EXAMPLE_CVV.codesWithIcvv(rec, keys);
      assertThat(all.cvv()).isEqualTo("561");
      assertThat(all.icvv()).isEqualTo(icvv);
      assertThat(all.toString()).doesNotContain("561");
    }
  }

  @Test
  void expiryOrderIsAnIssuerParameter() {
    StripeRecord rec = StripeRecord.builder().pan("4123456789012345").name("TEST/CARD").expiry("8701").serviceCode("101").luhnCheck(false).build();
    try (ClearKeyRef k = cvk("0123456789ABCDEFFEDCBA9876543210")) {
      StripeKeys keys = StripeKeys.of(SW, k, null).withExpiryOrder(ExpiryOrder.MMYY);
      String mmyy = SW.cvv(k, new CvvInput("4123456789012345", "8701", "101", ExpiryOrder.MMYY));
      assertThat(IssuerLayout.EXAMPLE_CVV.codes(rec, keys).cvv()).isEqualTo(mmyy);
    }
  }

  @Test
  void missingInputsNameTheField() {
    StripeRecord noPin = StripeRecord.builder().pan("4123456789012345").name("TEST/CARD").expiry("8701").serviceCode("101").pvki(1).luhnCheck(false).build();
    try (ClearKeyRef k = cvk("0123456789ABCDEFFEDCBA9876543210")) {
      assertThatThrownBy(() -> IssuerLayout.EXAMPLE_PVV_CVV.build(noPin, StripeKeys.of(SW, k, k)))
          .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("pin"));
      assertThatThrownBy(() -> IssuerLayout.EXAMPLE_PVV_CVV.build(noPin, StripeKeys.of(SW, k, null)))
          .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("pvk"));
      StripeRecord noExp = StripeRecord.builder().pan("4123456789012345").name("TEST/CARD").serviceCode("101").luhnCheck(false).build();
      assertThatThrownBy(() -> IssuerLayout.EXAMPLE_CVV.build(noExp, StripeKeys.of(SW, k, null)))
          .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("expiry"));
    }
    assertThatThrownBy(() -> StripeRecord.builder().pvki(10)).isInstanceOf(ValidationException.class);
    assertThat(noPin.toString()).doesNotContain("4123456789012345");
  }

  @Test
  void layoutElementsAndPadding() {
    DiscretionaryLayout l = DiscretionaryLayout.builder().pvki().pvv().cvv().constant("9").padTo(12, '0').build();
    assertThat(l.fill(new SecurityCodes("1", "4021", "561", null))).isEqualTo("140215619000");
    assertThat(l.toString()).isEqualTo("DiscretionaryLayout[PVKI PVV CVV \"9\" padTo(12,'0')]");
    assertThatThrownBy(() -> DiscretionaryLayout.builder().cvv().padTo(2, '0').build().fill(new SecurityCodes(null, null, "561", null)))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("discretionaryData"));
    assertThatThrownBy(() -> new SecurityCodes(null, "40211", null, null)).isInstanceOf(ValidationException.class);
    assertThat(IssuerLayout.example("pvv-cvv")).contains(IssuerLayout.EXAMPLE_PVV_CVV);
    assertThat(IssuerLayout.examples()).containsKeys("pvv-cvv", "cvv");
  }
}
