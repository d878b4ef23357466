package dev.perso.core.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import dev.perso.core.TransportException;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.card.ScriptedCard;
import dev.perso.core.card.VirtualCard;
import org.junit.jupiter.api.Test;

class GetResponseTest {

  // EMV 4.3 Book 1 Annex A, example A4 (case 4), as encoded in openemv/emv-utils@011852a9
  // tests/emv_ttl_tpdu_test.c, seen at APDU level (procedure bytes A4/C0 stripped):
  // SELECT 1PAY.SYS.DDF01 -> 61 26 -> 00 C0 00 00 26 -> FCI + 9000.
  private static final String SELECT_PSE = "00A404000E315041592E5359532E444446303100";
  private static final String FCI = "6F24840E315041592E5359532E4444463031A5128801015F2D08656E657366726465"
      + "9F110101";

  @Test
  void followsSixtyOneWithGetResponseClaZero() {
    ScriptedCard card = ScriptedCard.builder()
        .expect(SELECT_PSE, "6126")
        .expect("00C0000026", FCI + "9000")
        .build();
    CardChannel ch = VirtualCard.connect(card).with(GetResponse.auto());
    ResponseApdu r = ch.transmit(CommandApdu.parse(Bytes.fromHex(SELECT_PSE)));
    assertThat(r.data().toHex()).isEqualTo(FCI);
    assertThat(r.isSuccess()).isTrue();
    card.assertComplete();
  }

  @Test
  void resendsWithExactLeOnSixC() {
    // EMV 4.3 Book 1 Annex A, example A2 (case 2 with 6C), openemv/emv-utils@011852a9
    // tests/emv_ttl_tpdu_test.c: READ RECORD Le=00 -> 6C 1C -> resend Le=1C -> record + 9000.
    String record = "701A61184F07A0000000031010500A564953412044454249548701 01".replace(" ", "");
    ScriptedCard card = ScriptedCard.builder()
        .expect("00B2010C00", "6C1C")
        .expect("00B2010C1C", record + "9000")
        .build();
    ResponseApdu r = VirtualCard.connect(card).with(GetResponse.auto())
        .transmit(CommandApdu.parse(Bytes.fromHex("00B2010C00")));
    assertThat(r.data().toHex()).isEqualTo(record);
    card.assertComplete();
  }

  @Test
  void lateErrorAfterResendIsReturnedAsIs() {
    // Same source, example A2e: the resend answers 65 81.
    ScriptedCard card = ScriptedCard.builder()
        .expect("00B2010C00", "6C1C")
        .expect("00B2010C1C", "6581")
        .build();
    ResponseApdu r = VirtualCard.connect(card).with(GetResponse.auto())
        .transmit(CommandApdu.parse(Bytes.fromHex("00B2010C00")));
    assertThat(r.sw().value()).isEqualTo(0x6581);
  }

  @Test
  void keepsLogicalChannelBitsOrWholeClaByPolicy() {
    ScriptedCard card = ScriptedCard.builder()
        .expect("81CA9F7F00", "6102")
        .expect("01C0000002", "AABB6103")
        .expect("01C0000003", "CCDDEE9000")
        .expect("80CA9F7F00", "6101")
        .expect("80C0000001", "FF9000")
        .build();
    CardChannel interindustry = VirtualCard.connect(card).with(GetResponse.auto());
    assertThat(interindustry.transmit(CommandApdu.parse(Bytes.fromHex("81CA9F7F00"))).data().toHex())
        .isEqualTo("AABBCCDDEE");
    CardChannel same = VirtualCard.connect(card)
        .with(GetResponse.builder().cla(GetResponse.ClaPolicy.SAME_AS_COMMAND).build());
    assertThat(same.transmit(CommandApdu.parse(Bytes.fromHex("80CA9F7F00"))).data().toHex()).isEqualTo("FF");
    card.assertComplete();
  }

  @Test
  void endlessSixtyOneIsBounded() {
    VirtualCard endless = new VirtualCard() {
      @Override
      public Bytes atr() {
        return Bytes.fromHex("3B00");
      }

      @Override
      public ResponseApdu process(CommandApdu command) {
        return ResponseApdu.of(Bytes.fromHex("00"), 0x6101);
      }

      @Override
      public Bytes reset() {
        return atr();
      }
    };
    CardChannel ch = VirtualCard.connect(endless).with(GetResponse.builder().maxRounds(5).build());
    assertThatThrownBy(() -> ch.transmit(CommandApdu.of(0x00, 0xCA, 0x9F, 0x7F, Bytes.empty(), 256)))
        .isInstanceOf(TransportException.class)
        .hasMessageContaining("5 rounds");
  }

  @Test
  void sixCHandlingCanBeSwitchedOff() {
    ScriptedCard card = ScriptedCard.builder().expect("00B2010C00", "6C1C").build();
    ResponseApdu r = VirtualCard.connect(card).with(GetResponse.builder().resendOnWrongLength(false).build())
        .transmit(CommandApdu.parse(Bytes.fromHex("00B2010C00")));
    assertThat(r.sw().value()).isEqualTo(0x6C1C);
  }
}
