package dev.perso.iso7813;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.ValidationException;
import org.junit.jupiter.api.Test;

class TrackBuildTest {
  // The well-known Luhn-valid Visa test PAN

  private static final String PAN = "4111111111111111";

  @Test
  void track1FormatB() {
    Track1 t = Track1.builder().pan(PAN).name("SMITH/JOHN.MR").expiry("2612").serviceCode("101")
        .discretionaryData("1000000561000").build();
    assertThat(t.text()).isEqualTo("%B4111111111111111^SMITH/JOHN.MR^26121011000000561000?");
    assertThat(t.type()).isEqualTo(TrackType.TRACK_1);
    assertThat(t.lrc()).isBetween(0, 63);
    assertThat(t.encodedLength()).isEqualTo(t.text().length() + 1);
  }

  @Test
  void track2() {
    Track2 t = Track2.builder().pan(PAN).expiry("2612").serviceCode("101").discretionaryData("1000561").build();
    assertThat(t.text()).isEqualTo(";4111111111111111=26121011000561?");
    assertThat(t.lrcCharacter()).isEqualTo(TrackType.TRACK_2.character(t.lrc()));
  }

  @Test
  void absentExpiryAndServiceCodeAreLoneSeparators() {
    assertThat(Track1.builder().pan(PAN).name("DOE/J").build().text()).isEqualTo("%B4111111111111111^DOE/J^^^?");
    assertThat(Track2.builder().pan(PAN).serviceCode("101").build().text()).isEqualTo(";4111111111111111==101?");
  }

  @Test
  void lrcOfManualExample() {
    // MRSE206 manual p.20 (manualshive.com/ru/manual/magstripe/msre206/3631933?page=20): LRC of %ABC123? is 0x2A
    assertThat(Integer.toHexString(dev.perso.iso7813.internal.TrackCodec.lrc(TrackType.TRACK_1, "%ABC123?"))).isEqualTo("2a");
  }

  @Test
  void luhnIsCheckedUnlessSwitchedOff() {
    // Padilla, "Track format of magnetic stripe cards": 123456789012344 -> check digit 5
    assertThat(dev.perso.core.cardholder.Pan.luhnDigit("123456789012344")).isEqualTo('5');
    assertThatThrownBy(() -> Track2.builder().pan("4123456789012346").build())
        .isInstanceOfSatisfying(ValidationException.class, e -> {
          assertThat(e.field()).isEqualTo("pan");
          assertThat(e.rule()).contains("Luhn");
          assertThat(e.getMessage()).doesNotContain("4123456789012346");
        });
    assertThat(Track2.builder().pan("4123456789012346").luhnCheck(false).build().pan()).isEqualTo("4123456789012346");
  }

