package dev.perso.iso7813;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.perso.core.Bytes;
import dev.perso.core.PersoException;
import dev.perso.iso7813.internal.Checks;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class TrackProperties {

  // ---------- generators ----------

  static Arbitrary<String> pans() {
    return Arbitraries.strings().numeric().ofMinLength(11).ofMaxLength(18)
        .filter(p -> !p.startsWith("59"))
        .map(p -> p + dev.perso.core.cardholder.Pan.luhnDigit(p));
  }

  static Arbitrary<String> names() {
    Arbitrary<String> surname = Arbitraries.strings().withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZ-'").ofMinLength(1).ofMaxLength(14);
    Arbitrary<String> first = Arbitraries.strings().withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZ").ofMinLength(0).ofMaxLength(9);
    Arbitrary<String> title = Arbitraries.of("", ".MR", ".MRS", ".DR");
    return Combinators.combine(surname, first, title).as((s, f, t) -> s + "/" + f + t).filter(n -> n.length() <= 26);
  }

  static Arbitrary<String> expiries() {
    return Combinators.combine(Arbitraries.integers().between(0, 99), Arbitraries.integers().between(1, 12))
        .as((y, m) -> String.format("%02d%02d", y, m));
  }

  static Arbitrary<String> serviceCodes() {
    return Combinators.combine(Arbitraries.of('1', '2', '5', '6', '7', '9'), Arbitraries.of('0', '2', '4'),
        Arbitraries.of('0', '1', '2', '3', '4', '5', '6', '7')).as((a, b, c) -> "" + a + b + c);
  }

  static Arbitrary<String> track1Chars(int max) {
    StringBuilder set = new StringBuilder();
    for (char c = 0x20; c <= 0x5F; c++) {
      if (c != '%' && c != '?') {
        set.append(c);
      }
    }
    return Arbitraries.strings().withChars(set.toString()).ofMaxLength(max);
  }

  @Provide
  Arbitrary<Track1> track1s() {
    return Combinators.combine(pans(), names(), expiries().injectNull(0.1), serviceCodes().injectNull(0.1), track1Chars(40))
        .as((pan, name, exp, sc, dd) -> {
          int room = 79 - (2 + pan.length() + 1 + name.length() + 1 + 4 + 3 + 2);
          return Track1.builder().pan(pan).name(name).expiry(exp).serviceCode(sc)
              .discretionaryData(dd.substring(0, Math.max(0, Math.min(dd.length(), room)))).build();
        });
  }

  @Provide
  Arbitrary<Track2> track2s() {
    return Combinators.combine(pans(), expiries().injectNull(0.1), serviceCodes().injectNull(0.1),
        Arbitraries.strings().withCharRange('0', '>').ofMaxLength(20))
        .as((pan, exp, sc, dd) -> {
          int room = 40 - (1 + pan.length() + 1 + 4 + 3 + 2);
          return Track2.builder().pan(pan).expiry(exp).serviceCode(sc)
              .discretionaryData(dd.replace(';', '0').substring(0, Math.max(0, Math.min(dd.length(), room)))).build();
        });
  }

  @Provide
  Arbitrary<Track3> track3s() {
    net.jqwik.api.arbitraries.StringArbitrary d = Arbitraries.strings().numeric();
    return Combinators.combine(pans().injectNull(0.2), expiries().injectNull(0.3), d.ofLength(6).injectNull(0.3),
        d.ofLength(3), d.ofMaxLength(10), d.ofLength(9).injectNull(0.5), Arbitraries.strings().withCharRange('0', '>').ofMaxLength(15))
        .as((pan, exp, pin, cur, san1, csn, add) -> Track3.builder().pan(pan == null ? "" : pan).expiry(exp)
            .set(Track3.Field.PIN_PARAMETERS, pin).set(Track3.Field.CURRENCY, cur).set(Track3.Field.SAN1, san1)
            .set(Track3.Field.CARD_SECURITY_NUMBER, csn).set(Track3.Field.ADDITIONAL_DATA, add.replace(';', '0')).build());
  }

  @Provide
  Arbitrary<Track> tracks() {
    return Arbitraries.oneOf(track1s(), track2s(), track3s());
  }

  // ---------- properties ----------

  @Property
  void parseOfBuildIsIdentity(@ForAll("track1s") Track1 t1, @ForAll("track2s") Track2 t2, @ForAll("track3s") Track3 t3) {
    assertThat(Track1.parse(t1.text())).isEqualTo(t1);
    Track1 p1 = Track1.parse(t1.text());
    assertThat(p1.pan()).isEqualTo(t1.pan());
    assertThat(p1.name()).isEqualTo(t1.name());
    assertThat(p1.expiry()).isEqualTo(t1.expiry());
    assertThat(p1.serviceCode()).isEqualTo(t1.serviceCode());
    assertThat(p1.discretionaryData()).isEqualTo(t1.discretionaryData());
    Track2 p2 = Track2.parse(t2.text());
    assertThat(p2).isEqualTo(t2);
    assertThat(p2.discretionaryData()).isEqualTo(t2.discretionaryData());
    assertThat(p2.expiry()).isEqualTo(t2.expiry());
    Track3 p3 = Track3.parse(t3.text());
    assertThat(p3.fields()).isEqualTo(t3.fields());
    assertThat(Track3.parseLenient(t3.text()).isStrict()).isTrue();
  }

  @Property
  void everyEncodedCharacterHasOddParity(@ForAll("tracks") Track t) {
    RawFormat f = t.type() == TrackType.TRACK_1 ? RawFormat.CHAR_7 : RawFormat.CHAR_5;
    Bytes raw = t.encode(new RawOptions(f, BitOrder.LSB_FIRST, 0, 0));
    assertThat(raw.length()).isEqualTo(t.encodedLength());
    for (int i = 0; i < raw.length(); i++) {
      assertThat(Integer.bitCount(raw.getUnsigned(i)) % 2).as("character %d", i).isEqualTo(1);
    }
  }

  @Property
  void xorOfAllDataCharactersIncludingLrcIsZero(@ForAll("tracks") Track t) {
    RawFormat f = t.type() == TrackType.TRACK_1 ? RawFormat.CHAR_7 : RawFormat.CHAR_5;
    Bytes raw = t.encode(new RawOptions(f, BitOrder.LSB_FIRST, 0, 0));
    int mask = (1 << t.type().dataBits()) - 1;
    int x = 0;
    for (int i = 0; i < raw.length(); i++) {
      x ^= raw.getUnsigned(i) & mask;
    }
    assertThat(x).isZero();
  }

  @Property
  void allSixtyFourTrack1CharactersEncodeToTheirCodeWithOddParity(@ForAll @IntRange(min = 0, max = 63) int code) {
    // notes 1.7: a table-driven encoder mapped '/' to the pattern of ')' (Protryon/misiri_driver); check every code.
    char c = TrackType.TRACK_1.character(code);
    if (c == '%' || c == '?') {
      return;
    }
    Bytes raw = RawCodec.encode(TrackType.TRACK_1, "%" + c + "?", RawOptions.of(TrackType.TRACK_1, 7));
    assertThat(raw.getUnsigned(1) & 0x3F).isEqualTo(code);
    assertThat(Integer.bitCount(raw.getUnsigned(1)) % 2).isEqualTo(1);
  }

  @Property
  void rawRoundTripsAtEveryBpc(@ForAll("tracks") Track t, @ForAll @IntRange(min = 0, max = 70) int lead,
      @ForAll @IntRange(min = 0, max = 70) int trail, @ForAll BitOrder order, @ForAll boolean reverse) {
    List<Integer> bpcs = t.type() == TrackType.TRACK_1 ? List.of(8, 7, 6) : List.of(8, 5);
    for (int bpc : bpcs) {
      RawOptions o = RawOptions.of(t.type(), bpc).newBuilder().leadingZeros(lead).trailingZeros(trail).bitOrder(order).build();
      Bytes raw = t.encode(o);
      DecodedTrack d = RawCodec.decode(t.type(), raw, o);
      assertThat(d.text()).isEqualTo(t.text());
      assertThat(d.lrc()).isEqualTo(t.lrc());
      assertThat(d.direction()).isEqualTo(SwipeDirection.FORWARD);
      if (bpc == 8 && reverse) {
        DecodedTrack r = RawCodec.decode(t.type(), reverseBits(raw, order), o);
        assertThat(r.text()).isEqualTo(t.text());
        assertThat(r.direction()).isEqualTo(SwipeDirection.REVERSE);
      }
    }
  }

  private static Bytes reverseBits(Bytes raw, BitOrder order) {
    int bits = raw.length() * 8;
    byte[] out = new byte[raw.length()];
    for (int k = 0; k < bits; k++) {
      int sh = order == BitOrder.LSB_FIRST ? (k & 7) : 7 - (k & 7);
      int bit = (raw.getUnsigned(k >>> 3) >>> sh) & 1;
      int r = bits - 1 - k;
      int rs = order == BitOrder.LSB_FIRST ? (r & 7) : 7 - (r & 7);
      out[r >>> 3] |= (byte) (bit << rs);
    }
    return Bytes.of(out);
  }

  @Property
  void malformedTextGivesTypedErrors(@ForAll("noise") String s, @ForAll boolean lenient) {
    for (Runnable r : List.<Runnable>of(() -> Track1.parse(s), () -> Track2.parse(s), () -> Track3.parse(s),
        () -> Track1.parseLenient(s), () -> Track2.parseLenient(s), () -> Track3.parseLenient(s), () -> Tracks.parse(s, lenient))) {
      try {
        r.run();
      } catch (PersoException expected) {
        // typed: fine
      }
    }
  }

  @Provide
  Arbitrary<String> noise() {
    Arbitrary<String> structured = Arbitraries.strings().withChars("%;?^=B0123456789/ AZ\tD").ofMaxLength(60);
    Arbitrary<String> any = Arbitraries.strings().all().ofMaxLength(40);
    Arbitrary<String> mutated = tracks().flatMap(t -> Arbitraries.integers().between(0, t.text().length() - 1)
        .flatMap(i -> Arbitraries.chars().range(' ', '~').map(c -> t.text().substring(0, i) + c + t.text().substring(i + 1))));
    Arbitrary<String> cut = tracks().flatMap(t -> Arbitraries.integers().between(0, t.text().length()).map(i -> t.text().substring(0, i)));
    return Arbitraries.oneOf(structured, any, mutated, cut);
  }

  @Property
  void malformedRawGivesTypedErrors(@ForAll byte[] raw, @ForAll("bpcs") int bpc, @ForAll @IntRange(min = 1, max = 3) int track,
      @ForAll BitOrder order) {
    TrackType type = TrackType.of(track);
    RawFormat f = switch (bpc) {
      case 5 -> RawFormat.CHAR_5;
      case 6 -> RawFormat.CHAR_6;
      case 7 -> RawFormat.CHAR_7;
      default -> RawFormat.PACKED;
    };
    if (!f.supports(type)) {
      return;
    }
    RawOptions o = RawOptions.of(type, bpc).newBuilder().bitOrder(order).build();
    assertThatCode(() -> {
      try {
        RawCodec.decode(type, Bytes.of(raw), o);
      } catch (TrackDecodeException expected) {
        assertThat(expected.getMessage()).isNotBlank();
      }
    }).doesNotThrowAnyException();
  }

  @Provide
  Arbitrary<Integer> bpcs() {
    return Arbitraries.of(5, 6, 7, 8);
  }

  @Property
  void corruptedRawIsDetected(@ForAll("tracks") Track t, @ForAll @IntRange(min = 0, max = 10_000) int pick) {
    // Flipping any one bit of the characters or LRC gives a parity or LRC error (or a reverse-swipe error).
    RawOptions o = new RawOptions(t.type() == TrackType.TRACK_1 ? RawFormat.CHAR_7 : RawFormat.CHAR_5, BitOrder.LSB_FIRST, 0, 0);
    byte[] raw = t.encode(o).toByteArray();
    int bits = raw.length * o.format().bpc();
    int k = pick % bits;
    raw[k / o.format().bpc()] ^= (byte) (1 << (k % o.format().bpc()));
    try {
      DecodedTrack d = RawCodec.decode(t.type(), Bytes.of(raw), o);
      assertThat(d.text()).as("a single bit flip must not decode to the same text silently").isNotEqualTo(t.text());
    } catch (TrackDecodeException expected) {
      assertThat(expected.bitOffset()).isGreaterThanOrEqualTo(-1);
    }
  }
}
