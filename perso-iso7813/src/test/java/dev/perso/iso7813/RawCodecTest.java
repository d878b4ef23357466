package dev.perso.iso7813;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import dev.perso.core.ValidationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RawCodecTest {

  // Raw write examples of the MSR605 programmer's manual, section 9 addendum pages 15-23
  // (Nsfr750/MSR605:docs/PDF/MSR605 Programmer's Manual.pdf) and the MSR206 manual page 20
  // (https://manualshive.com/ru/manual/unitech/msr206/844363?page=22), as listed in
  // shared/notes/magstripe-surface.md section 1.6 item 5. Each row: track, text, bpc, raw bytes, LRC.
  @ParameterizedTest(name = "track {0} {1} at {2} bpc")
  @CsvSource({
      // MSR605 manual p.15-23, T1 "%ABC123?" with ESC o 08 08 08: len 08
      "1, %ABC123?, 8, C5B07814954E3E2A, 2A",
      // MSR605 manual p.15-23, T2/T3 ";12345?" at 8 bpc: len 05
      "2, ;12345?, 8, 2B8849EAAF, 05",
      "3, ;12345?, 8, 2B8849EAAF, 05",
      // MSR605 manual p.15-23, T1 "%ABC123?" with ESC o 07 05 05: len 09
      "1, %ABC123?, 7, 456162235152131F2A, 2A",
      // MSR605 manual p.15-23, T2/T3 ";12345?" at 5 bpc: len 08, LRC 05 + parity = 15
      "2, ;12345?, 5, 0B01021304151F15, 05",
      "3, ;12345?, 5, 0B01021304151F15, 05",
      // MSR605 manual p.15-23, T1 "%ABC123?" with ESC o 06 05 06: 6-bit, no parity
      "1, %ABC123?, 6, 052122231112131F2A, 2A",
  })
  void msrManualVectors(int track, String text, int bpc, String rawHex, String lrcHex) {
    TrackType type = TrackType.of(track);
    Bytes expected = Bytes.fromHex(rawHex.replace(" ", ""));
    RawOptions options = RawOptions.of(type, bpc);
    Bytes raw = RawCodec.encode(type, text, options);
    assertThat(raw.toHex()).isEqualTo(expected.toHex());
    assertThat(raw.isSecret()).isTrue();
    DecodedTrack d = RawCodec.decode(type, expected, options);
    assertThat(d.text()).isEqualTo(text);
    assertThat(d.lrc()).isEqualTo(Integer.parseInt(lrcHex, 16));
    assertThat(d.direction()).isEqualTo(SwipeDirection.FORWARD);
  }

  @Test
  void fullManualWriteFrameTrackData() {
    // MSR605 manual raw write frame: 1B 6E 1B 73 | 1B 01 08 C5B07814954E3E2A | 1B 02 05 2B8849EAAF | ...
    assertThat(RawCodec.encode(TrackType.TRACK_1, "%ABC123?", RawOptions.of(TrackType.TRACK_1, 8)).length()).isEqualTo(8);
    assertThat(RawCodec.encode(TrackType.TRACK_2, ";12345?", RawOptions.of(TrackType.TRACK_2, 8)).length()).isEqualTo(5);
  }

  @Test
  void percentSignHasParityOneAndLrcOfManualExample() {
    // MSR206 manual addendum: '%' = 0x05 -> b0..b5 = 101000, P = 1 (7-bit 0x45)
    Bytes raw = RawCodec.encode(TrackType.TRACK_1, "%ABC123?", RawOptions.of(TrackType.TRACK_1, 7));
    assertThat(raw.getUnsigned(0)).isEqualTo(0x45);
    // MRSE206 manual p.20: LRC of %ABC123? is 010101 (0x2A) with P = 0
    assertThat(raw.getUnsigned(8)).isEqualTo(0x2A);
  }

  @Test
  void msbFirstIsTheBitReversalOfLsbFirst() {
    RawOptions lsb = RawOptions.of(TrackType.TRACK_1, 8);
    RawOptions msb = lsb.newBuilder().bitOrder(BitOrder.MSB_FIRST).build();
    Bytes a = RawCodec.encode(TrackType.TRACK_1, "%ABC123?", lsb);
    Bytes b = RawCodec.encode(TrackType.TRACK_1, "%ABC123?", msb);
    for (int i = 0; i < a.length(); i++) {
      assertThat(Integer.reverse(a.getUnsigned(i)) >>> 24).isEqualTo(b.getUnsigned(i));
    }
    // C5 -> A3: the first byte of the manual vector in raw-read orientation
    assertThat(b.getUnsigned(0)).isEqualTo(0xA3);
    assertThat(RawCodec.decode(TrackType.TRACK_1, b, msb).text()).isEqualTo("%ABC123?");
  }

  @Test
  void leadingZerosAreSkippedAndCounted() {
    RawOptions o = RawOptions.msrDefaults(TrackType.TRACK_2);
    assertThat(o.leadingZeros()).isEqualTo(22);
    assertThat(RawOptions.msrDefaults(TrackType.TRACK_2, Density.BPI_210).leadingZeros()).isEqualTo(61);
    assertThatThrownBy(() -> RawCodec.decode(TrackType.TRACK_2, null, o))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("raw"));
    Bytes raw = RawCodec.encode(TrackType.TRACK_2, ";12345?", o.newBuilder().trailingZeros(30).build());
    // 22 + 8 * 5 + 30 = 92 bits -> 12 bytes
    assertThat(raw.length()).isEqualTo(12);
    DecodedTrack d = RawCodec.decode(TrackType.TRACK_2, raw, o);
    assertThat(d.text()).isEqualTo(";12345?");
    assertThat(d.startBit()).isEqualTo(22);
    assertThat(Density.BPI_75.millimetres(22)).isCloseTo(7.45, org.assertj.core.data.Offset.offset(0.01));
    assertThat(Density.BPI_210.millimetres(61)).isCloseTo(7.38, org.assertj.core.data.Offset.offset(0.01));
  }

  @Test
  void perCharacterLeadingZerosAreWholeCharacters() {
    RawOptions o = RawOptions.builder(RawFormat.CHAR_5).leadingZeros(22).build();
    Bytes raw = RawCodec.encode(TrackType.TRACK_2, ";12345?", o);
    assertThat(raw.toHex()).isEqualTo("0000000000" + "0B01021304151F15");
    assertThat(RawCodec.decode(TrackType.TRACK_2, raw, o).text()).isEqualTo(";12345?");
  }

  @Test
  void reverseSwipeIsDetected() {
    RawOptions o = RawOptions.msrDefaults(TrackType.TRACK_1).newBuilder().trailingZeros(40).build();
    Bytes raw = RawCodec.encode(TrackType.TRACK_1, "%B4111111111111111^DOE/JOHN^2612101?", o);
    int bits = raw.length() * 8;
    byte[] rev = new byte[raw.length()];
    for (int k = 0; k < bits; k++) {
      int bit = (raw.getUnsigned(k >>> 3) >>> (k & 7)) & 1;
      int r = bits - 1 - k;
      rev[r >>> 3] |= (byte) (bit << (r & 7));
    }
    DecodedTrack d = RawCodec.decode(TrackType.TRACK_1, Bytes.of(rev), o);
    assertThat(d.direction()).isEqualTo(SwipeDirection.REVERSE);
    assertThat(d.text()).isEqualTo("%B4111111111111111^DOE/JOHN^2612101?");
  }

  @Test
  void parityErrorNamesBitAndCharacter() {
    // Flip the parity bit of '5' (character 5, stream bits 25..29 -> parity at bit 29) in ";12345?".
    byte[] raw = Bytes.fromHex("2B8849EAAF").toByteArray();
    raw[29 >>> 3] ^= (byte) (1 << (29 & 7));
    assertThatThrownBy(() -> RawCodec.decode(TrackType.TRACK_2, Bytes.of(raw), RawOptions.of(TrackType.TRACK_2, 8)))
        .isInstanceOfSatisfying(TrackDecodeException.class, e -> {
          assertThat(e.characterIndex()).isEqualTo(5);
          assertThat(e.bitOffset()).isEqualTo(25);
          assertThat(e.getMessage()).isEqualTo("malformed track data at character 5 (bit 25): parity error")
              .as("the position is a bit index, never called an offset").doesNotContain("offset");
        });
  }

  @Test
  void lrcErrorIsReported() {
    // 5 bpc form: replace the LRC 0x15 by 0x04 (parity still odd, value wrong)
    assertThatThrownBy(() -> RawCodec.decode(TrackType.TRACK_2, Bytes.fromHex("0B01021304151F04"), RawOptions.of(TrackType.TRACK_2, 5)))
        .isInstanceOfSatisfying(TrackDecodeException.class, e -> {
          assertThat(e.characterIndex()).isEqualTo(7);
          assertThat(e.bitOffset()).isEqualTo(35);
          assertThat(e.reason()).contains("LRC mismatch");
        });
  }

  @Test
  void garbageAndEmptyInputGiveTypedErrors() {
    RawOptions o = RawOptions.of(TrackType.TRACK_2, 8);
    assertThatThrownBy(() -> RawCodec.decode(TrackType.TRACK_2, Bytes.fromHex("0000"), o))
        .isInstanceOf(TrackDecodeException.class).hasMessageContaining("every bit is zero");
    assertThatThrownBy(() -> RawCodec.decode(TrackType.TRACK_2, Bytes.empty(), o))
        .isInstanceOf(TrackDecodeException.class);
    assertThatThrownBy(() -> RawCodec.decode(TrackType.TRACK_2, Bytes.fromHex("2B88"), o))
        .isInstanceOf(TrackDecodeException.class).hasMessageContaining("before the end sentinel");
    assertThatThrownBy(() -> RawCodec.decode(TrackType.TRACK_2, Bytes.fromHex("FF"), RawOptions.of(TrackType.TRACK_2, 5)))
        .isInstanceOf(TrackDecodeException.class).hasMessageContaining("above bit 4")
        .hasMessageStartingWith("malformed track data at bit 0: byte 0").hasMessageNotContaining("offset");
  }

  @Test
  void bpcMustSuitTheTrack() {
    assertThatThrownBy(() -> RawOptions.of(TrackType.TRACK_2, 7))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("bpc"));
    assertThatThrownBy(() -> RawOptions.of(TrackType.TRACK_1, 5)).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> RawOptions.of(TrackType.TRACK_1, 9)).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> RawCodec.encode(TrackType.TRACK_2, ";12A45?", RawOptions.of(TrackType.TRACK_2, 5)))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.rule()).contains("position 3"));
  }
}