  @Test
  void panRules() {
    assertThatThrownBy(() -> Track2.builder().pan("41111111111111116789").luhnCheck(false).build())
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.rule()).contains("8..19 digits, was 20"));
    // ISO/IEC 7812-1:2017: a PAN is 8..19 digits; the same rule as CvvInput in perso-crypto.
    assertThatThrownBy(() -> Track2.builder().pan("4111111").luhnCheck(false).build())
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.rule()).contains("8..19 digits, was 7"));
    assertThat(Track2.builder().pan("41111111").luhnCheck(false).build().pan()).isEqualTo("41111111");
    assertThatThrownBy(() -> Track2.builder().pan("4123 4567").build())
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.rule()).contains("position 4"));
    assertThatThrownBy(() -> Track2.builder().build())
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("pan"));
  }

  @Test
  void countryCodeWhenPanStartsWith59() {
    String pan59 = "5912345678901" + dev.perso.core.cardholder.Pan.luhnDigit("5912345678901");
    assertThatThrownBy(() -> Track2.builder().pan(pan59).expiry("2612").build())
        .isInstanceOfSatisfying(ValidationException.class, e -> {
          assertThat(e.field()).isEqualTo("countryCode");
          assertThat(e.rule()).contains("59");
        });
    assertThatThrownBy(() -> Track2.builder().pan(PAN).countryCode("276").build())
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("countryCode"));
    Track2 t2 = Track2.builder().pan(pan59).countryCode("276").expiry("2612").serviceCode("120").build();
    assertThat(t2.text()).isEqualTo(";" + pan59 + "=2762612120?");
    assertThat(Track2.parse(t2.text())).isEqualTo(t2);
    Track1 t1 = Track1.builder().pan(pan59).countryCode("276").name("MUELLER/A").expiry("2612").build();
    assertThat(t1.text()).isEqualTo("%B" + pan59 + "^276MUELLER/A^2612^?");
    assertThat(Track1.parse(t1.text())).isEqualTo(t1);
    assertThat(Track1.parse(t1.text()).countryCode()).contains("276");
  }

  @Test
  void expiryIsYymm() {
    assertThatThrownBy(() -> Track2.builder().pan(PAN).expiry("2613").build())
        .isInstanceOfSatisfying(ValidationException.class, e -> {
          assertThat(e.field()).isEqualTo("expiry");
          assertThat(e.rule()).contains("YYMM");
        });
    assertThatThrownBy(() -> Track2.builder().pan(PAN).expiry("12/26").build())
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("expiry"));
  }

  @Test
  void serviceCodeDigitByDigit() {
    ServiceCode sc = ServiceCode.of("201");
    assertThat(sc.interchange()).contains("international").contains("chip");
    assertThat(sc.authorization()).isEqualTo("normal authorization");
    assertThat(sc.services()).isEqualTo("no restrictions");
    assertThat(sc.hasChip()).isTrue();
    assertThat(ServiceCode.of("101").describe()).isEqualTo("international interchange; normal authorization; no restrictions");
    assertThatThrownBy(() -> ServiceCode.of("301"))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.rule()).isEqualTo("digit 1 value 3 is reserved"));
    assertThatThrownBy(() -> ServiceCode.of("211"))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.rule()).isEqualTo("digit 2 value 1 is reserved"));
    assertThatThrownBy(() -> ServiceCode.of("208"))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.rule()).isEqualTo("digit 3 value 8 is reserved"));
    assertThatThrownBy(() -> Track2.builder().pan(PAN).serviceCode("801").build())
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("serviceCode"));
  }

  @Test
  void overflowSaysByHowMuch() {
    // ';' + 16 + '=' + 7 + 15 + '?' + LRC = 42 -> 2 over 40
    assertThatThrownBy(() -> Track2.builder().pan(PAN).expiry("2612").serviceCode("101").discretionaryData("123456789012345").build())
        .isInstanceOfSatisfying(ValidationException.class, e -> {
          assertThat(e.field()).isEqualTo("track2");
          assertThat(e.rule()).isEqualTo("is 42 characters including sentinels and LRC, 2 over the maximum of 40");
        });
    // exactly 40 is fine
    assertThat(Track2.builder().pan(PAN).expiry("2612").serviceCode("101").discretionaryData("1234567890123").build()
        .encodedLength()).isEqualTo(40);
    String dd = "0".repeat(79 - 2 - 16 - 1 - 10 - 1 - 7 - 2 + 1);
    assertThatThrownBy(() -> Track1.builder().pan(PAN).name("SMITH/JOHN").expiry("2612").serviceCode("101").discretionaryData(dd).build())
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.rule()).contains("1 over the maximum of 79"));
  }

  @Test
  void nameRules() {
    assertThatThrownBy(() -> Track1.builder().pan(PAN).name("X").build())
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.rule()).contains("2..26"));
    assertThatThrownBy(() -> Track1.builder().pan(PAN).name("ACME CORP").build())
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.rule()).contains("SURNAME/FIRST.TITLE"));
    assertThatThrownBy(() -> Track1.builder().pan(PAN).name("smith/john").build())
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.rule()).contains("outside the character set"));
    assertThatThrownBy(() -> Track1.builder().pan(PAN).name("SMITH^JOHN").build())
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("name"));
  }

  @Test
  void nameHelperFormatsAndShortensByTheDocumentedRule() {
    assertThat(Name.of("Smith", "John Paul", "Dr").fullText()).isEqualTo("SMITH/JOHN PAUL.DR");
    assertThat(Name.of("Smith", "John Paul", "Dr").isShortened()).isFalse();
    assertThat(Name.of("Müller-Lüdenscheidt", "José").trackText()).isEqualTo("MULLER-LUDENSCHEIDT/JOSE");
    // step 1: drop the title
    assertThat(Name.of("Montgomery", "Charles Philip", "Prof").trackText()).isEqualTo("MONTGOMERY/CHARLES PHILIP");
    // step 2: later first names to initials
    assertThat(Name.of("Montgomery", "Charles Philip Arthur").trackText()).isEqualTo("MONTGOMERY/CHARLES P A");
    // step 3: every first name to its initial
    assertThat(Name.of("Montgomery-Smithson", "Charles Philip Arthur").trackText()).isEqualTo("MONTGOMERY-SMITHSON/C P A");
    // step 4: only the first initial
    assertThat(Name.of("Montgomery-Smithsonian", "Charles Philip Arthur").trackText()).isEqualTo("MONTGOMERY-SMITHSONIAN/C");
    // step 5: cut the surname
    Name n = Name.of("Featherstonehaugh-Wolfeschlegel", "Maximilian Alexander", "Prof");
    assertThat(n.trackText()).isEqualTo("FEATHERSTONEHAUGH-WOLFES/M").hasSize(26);
    assertThat(n.isShortened()).isTrue();
    assertThat(n.toString()).doesNotContain("FEATHER");
    assertThatThrownBy(() -> Name.of("", "John")).isInstanceOfSatisfying(ValidationException.class,
        e -> assertThat(e.field()).isEqualTo("name.surname"));
    assertThatThrownBy(() -> Name.of("O/Brien", "John")).isInstanceOf(ValidationException.class);
    assertThat(Track1.builder().pan(PAN).name(n).build().name()).isEqualTo("FEATHERSTONEHAUGH-WOLFES/M");
  }

  @Test
  void track3FieldList() {
    Track3 t3 = Track3.builder().pan(PAN).set(Track3.Field.CURRENCY, "978").set(Track3.Field.CURRENCY_EXPONENT, "2")
        .set(Track3.Field.PIN_PARAMETERS, "011234").expiry("2612").build();
    // ; FC PAN = CC:absent CUR EXP AMT AMT CYB CYL RTY PINPARM IC SR SR SR ED CSN CSEC:absent SAN1= SAN2= RM CCD:absent ADD ?
    assertThat(t3.text()).isEqualTo(";01" + PAN + "=" + "=" + "978" + "2" + "0000" + "0000" + "0000" + "00" + "0" + "011234"
        + "0" + "00" + "00" + "00" + "2612" + "0" + "=" + "=" + "=" + "0" + "=" + "?");
    assertThat(t3.get(Track3.Field.COUNTRY_CODE)).isEmpty();
    assertThat(t3.get(Track3.Field.CURRENCY)).contains("978");
    assertThat(Track3.parse(t3.text())).isEqualTo(t3);
    assertThat(Track3.parse(t3.text()).fields()).isEqualTo(t3.fields());
    assertThat(t3.toString()).doesNotContain(PAN);
    assertThatThrownBy(() -> Track3.builder().set(Track3.Field.CURRENCY_EXPONENT, "7").build())
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("track3.currency_exponent"));
    assertThatThrownBy(() -> Track3.builder().set(Track3.Field.ADDITIONAL_DATA, "1".repeat(80)).build())
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("track3"));
  }

  @Test
  void toStringNeverPrintsTrackData() {
    Track1 t1 = Track1.builder().pan(PAN).name("SMITH/JOHN").expiry("2612").serviceCode("101").discretionaryData("987").build();
    Track2 t2 = Track2.builder().pan(PAN).expiry("2612").serviceCode("101").discretionaryData("987").build();
    MagStripe m = MagStripe.builder().track1(t1).track2(t2).build();
    for (Object o : new Object[] {t1, t2, m}) {
      assertThat(o.toString()).doesNotContain(PAN).doesNotContain("SMITH").doesNotContain("2612").doesNotContain("987")
          .doesNotContain("411111");
    }
    assertThat(t2.toString()).contains("************1111");
    assertThat(t1.encode(RawOptions.of(TrackType.TRACK_1, 8)).toString()).doesNotContain(t1.encode(RawOptions.of(TrackType.TRACK_1, 8)).toHex());
  }

  @Test
  void magStripeHoldsTracksCoercivityAndDensities() {
    Track2 t2 = Track2.builder().pan(PAN).expiry("2612").build();
    MagStripe m = MagStripe.builder().track2(t2).coercivity(Coercivity.LOCO).density(TrackType.TRACK_2, Density.BPI_210).build();
    assertThat(m.tracks()).containsExactly(t2);
    assertThat(m.track1()).isEmpty();
    assertThat(m.coercivity()).isEqualTo(Coercivity.LOCO);
    assertThat(m.density(TrackType.TRACK_2)).isEqualTo(Density.BPI_210);
    assertThat(m.density(TrackType.TRACK_1)).isEqualTo(Density.BPI_210);
    assertThat(m.newBuilder().build()).isEqualTo(m);
    assertThatThrownBy(() -> MagStripe.builder().build()).isInstanceOf(ValidationException.class);
  }

  @Test
  void newBuilderDerivesAVariant() {
    Track2 t = Track2.builder().pan(PAN).expiry("2612").serviceCode("101").build();
    assertThat(t.newBuilder().serviceCode("201").build().text()).isEqualTo(";4111111111111111=2612201?");
  }
}
