package dev.perso.core.tlv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perso.core.Bytes;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real EMV responses from public test suites, parsed, searched and re-encoded byte for byte. Status
 * words are stripped; every row names where its bytes come from.
 */
class TlvVectorTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      # name | hex | top-level tags | tag to find | expected value of the first hit
      # openemv/emv-utils tests/emv_ep_build_candidate_list_test.c @3d13a8e, test_ppse_app_supported (PPSE FCI, VISA CREDIT)
      ppse visa credit | 6F2D840E325041592E5359532E4444463031A51BBF0C1861164F07A0000000031010500B5649534120435245444954 | 6F | 4F | A0000000031010
      # openemv/emv-utils tests/emv_ep_build_candidate_list_test.c @3d13a8e, test_ppse_kernel_id (PPSE FCI, long length 81 89, five 61 entries)
      ppse kernel ids 81 89 | 6F8189840E325041592E5359532E4444463031A577BF0C7461134F07A00000000320105005415050203287010F61194F07A0000000032020500541505020348701009F2A0383052861104F07A00000000430605005415050203561174F07A0000000032020500541505020338701009F2A010361174F07A0000000031010500541505020318701019F2A0100 | 6F | 9F2A | 830528
      # openemv/emv-utils tests/emv_select_application_test.c @3214e22, test_select_app7 (Mastercard FCI with BF0C and 9F12, 9F5D, 9F6E)
      fci debit mastercard | 6F5D8407A0000000041010A55250104445424954204D4153544552434152449F12104465626974204D6173746572436172648701019F1101015F2D046E6C656EBF0C1C9F5D030100009F0A04000101019F4D020B0A9F6E0705280000303000 | 6F | 9F4D | 0B0A
      # openemv/emv-utils tests/emv_initiate_application_processing_test.c @0e1ab29, test3_fci (FCI with PDOL 9F38)
      fci with pdol | 6F188407A0000000031003A50D500544656269749F38039F3303 | 6F | 9F38 | 9F3303
      # openemv/emv-utils tests/emv_initiate_application_processing_test.c @0e1ab29, test2 GPO response format 2
      gpo format 2 | 770E8202390094081801020120020400 | 77 | 94 | 1801020120020400
      # openemv/emv-utils tests/emv_read_application_data_test.c @361192c, test9 READ RECORD SFI 1 rec 2 (57, 5F20, 9F1F)
      read record track 2 | 703357114761739001010119D221220117589288895F200C455850495245442F434152449F1F0E3137353839303936303030303030 | 70 | 5F20 | 455850495245442F43415244
      # openemv/emv-utils tests/emv_read_application_data_test.c @361192c, test10 READ RECORD SFI 2 rec 1 (5A, 8C CDOL1, 8D CDOL2)
      read record cdols | 70465A0847617390010101195F3401015F24032212318C159F02069F03069F1A0295055F2A029A039C019F37048D198A029F02069F03069F1A0295055F2A029A039C019F37049108 | 70 | 5F24 | 221231
      # openemv/emv-utils tests/emv_select_application_test.c @3214e22, test_pse READ RECORD 1,1 (PSE AEF: 70 / 61 / 73)
      pse directory record | 704661214F08A00000000310100550054150502035870105730B9F0A08000105010000000061214F08A00000000310100350054150502033870104730B9F0A080001050100000000 | 70 | 9F0A | 0001050100000000
      # mmattice/pyemvtlv test/test_decode_pseudo_ber.py @10d6953, test_chain (91, 71 issuer script, 8A)
      issuer script chain | 910A90CA8ABBFEE0BE240012711E9F1804000000018615842400021022C3089F35064C142447F11FA2EC0AA18A023030 | 91 71 8A | 86 | 842400021022C3089F35064C142447F11FA2EC0AA1
      # knovichikhin/pyemv tests/test_tlv.py @9edfb52, test_decode_nested (private constructed E0)
      pyemv nested | 9F0201FFE0039F03009F0400 | 9F02 E0 9F04 | 9F03 | ''
      """)
  void parsesFindsAndReencodes(String name, String hex, String topTags, String findTag, String expected) {
    Bytes in = Bytes.fromHex(hex);
    List<Tlv> parsed = TlvParser.strict().parse(in);

    assertThat(parsed.stream().map(t -> t.tag().toHex()).collect(Collectors.joining(" "))).isEqualTo(topTags);
    Tlv hit = Tlv.find(parsed, Tag.fromHex(findTag)).orElseThrow();
    assertThat(hit.value().toHex()).isEqualTo(expected == null ? "" : expected);
    assertThat(Tlv.encodeAll(parsed)).isEqualTo(in);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      # knovichikhin/pyemv tests/test_tlv.py @9edfb52, test_decode_tag: non-minimal long lengths are accepted
      9C8101FF       | 9C | FF
      9C820001FF     | 9C | FF
      9C83000001FF   | 9C | FF
      9C8400000001FF | 9C | FF
      9C8100         | 9C | ''
      9C8400000000   | 9C | ''
      # knovichikhin/pyemv tests/test_tlv.py @9edfb52: three-byte tag 9F8201
      9F820101FF     | 9F8201 | FF
      9F820100       | 9F8201 | ''
      """)
  void acceptsNonMinimalLengthsAndReencodesMinimally(String hex, String tag, String value) {
    Tlv t = Tlv.parse(Bytes.fromHex(hex));
    assertThat(t.tag().toHex()).isEqualTo(tag);
    assertThat(t.value().toHex()).isEqualTo(value == null ? "" : value);
    int n = t.length();
    assertThat(t.encode()).isEqualTo(Bytes.fromHex(tag).concat(Bytes.of((byte) n)).concat(t.value()));
  }
}
