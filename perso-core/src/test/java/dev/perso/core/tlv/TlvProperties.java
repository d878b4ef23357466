package dev.perso.core.tlv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perso.core.Bytes;
import dev.perso.core.MalformedDataException;
import dev.perso.core.ValidationException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class TlvProperties {

  @Property(tries = 500)
  void encodeThenParseRoundTrips(@ForAll("trees") @Size(max = 4) List<Tlv> objects) {
    Bytes encoded = Tlv.encodeAll(objects);
    List<Tlv> parsed = TlvParser.strict().parse(encoded);
    assertThat(parsed).isEqualTo(objects);
    assertThat(Tlv.encodeAll(parsed)).isEqualTo(encoded);
  }

  @Property(tries = 2000)
  void arbitraryBytesGiveObjectsOrMalformedData(@ForAll @Size(max = 64) byte[] input) {
    try {
      List<Tlv> out = TlvParser.strict().parse(Bytes.of(input));
      assertThat(out).isNotNull();
    } catch (MalformedDataException e) {
      assertThat(e.offset()).isBetween(0, input.length);
    }
  }

  @Property(tries = 1000)
  void mutatedValidEncodingsGiveObjectsOrMalformedData(
      @ForAll("trees") @Size(min = 1, max = 3) List<Tlv> objects, @ForAll int position, @ForAll byte newByte,
      @ForAll boolean truncate) {
    byte[] b = Tlv.encodeAll(objects).toByteArray();
    int at = Math.floorMod(position, b.length);
    byte[] input;
    if (truncate) {
      input = java.util.Arrays.copyOf(b, at);
    } else {
      b[at] = newByte;
      input = b;
    }
    try {
      TlvParser.strict().withMaxDepth(3).parse(Bytes.of(input));
    } catch (MalformedDataException e) {
      assertThat(e.offset()).isBetween(0, input.length);
    }
  }

  @Property(tries = 2000)
  void arbitraryBytesGiveATagOrMalformedData(@ForAll @Size(max = 6) byte[] input) {
    try {
      Tag t = Tag.parse(Bytes.of(input));
      assertThat(t.encode()).isEqualTo(Bytes.of(input));
      assertThat(Tag.of(t.value())).isEqualTo(t);
    } catch (MalformedDataException e) {
      assertThat(e.offset()).isBetween(0, input.length);
    }
  }

  @Property(tries = 1000)
  void arbitraryIntsGiveATagOrValidationError(@ForAll int value) {
    try {
      Tag t = Tag.of(value);
      assertThat(t.value()).isEqualTo(value);
    } catch (ValidationException e) {
      assertThat(e.field()).isEqualTo("tag");
    }
  }

  @Property(tries = 1000)
  void arbitraryBytesGiveADolOrMalformedData(@ForAll @Size(max = 32) byte[] input) {
    try {
      Dol d = Dol.parse(Bytes.of(input));
      assertThat(Dol.parse(d.encode())).isEqualTo(d);
    } catch (MalformedDataException e) {
      assertThat(e.offset()).isBetween(0, input.length);
    }
  }

  @Provide
  Arbitrary<List<Tlv>> trees() {
    return tlv(3).list();
  }

  private static Arbitrary<Tag> tags(boolean constructed) {
    int flag = constructed ? 0x20 : 0x00;
    Arbitrary<Tag> oneByte = Arbitraries.integers().between(0, 0xFF)
        .map(i -> (i & ~0x20) | flag)
        .filter(i -> (i & 0x1F) != 0x1F && i != 0x00)
        .map(Tag::of);
    Arbitrary<Tag> twoByte = Arbitraries.integers().between(0, 3)
        .flatMap(cls -> Arbitraries.integers().between(1, 0x7F).map(n -> ((cls << 6) | flag | 0x1F) << 8 | n))
        .filter(i -> (i >>> 8) != 0xFF)
        .map(Tag::of);
    Arbitrary<Tag> threeByte = Arbitraries.integers().between(0x81, 0xFF)
        .flatMap(mid -> Arbitraries.integers().between(0, 0x7F).map(lo -> (constructed ? 0xBF : 0xDF) << 16 | mid << 8 | lo))
        .map(Tag::of);
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(5, oneByte), net.jqwik.api.Tuple.of(4, twoByte), net.jqwik.api.Tuple.of(1, threeByte));
  }

  private static Arbitrary<Tlv> tlv(int depth) {
    Arbitrary<Bytes> values = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(8, Arbitraries.bytes().array(byte[].class).ofMaxSize(40)),
        net.jqwik.api.Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMinSize(120).ofMaxSize(300)))
        .map(Bytes::of);
    Arbitrary<Tlv> primitive = net.jqwik.api.Combinators.combine(tags(false), values).as(Tlv::primitive);
    if (depth == 0) {
      return primitive;
    }
    Arbitrary<Tlv> constructed = net.jqwik.api.Combinators
        .combine(tags(true), Arbitraries.lazy(() -> tlv(depth - 1)).list().ofMaxSize(4))
        .as(Tlv::constructed);
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, primitive), net.jqwik.api.Tuple.of(1, constructed));
  }
}
