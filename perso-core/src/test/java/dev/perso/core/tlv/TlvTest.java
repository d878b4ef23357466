package dev.perso.core.tlv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import dev.perso.core.ValidationException;
import java.util.List;
import org.junit.jupiter.api.Test;

class TlvTest {
  // openemv/emv-utils tests/emv_read_application_data_test.c @361192c, test9 READ RECORD SFI 1 record 2
  static final String RECORD_57_5F20_9F1F =
      "703357114761739001010119D221220117589288895F200C455850495245442F434152449F1F0E3137353839303936303030303030";
  // openemv/emv-utils tests/emv_read_application_data_test.c @361192c, test9 READ RECORD SFI 2 record 1
  static final String RECORD_5A = "70145A0847617390010101195F3401015F2403221231";

  @Test
  void buildsAndEncodesLikeTheSpecExample() {
    Tlv gpo = Tlv.builder(0x77)
        .add(0x82, Bytes.fromHex("3900"))
        .add(Tag.of(0x94), Bytes.fromHex("1801020120020400"))
        .build();
    // openemv/emv-utils tests/emv_initiate_application_processing_test.c @0e1ab29, test2 GPO format 2
    assertThat(gpo.encode().toHex()).isEqualTo("770E8202390094081801020120020400");
    assertThat(gpo.length()).isEqualTo(14);
    assertThat(gpo.encodedLength()).isEqualTo(16);
    assertThat(gpo.value().toHex()).isEqualTo("8202390094081801020120020400");
    assertThat(Tlv.parse(gpo.encode())).isEqualTo(gpo).hasSameHashCodeAs(gpo);
  }

  @Test
  void findSearchesDepthFirstIncludingSelf() {
    Tlv ppse = Tlv.parse(Bytes.fromHex(
        // openemv/emv-utils tests/emv_ep_build_candidate_list_test.c @3d13a8e, test_ppse_multi_app_supported
        "6F3F840E325041592E5359532E4444463031A52DBF0C2A61134F07A0000000032020500556205041598701016113"
            + "4F07A000000003201050055620504159870102"));
    assertThat(ppse.find(Tag.of(0x6F))).contains(ppse);
    assertThat(ppse.find(Tag.of(0x4F)).orElseThrow().value().toHex()).isEqualTo("A0000000032020");
    assertThat(ppse.findAll(Tag.of(0x4F))).extracting(t -> t.value().toHex())
        .containsExactly("A0000000032020", "A0000000032010");
    assertThat(ppse.findAll(Tag.of(0x61))).hasSize(2);
    assertThat(ppse.find(Tag.of(0x5A))).isEmpty();
    assertThat(Tlv.findAll(List.of(ppse, ppse), Tag.of(0x87))).hasSize(4);
  }

  @Test
  void factoriesCheckTheConstructedBit() {
    assertThatThrownBy(() -> Tlv.primitive(0x70, Bytes.empty())).isInstanceOf(ValidationException.class)
        .hasMessageContaining("constructed");
    assertThatThrownBy(() -> Tlv.constructed(Tag.of(0x5A), List.of())).isInstanceOf(ValidationException.class)
        .hasMessageContaining("primitive");
    assertThatThrownBy(() -> Tlv.builder(0x9F36)).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> Tlv.primitive(Tag.of(0x5A), null)).isInstanceOf(ValidationException.class);
    assertThat(Tlv.primitive(0x9F36, Bytes.fromHex("0012")).children()).isEmpty();
  }

  @Test
  void sensitiveValuesAreMaskedInToStringAndPrettyPrintByDefault() {
    List<Tlv> rec = TlvParser.strict().parse(Bytes.fromHex(RECORD_57_5F20_9F1F + RECORD_5A));
    String all = rec.toString() + TlvPrinter.masked().print(rec) + rec.get(0).prettyPrint()
        + rec.get(0).encode() + rec.get(0).value() + rec.get(1).find(Tag.of(0x5A)).orElseThrow().value();
    assertThat(all)
        .doesNotContain("4761739001010119")     // PAN, in 5A and at the start of 57
        .doesNotContain("D2212201")             // track 2 separator and expiry
        .doesNotContain("455850495245442F")     // EXPIRED/CARD in hex
        .doesNotContain("EXPIRED/CARD")
        .doesNotContain("31373538393039");      // 9F1F track 1 discretionary data
    assertThat(rec.get(0).toString()).isEqualTo("70(51){57(17)=masked 5F20(12)=masked 9F1F(14)=masked}");
    assertThat(TlvPrinter.masked().print(rec.get(1))).isEqualTo(String.join("\n",
        "70 14 READ RECORD Response Message Template",
        "  5A 08 Application Primary Account Number (PAN) [8 bytes, masked]",
        "  5F34 01 Application Primary Account Number (PAN) Sequence Number: 01",
        "  5F24 03 Application Expiration Date: 221231",
        ""));
    assertThat(rec.get(0).containsSecret()).isTrue();
    assertThat(rec.get(0).encode().isSecret()).isTrue();
  }

  @Test
  void revealingPrinterShowsValuesAndText() {
    Tlv rec = Tlv.parse(Bytes.fromHex(RECORD_57_5F20_9F1F));
    assertThat(TlvPrinter.masked().revealingSecrets().withIndent("    ").print(rec)).isEqualTo(String.join("\n",
        "70 33 READ RECORD Response Message Template",
        "    57 11 Track 2 Equivalent Data: 4761739001010119D22122011758928889",
        "    5F20 0C Cardholder Name: 455850495245442F43415244 \"EXPIRED/CARD\"",
        "    9F1F 0E Track 1 Discretionary Data: 3137353839303936303030303030 \"17589096000000\"",
        ""));
  }

  @Test
  void printerShowsLongLengthsUnknownTagsAndAscii() {
    // openemv/emv-utils tests/emv_select_application_test.c @3214e22, test_select_app7 FCI (head)
    Tlv fci = Tlv.parse(Bytes.fromHex("6F5D8407A0000000041010A55250104445424954204D4153544552434152449F1210"
        + "4465626974204D6173746572436172648701019F1101015F2D046E6C656EBF0C1C9F5D030100009F0A0400010101"
        + "9F4D020B0A9F6E0705280000303000"));
    String out = TlvPrinter.masked().print(fci);
    assertThat(out)
        .contains("    50 10 Application Label: 4445424954204D415354455243415244 \"DEBIT MASTERCARD\"\n")
        .contains("9F12 10 Application Preferred Name: 4465626974204D617374657243617264 \"Debit MasterCard\"\n")
        .contains("5F2D 04 Language Preference: 6E6C656E \"nlen\"")
        .contains("    BF0C 1C File Control Information (FCI) Issuer Discretionary Data\n")
        .contains("      9F6E 07: 05280000303000\n");
    Tlv big = Tlv.primitive(0x90, Bytes.of(new byte[0x89]));
    assertThat(TlvPrinter.masked().print(big)).startsWith("90 81 89 Issuer Public Key Certificate: 0000");
  }
}
