package dev.perso.devices.tpdu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import dev.perso.core.TransportException;
import dev.perso.core.ValidationException;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.devices.atr.Atr;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * T=0 host engine against the EMV 4.3 Book 1 Annex A exchanges as encoded in
 * openemv/emv-utils@011852a9 tests/emv_ttl_tpdu_test.c (notes/transports.md §1.7 A).
 */
@Timeout(10)
class T0ProtocolTest {
  private static final Atr ATR = Atr.parse(Bytes.fromHex("3B6800000073C84011009000"));

  private static ResponseApdu run(ScriptedLink link, String apdu) {
    T0Protocol t0 = T0Protocol.builder(ATR).wwt(Duration.ofMillis(500)).build(link);
    ResponseApdu r = t0.transmit(CommandApdu.parse(Bytes.fromHex(apdu)));
    assertThat(link.problem()).isNull();
    return r;
  }

  @Test
  void a1Case1() {
    // A1: "> 12 34 56 78 00" "< 90 00"
    ResponseApdu r = run(ScriptedLink.host("> 12 34 56 78 00", "< 90 00"), "12345678");
    assertThat(r.encode()).isEqualTo(Bytes.fromHex("9000"));
  }

  @Test
  void a1Case1Error() {
    // A1 error variant: "< 6A 81"
    ResponseApdu r = run(ScriptedLink.host("> 12 34 56 78 00", "< 6A 81"), "12345678");
    assertThat(r.sw().value()).isEqualTo(0x6A81);
  }

  @Test
  void a2Case2With6C() {
    // A2: READ RECORD with Le 00, card says 6C 1C, resend with P3 1C, ACK B2 + 28 bytes + 90 00.
    ResponseApdu r = run(ScriptedLink.host(
        "> 00 B2 01 0C 00",
        "< 6C 1C",
        "> 00 B2 01 0C 1C",
        "< B2 70 1A 61 18 4F 07 A0 00 00 00 03 10 10 50 0A 56 49 53 41 20 44 45 42 49 54 87 01 01 90 00"),
        "00B2010C00");
    assertThat(r.data()).isEqualTo(Bytes.fromHex("701A61184F07A0000000031010500A56495341204445424954870101"));
    assertThat(r.sw().value()).isEqualTo(0x9000);
  }

  @Test
  void a2Case2LateError() {
    // A2e: after the resend the card answers 65 81.
    ResponseApdu r = run(ScriptedLink.host("> 00 B2 01 0C 00", "< 6C 1C", "> 00 B2 01 0C 1C", "< 65 81"),
        "00B2010C00");
    assertThat(r.encode()).isEqualTo(Bytes.fromHex("6581"));
  }

  @Test
  void a3Case3() {
    // A3: "> 00 82 00 00 04" "< 82" "> DE AD BE EF" "< 90 00"
    ResponseApdu r = run(ScriptedLink.host("> 00 82 00 00 04", "< 82", "> DE AD BE EF", "< 90 00"),
        "0082000004DEADBEEF");
    assertThat(r.encode()).isEqualTo(Bytes.fromHex("9000"));
  }

  private static final String FCI = "6F 24 84 0E 31 50 41 59 2E 53 59 53 2E 44 44 46 30 31 A5 12 88 01 01 5F 2D 08 65 6E 65"
      + " 73 66 72 64 65 9F 11 01 01";

  @Test
  void a4Case4WithGetResponse() {
    // A4: SELECT 1PAY.SYS.DDF01 sent as case 3, 61 26, GET RESPONSE 00 C0 00 00 26, ACK C0 + FCI + 90 00.
    ResponseApdu r = run(ScriptedLink.host(
        "> 00 A4 04 00 0E",
        "< A4",
        "> 31 50 41 59 2E 53 59 53 2E 44 44 46 30 31",
        "< 61 26",
        "> 00 C0 00 00 26",
        "< C0 " + FCI + " 90 00"),
        "00A404000E315041592E5359532E444446303100");
    assertThat(r.data()).isEqualTo(Bytes.fromHex(FCI.replace(" ", "")));
    assertThat(r.isSuccess()).isTrue();
  }

  @Test
  void a4eEarlyError() {
    // A4e: the card refuses right after the header: no data is sent.
    ResponseApdu r = run(ScriptedLink.host("> 00 A4 04 00 0E", "< 6A 81"), "00A404000E315041592E5359532E444446303100");
    assertThat(r.sw().value()).isEqualTo(0x6A81);
  }

