package dev.perso.core;

import dev.perso.core.internal.Hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class BytesTest {

  @Test
  void hexRoundTripsAndIgnoresSeparators() {
    Bytes b = Bytes.fromHex("00 a4:04\n00");
    assertThat(b.toHex()).isEqualTo("00A40400");
    assertThat(b.length()).isEqualTo(4);
    assertThat(b.getUnsigned(1)).isEqualTo(0xA4);
  }

  @Test
  void oddDigitCountNamesTheDanglingDigit() {
    assertThatThrownBy(() -> Bytes.fromHex("00A"))
        .isInstanceOf(MalformedDataException.class)
        .satisfies(e -> assertThat(((MalformedDataException) e).offset()).isEqualTo(2))
        .hasMessageContaining("odd number");
  }

  @Test
  void nonHexCharacterNamesItsOffset() {
    assertThatThrownBy(() -> Bytes.fromHex("00G0"))
        .isInstanceOf(MalformedDataException.class)
        .satisfies(e -> assertThat(((MalformedDataException) e).offset()).isEqualTo(2));
  }

  @Test
  void fullwidthDigitsAreNotHex() {
    // Character.digit accepts Unicode digits; hex input must be ASCII only.
    assertThatThrownBy(() -> Bytes.fromHex("\uFF10\uFF10")).isInstanceOf(MalformedDataException.class);
  }

  @Test
  void sliceConcatXor() {
    Bytes aid = Bytes.fromHex("A0000000041010");
    assertThat(aid.slice(0, 5)).isEqualTo(Bytes.fromHex("A000000004"));
    assertThat(aid.slice(5)).isEqualTo(Bytes.fromHex("1010"));
    assertThat(Bytes.fromHex("0102").concat(Bytes.fromHex("03"))).isEqualTo(Bytes.fromHex("010203"));
    assertThat(Bytes.fromHex("F0F0").xor(Bytes.fromHex("0FF0"))).isEqualTo(Bytes.fromHex("FF00"));
    assertThat(aid.startsWith(Bytes.fromHex("A000"))).isTrue();
  }

  @Test
  void outOfRangeAccessIsTyped() {
    Bytes b = Bytes.fromHex("0102");
    assertThatThrownBy(() -> b.get(2)).isInstanceOf(ValidationException.class).hasMessageContaining("index");
    assertThatThrownBy(() -> b.slice(1, 3)).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> b.xor(Bytes.fromHex("01"))).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> Bytes.ofUnsigned(256)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("values[0]");
  }

  @Test
  void secretMarkedValuesPrintLengthOnlyAndStaySecret() {
    Bytes key = Bytes.secret(Hex.decode("404142434445464748494A4B4C4D4E4F"));
    assertThat(key.toString()).isEqualTo("Bytes[16: secret]").doesNotContain("4041");
    assertThat(key.slice(0, 4).toString()).doesNotContain("4041");
    assertThat(Bytes.fromHex("00").concat(key).isSecret()).isTrue();
    assertThat(key.xor(key).isSecret()).isTrue();
    assertThat(Bytes.fromHex("0102").toString()).isEqualTo("Bytes[2: 0102]");
  }

  @Test
  void constantTimeEqualsComparesContent() {
    assertThat(Bytes.fromHex("0102").constantTimeEquals(Bytes.fromHex("0102"))).isTrue();
    assertThat(Bytes.fromHex("0102").constantTimeEquals(Bytes.fromHex("0103"))).isFalse();
    assertThat(Bytes.fromHex("0102").constantTimeEquals(Bytes.fromHex("010200"))).isFalse();
  }

  @Test
  void defensiveCopies() {
    byte[] raw = {1, 2, 3};
    Bytes b = Bytes.of(raw);
    raw[0] = 9;
    assertThat(b.getUnsigned(0)).isEqualTo(1);
    b.toByteArray()[1] = 9;
    assertThat(b.getUnsigned(1)).isEqualTo(2);
  }

  @Property
  void hexRoundTrip(@ForAll byte[] raw) {
    assertThat(Bytes.fromHex(Bytes.of(raw).toHex()).toByteArray()).isEqualTo(raw);
  }

  @Property
  void arbitraryTextIsHexOrMalformed(@ForAll String text) {
    try {
      Bytes.fromHex(text);
    } catch (MalformedDataException e) {
      assertThat(e.offset()).isBetween(0, text.length());
    }
  }

  @Property
  void xorIsItsOwnInverse(@ForAll byte[] a) {
    Bytes x = Bytes.of(a);
    Bytes k = Bytes.of(a).xor(x);
    assertThat(x.xor(k).xor(k)).isEqualTo(x);
  }
}
