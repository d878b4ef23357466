package dev.perso.core.channel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perso.core.Bytes;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.card.ScriptedCard;
import dev.perso.core.card.VirtualCard;
import dev.perso.core.event.PersoEvents;
import dev.perso.core.tlv.Tlv;
import dev.perso.core.tlv.TlvPrinter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * Masking by content (issue 11 item 10). Byte strings: openemv/emv-utils test vectors (the same rows as
 * {@code TlvVectorTest}): GPO response format 2 (tests/emv_initiate_application_processing_test.c @0e1ab29,
 * test2), READ RECORD SFI 1 record 2 with 57, 5F20 and 9F1F and SFI 2 record 1 with 5A
 * (tests/emv_read_application_data_test.c @361192c, test9 and test10), the Mastercard FCI
 * (tests/emv_select_application_test.c @3214e22, test_select_app7).
 */
class ApduMaskingTest {
  private static final String PAN = "4761739001010119";
  private static final String GPO_F2 = "770E8202390094081801020120020400";
  private static final String TRACK2 = "57114761739001010119D22122011758928889";
  private static final String NAME = "5F200C455850495245442F43415244";
  private static final String RECORD_57 = "703357114761739001010119D221220117589288895F200C455850495245442F434152449F1F0E"
      + "3137353839303936303030303030";
  private static final String RECORD_5A = "70465A0847617390010101195F3401015F24032212318C159F02069F03069F1A0295055F2A029A"
      + "039C019F37048D198A029F02069F03069F1A0295055F2A029A039C019F37049108";
  private static final String FCI = "6F5D8407A0000000041010A55250104445424954204D4153544552434152449F1210446562697420"
      + "4D6173746572436172648701019F1101015F2D046E6C656EBF0C1C9F5D030100009F0A04000101019F4D020B0A9F6E07052800003030"
      + "00";
  /** The GPO response of a card that returns Track 2 Equivalent Data in it (as qVSDC cards do): test2 + test9's 57. */
  private static final String GPO_WITH_57 = "7721" + GPO_F2.substring(4) + TRACK2;

  private static boolean response(String ins, String data) {
    return ApduMasking.DEFAULT.maskResponseData(CommandApdu.parse(Bytes.fromHex(ins)), ResponseApdu.of(Bytes.fromHex(data), 0x9000));
  }

  private static boolean command(String hex) {
    return ApduMasking.DEFAULT.maskCommandData(CommandApdu.parse(Bytes.fromHex(hex)));
  }

  @Test
  void aGpoResponseCarryingTrack2IsMaskedAndOneWithoutStaysReadable() {
    String gpo = "80A8000002830000";
    assertThat(response(gpo, GPO_WITH_57)).isTrue();
    assertThat(response(gpo, GPO_F2)).isFalse();
    assertThat(response(gpo, "800A1980080101001001030000".substring(0, 24))).isFalse();   // format 1: AIP + AFL
  }

  @Test
  void sensitiveTagsAreFoundAtAnyDepthAndWhateverTheInstruction() {
    String generateAc = "80AE800000";
    assertThat(response(generateAc, RECORD_57)).isTrue();
    assertThat(response(generateAc, RECORD_5A)).isTrue();
    assertThat(response(generateAc, "6F0A" + "A508" + "BF0C05" + NAME.substring(0, 4) + "03414243")).isTrue();   // 6F/A5/BF0C/5F20
    assertThat(response(generateAc, "E0039F03009F0201FF" + "77059F6B024761")).as("after a private template").isTrue();
    // GENERATE AC response elements (CID, ATC, AC, IAD; illustrative values): nothing sensitive.
    assertThat(response(generateAc, "9F2701809F360200419F2608C4AB3E3BE4B5F6A09F1007060A0A03A00000")).isFalse();
    assertThat(response(generateAc, "77059F6B02" + "4761")).isTrue();
    assertThat(response(generateAc, "56034231")).isTrue();   // Track 1 Data cut short: still masked
    assertThat(response(generateAc, "0000" + TRACK2 + "FFFF")).isTrue();   // padding around it
    assertThat(response("00A4040007A000000004101000", FCI)).as("an FCI has no cardholder data").isFalse();
  }

  @Test
  void putDataAndUpdateRecordOfCardholderDataAreMasked() {
    assertThat(command("00DA5F200C455850495245442F43415244")).as("PUT DATA 5F20").isTrue();
    assertThat(command("00DA005A08" + PAN)).as("PUT DATA 5A").isTrue();
    assertThat(command("00DA9F4F03AABBCC")).as("PUT DATA of a log format").isFalse();
    assertThat(command("00DC010C48" + RECORD_5A)).as("UPDATE RECORD of a record with a PAN").isTrue();
    assertThat(command("00A4040007A0000000041010")).isFalse();
  }

  @Test
  void tracesAndEventsNeverShowTheMaskedValues() {
    List<String> seen = new ArrayList<>();
    PersoEvents recorder = new PersoEvents() {
      @Override
      public void apduSent(CommandApdu c) {
        seen.add("> " + c);
      }

      @Override
      public void apduReceived(CommandApdu c, ResponseApdu r, Duration elapsed) {
        seen.add("< " + r);
      }
    };
    ScriptedCard card = ScriptedCard.builder()
        .expect("80A8000002830000", GPO_WITH_57 + "9000")
        .expect("00DA5F200C455850495245442F43415244", "9000")
        .expect("00A4040007A000000004101000", FCI + "9000")
        .build();
    CardChannel ch = VirtualCard.connect(card).with(ApduTrace.to(recorder));
    ResponseApdu gpo = ch.transmit(CommandApdu.parse(Bytes.fromHex("80A8000002830000")));
    ch.transmit(CommandApdu.parse(Bytes.fromHex("00DA5F200C455850495245442F43415244")));
    ch.transmit(CommandApdu.parse(Bytes.fromHex("00A4040007A000000004101000")));
    String all = String.join("\n", seen);
    assertThat(all).doesNotContain("47617390").doesNotContain("455850495245442F");
    assertThat(all).contains("< [secret] 9000").contains("00 DA 5F 20 Lc=12 [secret]").contains("4D6173746572");
    assertThat(gpo.data().toHex()).as("the caller still gets the data").isEqualTo(GPO_WITH_57);
    // The TLV printer masks the same elements value by value.
    assertThat(TlvPrinter.masked().print(Tlv.parse(Bytes.fromHex(GPO_WITH_57))))
        .contains("57 11 Track 2 Equivalent Data [17 bytes, masked]").contains("82 02").doesNotContain("4761739");
  }

  @Property(tries = 2000)
  void anyBytesAreScannedWithoutAnException(@ForAll @Size(max = 64) byte[] data) {
    ApduMasking.containsSensitiveData(Bytes.of(data));
  }
}