  @Test
  void a4eErrorAfterData() {
    ResponseApdu r = run(ScriptedLink.host("> 00 A4 04 00 0E", "< A4", "> 31 50 41 59 2E 53 59 53 2E 44 44 46 30 31",
        "< 6A 82"), "00A404000E315041592E5359532E444446303100");
    assertThat(r.sw().value()).isEqualTo(0x6A82);
  }

  @Test
  void a4eGetResponseError() {
    ResponseApdu r = run(ScriptedLink.host("> 00 A4 04 00 0E", "< A4", "> 31 50 41 59 2E 53 59 53 2E 44 44 46 30 31",
        "< 61 26", "> 00 C0 00 00 26", "< 65 81"), "00A404000E315041592E5359532E444446303100");
    assertThat(r.sw().value()).isEqualTo(0x6581);
    assertThat(r.data().isEmpty()).isTrue();
  }

  @Test
  void nullBytesAndOneByteAcks() {
    // Procedure bytes per CCID src/commands.c CmdXfrBlockCHAR_T0: 60 = NULL, INS^FF = one byte; computed by us.
    ResponseApdu r = run(ScriptedLink.host("> 00 82 00 00 04", "< 60 60 7D", "> DE", "< 60 7D", "> AD",
        "< 82", "> BE EF", "< 60 60 90 00"), "0082000004DEADBEEF");
    assertThat(r.encode()).isEqualTo(Bytes.fromHex("9000"));
  }

  @Test
  void badProcedureByteIsATransportError() {
    // "Unrecognized Procedure byte" in CCID CmdXfrBlockCHAR_T0; 33 as in the logic-analyzer example (notes §1.7 A).
    ScriptedLink link = ScriptedLink.host("> 00 82 00 00 04", "< 33");
    T0Protocol t0 = T0Protocol.builder(ATR).wwt(Duration.ofMillis(200)).build(link);
    assertThatThrownBy(() -> t0.transmit(CommandApdu.parse(Bytes.fromHex("0082000004DEADBEEF"))))
        .isInstanceOf(TransportException.class).hasMessageContaining("procedure byte 33");
  }

  @Test
  void silenceIsAWorkWaitingTimeout() {
    ScriptedLink link = ScriptedLink.host("> 00 84 00 00 08");
    T0Protocol t0 = T0Protocol.builder(ATR).wwt(Duration.ofMillis(50)).build(link);
    assertThatThrownBy(() -> t0.transmit(CommandApdu.of(0, 0x84, 0, 0, Bytes.empty(), 8)))
        .isInstanceOf(TransportException.class).hasMessageContaining("WWT");
  }

  @Test
  void tpduLevelExchangeLeaves61And6CToTheCaller() {
    // TPDU-level use, as a reader's firmware does it for the CCID driver (CmdXfrBlockTPDU_T0); A2 and A4 of
    // EMV Book 1 Annex A (emv-utils tests) cut at the TPDU boundary.
    ScriptedLink link = ScriptedLink.host("> 00 B2 01 0C 00", "< 6C 1C", "> 12 34 56 78 00", "< 90 00",
        "> 00 A4 04 00 0E", "< A4", "> 31 50 41 59 2E 53 59 53 2E 44 44 46 30 31", "< 61 26");
    T0Protocol t0 = T0Protocol.builder(ATR).wwt(Duration.ofMillis(500)).build(link);
    assertThat(t0.transmitTpdu(Bytes.fromHex("00B2010C00"))).isEqualTo(Bytes.fromHex("6C1C"));
    assertThat(t0.transmitTpdu(Bytes.fromHex("12345678"))).isEqualTo(Bytes.fromHex("9000"));
    assertThat(t0.transmitTpdu(Bytes.fromHex("00A404000E315041592E5359532E4444463031")))
        .isEqualTo(Bytes.fromHex("6126"));
    assertThat(link.problem()).isNull();
    assertThatThrownBy(() -> t0.transmitTpdu(Bytes.fromHex("00A4040005AA"))).isInstanceOf(ValidationException.class);
  }

  @Test
  void extendedApdusAreRefused() {
    T0Protocol t0 = T0Protocol.builder(ATR).build(ScriptedLink.host());
    assertThatThrownBy(() -> t0.transmit(CommandApdu.of(0, 0xB0, 0, 0, Bytes.empty(), 1000)))
        .isInstanceOf(ValidationException.class);
  }

  @Test
  void wwtFromAtr() {
    // WWT = 960 x WI x Fi / f (notes §1.4) with WI 10, Fi 372, f 3.5712 MHz = 1 s.
    assertThat(T0Protocol.builder(ATR).build(ScriptedLink.host()).wwt()).isEqualTo(Duration.ofSeconds(1));
  }
}
