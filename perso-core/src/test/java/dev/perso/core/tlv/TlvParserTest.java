package dev.perso.core.tlv;

import dev.perso.core.internal.OwnedBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import dev.perso.core.MalformedDataException;
import dev.perso.core.ValidationException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TlvParserTest {

  @ParameterizedTest(name = "{0} -> offset {1}")
  @CsvSource(delimiter = '|', textBlock = """
      # Inputs from knovichikhin/pyemv tests/test_tlv.py @9edfb52 (test_decode_exception). Our offset
      # names the start of the faulty field (tag or length), so a few differ from pyemv's.
      9F                 | 0 | tag truncated
      9FF0               | 0 | tag truncated
      9C                 | 1 | length field of tag 9C is missing
      9C81               | 1 | needs 1 more bytes
      9C8200             | 1 | needs 2 more bytes
      9C01               | 1 | runs past the end of the input
      9C0200             | 1 | runs past the end of the input
      E001               | 1 | runs past the end of the input
      E0019F0001FF       | 2 | tag truncated
      E0019C01FF         | 3 | length field of tag 9C is missing
      E0029C8101FF       | 3 | needs 1 more bytes
      E0039C8201FF       | 3 | needs 2 more bytes
      E0039C8101C001FF   | 3 | runs past the end of the enclosing value
      E0049C810200C001FF | 3 | runs past the end of the enclosing value
      9C01FFAA           | 4 | length field of tag AA is missing
      E0039C01FFAA       | 6 | length field of tag AA is missing
      # mmattice/pyemvtlv test/test_decode_pseudo_ber.py @10d6953: test_shortdecodeV, test_shortdecodeL
      8A033030           | 1 | runs past the end of the input
      8A8201             | 1 | needs 2 more bytes
      # openemv/emv-utils tests/emv_read_application_data_test.c @361192c, test6: 9F1F length 0F one byte too long
      703357114761739001010119D221220117589288895F200C455850495245442F434152449F1F0F3137353839303936303030303030 | 38 | length 15 of tag 9F1F runs past the end of the enclosing value
      # ISO/IEC 7816-4 5.2.2 / EMV Book 3 Annex B: indefinite length 80 is not allowed
      9C80               | 1 | indefinite length
      # more than four length bytes
      9C850000000001FF   | 1 | at most 4 are supported
      # 84 with a length far beyond the input
      9C84FFFFFFFF00     | 1 | length 4294967295 of tag 9C runs past
      # first subsequent tag byte 80 (ISO/IEC 8825-1 8.1.2.4.2 c)
      9F800100           | 1 | must not be 80
      # five-byte tag
      DF818181810100     | 0 | longer than 4 bytes
      """)
  void rejectsMalformedInputNamingTheOffset(String hex, int offset, String reason) {
    Bytes in = Bytes.fromHex(hex);
    assertThatThrownBy(() -> TlvParser.strict().parse(in))
        .isInstanceOfSatisfying(MalformedDataException.class, e -> {
          assertThat(e.offset()).isEqualTo(offset);
        })
        .hasMessageContaining(reason);
  }

  @Test
  void skipsZeroAndFfPaddingBeforeBetweenAndAfterObjectsAtEveryLevel() {
    // Record of openemv/emv-utils tests/emv_read_application_data_test.c @361192c test5 (trailing FF FF),
    // here with extra 00/FF before, between and inside the template.
    Bytes in = Bytes.fromHex("00FF" + "7035" + "00" + "57114761739001010119D22122011758928889" + "FF"
        + "5F200C455850495245442F43415244" + "9F1F0E3137353839303936303030303030" + "FFFF" + "00" + "9F360200FF" + "0000");
    List<Tlv> out = TlvParser.strict().parse(in);
    assertThat(out).extracting(t -> t.tag().toHex()).containsExactly("70", "9F36");
    assertThat(out.get(0).children()).extracting(t -> t.tag().toHex()).containsExactly("57", "5F20", "9F1F");
    assertThat(out.get(1).value().toHex()).isEqualTo("00FF");
  }

  @Test
  void paddingOnlyAndEmptyInputGiveNoObjects() {
    assertThat(TlvParser.strict().parse(Bytes.empty())).isEmpty();
    assertThat(TlvParser.strict().parse(Bytes.fromHex("00FF00FF"))).isEmpty();
    assertThatThrownBy(() -> Tlv.parse(Bytes.fromHex("0000")))
        .isInstanceOfSatisfying(MalformedDataException.class, e -> assertThat(e.offset()).isEqualTo(2));
  }

  @Test
  void parseOneRejectsASecondObjectNamingItsOffset() {
    assertThatThrownBy(() -> Tlv.parse(Bytes.fromHex("9C0100" + "FF" + "9A03240217")))
        .isInstanceOfSatisfying(MalformedDataException.class, e -> assertThat(e.offset()).isEqualTo(4));
    assertThat(Tlv.parse(Bytes.fromHex("FF9C0100FF00")).value().toHex()).isEqualTo("00");
  }

  @Test
  void longLengthsRoundTrip() {
    byte[] v128 = new byte[128];
    Arrays.fill(v128, (byte) 0xEE);
    Tlv t128 = Tlv.primitive(0x9F4B, Bytes.of(v128));
    assertThat(t128.encode().slice(0, 4).toHex()).isEqualTo("9F4B8180");
    byte[] v256 = new byte[256];
    Tlv t256 = Tlv.primitive(0x90, Bytes.of(v256));
    assertThat(t256.encode().slice(0, 4).toHex()).isEqualTo("90820100");
    byte[] v65536 = new byte[65536];
    Tlv t64k = Tlv.primitive(0xDF8101, Bytes.of(v65536));
    assertThat(t64k.encode().slice(0, 7).toHex()).isEqualTo("DF810183010000");
    for (Tlv t : List.of(t128, t256, t64k)) {
      assertThat(Tlv.parse(t.encode())).isEqualTo(t);
    }
    // mmattice/pyemvtlv test/test_decode_pseudo_ber.py @10d6953, test_decodelong: 8A 82 0101 + 257 bytes
    Tlv longArc = Tlv.parse(Bytes.fromHex("8A820101" + "00".repeat(257)));
    assertThat(longArc.length()).isEqualTo(257);
  }

  @Test
  void depthLimitGivesTypedError() {
    // 20 nested E0 templates around an empty primitive 9C.
    Tlv t = Tlv.primitive(0x9C, Bytes.empty());
    for (int i = 0; i < 20; i++) {
      t = Tlv.constructed(Tag.of(0xE0), t);
    }
    Bytes deep = t.encode();
    assertThat(TlvParser.strict().parse(deep)).containsExactly(t);
    assertThatThrownBy(() -> TlvParser.strict().withMaxDepth(4).parse(deep))
        .isInstanceOfSatisfying(MalformedDataException.class, e -> {
          assertThat(e.offset()).isEqualTo(2 * 3); // the fourth E0 sits at offset 6
          assertThat(e.reason()).contains("limit of 4");
        });
    assertThatThrownBy(() -> TlvParser.strict().withMaxDepth(0)).isInstanceOf(ValidationException.class);
  }

  @Test
  void deeplyNestedHostileInputNeverOverflowsTheStack() {
    // 100 000 nested E0 headers, each claiming all remaining bytes via 83 xx xx xx.
    int levels = 100_000;
    byte[] b = new byte[levels * 5];
    for (int i = 0; i < levels; i++) {
      int remaining = b.length - (i + 1) * 5;
      b[i * 5] = (byte) 0xE0;
      b[i * 5 + 1] = (byte) 0x83;
      b[i * 5 + 2] = (byte) (remaining >>> 16);
      b[i * 5 + 3] = (byte) (remaining >>> 8);
      b[i * 5 + 4] = (byte) remaining;
    }
    assertThatThrownBy(() -> TlvParser.strict().parse(OwnedBytes.wrap(b)))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageContaining("nests deeper");
  }

  @Test
  void parsesFromAnArrayRangeWithRelativeOffsets() {
    byte[] b = Bytes.fromHex("AAAA" + "9F360100" + "BBBB").toByteArray();
    assertThat(TlvParser.strict().parse(b, 2, 4)).hasSize(1);
    assertThatThrownBy(() -> TlvParser.strict().parse(b, 2, 3))
        .isInstanceOfSatisfying(MalformedDataException.class, e -> assertThat(e.offset()).isEqualTo(2));
    assertThatThrownBy(() -> TlvParser.strict().parse(b, 5, 4)).isInstanceOf(ValidationException.class);
  }

  @Test
  void childrenListsAreUnmodifiable() {
    Tlv t = Tlv.parse(Bytes.fromHex("770E8202390094081801020120020400"));
    assertThatThrownBy(() -> t.children().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> TlvParser.strict().parse(t.encode()).clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
