package dev.perso.core.apdu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perso.core.Bytes;
import dev.perso.core.MalformedDataException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class ApduProperties {

  @Property(tries = 1000)
  void commandEncodeThenParseRoundTrips(@ForAll("commands") CommandApdu command) {
    assertThat(CommandApdu.parse(command.encode())).isEqualTo(command);
    assertThat(CommandApdu.parse(command.encodeExtended())).isEqualTo(command.withExtended(true));
    assertThat(CommandApdu.parse(command.encodeExtended()).encode()).isEqualTo(command.encodeExtended());
  }

  /** Every valid encoding, short or extended, parses and encodes back to exactly the same bytes. */
  @Property(tries = 2000)
  void everyValidEncodingParsesThenEncodesToTheSameBytes(@ForAll("encodings") Bytes raw) {
    CommandApdu c = CommandApdu.parse(raw);
    assertThat(c.encode()).isEqualTo(raw);
    assertThat(c.extended()).isEqualTo(raw.length() > 5 && raw.get(4) == 0);
  }

  @Property(tries = 3000)
  void arbitraryBytesGiveACommandOrMalformedData(@ForAll @Size(max = 300) byte[] input) {
    try {
      CommandApdu c = CommandApdu.parse(input);
      assertThat(c.encode()).isEqualTo(Bytes.of(input));
    } catch (MalformedDataException e) {
      assertThat(e.offset()).isBetween(0, input.length);
    }
  }

  /** Valid encodings built field by field per ISO/IEC 7816-4 §5.1, in both forms, whatever Nc and Ne. */
  @Provide
  Arbitrary<Bytes> encodings() {
    Arbitrary<byte[]> header = Arbitraries.bytes().array(byte[].class).ofSize(4);
    Arbitrary<byte[]> data = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(2, Arbitraries.just(new byte[0])),
        net.jqwik.api.Tuple.of(6, Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(255)),
        net.jqwik.api.Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMinSize(256).ofMaxSize(1000)));
    Arbitrary<Integer> le = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(1, Arbitraries.just(-1)),
        net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0, 0xFFFF)));
    return Combinators.combine(header, data, le, Arbitraries.of(true, false)).as((h, d, l, ext) -> {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      out.writeBytes(h);
      boolean extended = ext || d.length > 255 || l > 0xFF;
      if (d.length > 0) {
        out.writeBytes(extended ? new byte[] {0, (byte) (d.length >>> 8), (byte) d.length} : new byte[] {(byte) d.length});
        out.writeBytes(d);
      }
      if (l >= 0) {
        if (extended) {
          if (d.length == 0) {
            out.write(0);
          }
          out.write(l >>> 8);
          out.write(l);
        } else {
          out.write(l);
        }
      }
      return Bytes.of(out.toByteArray());
    });
  }

  @Property(tries = 1000)
  void responseEncodeThenParseRoundTrips(@ForAll @Size(max = 300) byte[] data,
      @ForAll @IntRange(min = 0, max = 0xFFFF) int sw) {
    ResponseApdu r = ResponseApdu.of(Bytes.of(data), sw);
    assertThat(ResponseApdu.parse(r.encode())).isEqualTo(r);
    assertThat(ResponseApdu.parse(r.encode().toByteArray())).isEqualTo(r);
  }

  @Property(tries = 1000)
  void arbitraryBytesGiveAResponseOrMalformedData(@ForAll @Size(max = 8) byte[] input) {
    try {
      ResponseApdu r = ResponseApdu.parse(Bytes.of(input));
      assertThat(r.encode()).isEqualTo(Bytes.of(input));
    } catch (MalformedDataException e) {
      assertThat(input.length).isLessThan(2);
      assertThat(e.offset()).isEqualTo(input.length);
    }
  }

  @Provide
  Arbitrary<CommandApdu> commands() {
    Arbitrary<Integer> b = Arbitraries.integers().between(0, 255);
    Arbitrary<Bytes> data = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Arbitraries.bytes().array(byte[].class).ofMaxSize(255)),
        net.jqwik.api.Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMinSize(256).ofMaxSize(2000)))
        .map(Bytes::of);
    Arbitrary<Integer> ne = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, Arbitraries.just(0)),
        net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(1, 256)),
        net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(257, 65536)),
        net.jqwik.api.Tuple.of(1, Arbitraries.of(256, 65536)));
    return Combinators.combine(b, b, b, b, data, ne).as(CommandApdu::of);
  }
}
