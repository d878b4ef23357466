package dev.perso.devices.atr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import dev.perso.core.MalformedDataException;
import dev.perso.core.apdu.StatusWord;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AtrTest {

  private static Atr atr(String hex) {
    return Atr.parse(Bytes.fromHex(hex));
  }

  // Source: notes/transports.md §1.7 C, ATR_analysis (pcsc-tools 1.6.2) + smartcard_list.txt
  // @3e819c60 "Schlumberger Multiflex 3k".
  @Test
  void multiflexIsT0OnlyWithoutTck() {
    Atr a = atr("3B021450");
    assertThat(a.convention()).isEqualTo(Atr.Convention.DIRECT);
    assertThat(a.protocols()).containsExactly(Protocol.T0);
    assertThat(a.tck()).isEmpty();
    assertThat(a.historical().raw()).isEqualTo(Bytes.fromHex("1450"));
    assertThat(a.fi()).isEqualTo(372);
    assertThat(a.di()).isEqualTo(1);
    assertThat(a.wi()).isEqualTo(10);
  }

  // Source: notes §1.7 C (ATR_analysis), "Visa / Mastercard chip cards".
  @Test
  void visaCardCompactTlvAndStatusIndicator() {
    Atr a = atr("3B6800000073C84011009000");
    assertThat(a.groups().get(0).tb()).isEqualTo(OptionalInt.of(0));
    assertThat(a.groups().get(0).tc()).isEqualTo(OptionalInt.of(0));
    assertThat(a.protocols()).containsExactly(Protocol.T0);
    HistoricalBytes h = a.historical();
    assertThat(h.isCompactTlv()).isTrue();
    assertThat(h.objects()).containsExactly(new HistoricalBytes.CompactTlv(7, Bytes.fromHex("C84011")));
    assertThat(h.lifeCycleStatus()).isEqualTo(OptionalInt.of(0));
    assertThat(h.statusWord()).contains(StatusWord.of(0x9000));
  }

  // Source: notes §1.7 C (ATR_analysis), "NXP JCOP 2.4.1".
  @Test
  void jcopT1Parameters() {
    Atr a = atr("3BF81300008131FE454A434F5076323431B7");
    assertThat(a.ta1()).isEqualTo(OptionalInt.of(0x13));
    assertThat(a.fi()).isEqualTo(372);
    assertThat(a.di()).isEqualTo(4);
    assertThat(a.protocols()).containsExactly(Protocol.T1);
    assertThat(a.ifsc()).isEqualTo(254);
    assertThat(a.bwi()).isEqualTo(4);
    assertThat(a.cwi()).isEqualTo(5);
    assertThat(a.edc()).isEqualTo(Atr.Edc.LRC);
    assertThat(a.tck()).isEqualTo(OptionalInt.of(0xB7));
    assertThat(new String(a.historical().raw().toByteArray(), java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("JCOPv241");
    assertThat(a.historical().isCompactTlv()).isFalse();
    // pcsc-tools' ATR_analysis prints these historical bytes as the text "JCOPv241"
    assertThat(a.historical().text()).contains("JCOPv241");
    assertThat(a.historical().toString()).endsWith("\"JCOPv241\"");
    assertThat(atr("3B8F8001804F0CA000000306030001000000006A").historical().text()).isEmpty();
  }

  // Source: notes §1.7 C (ATR_analysis), "OpenPGP card v2".
  @Test
  void openPgpCardT15GlobalBytes() {
    Atr a = atr("3BDA18FF81B1FE751F030031C573C001400090000C");
    assertThat(a.di()).isEqualTo(12);
    assertThat(a.extraGuardTime()).isEqualTo(255);
    assertThat(a.protocols()).containsExactly(Protocol.T1);
    assertThat(a.ifsc()).isEqualTo(254);
    assertThat(a.bwi()).isEqualTo(7);
    assertThat(a.cwi()).isEqualTo(5);
    assertThat(a.voltageClasses()).isEqualTo(EnumSet.of(Atr.VoltageClass.A, Atr.VoltageClass.B));
    assertThat(a.clockStop()).contains(Atr.ClockStop.NOT_SUPPORTED);
    assertThat(a.historical().objects()).containsExactly(
        new HistoricalBytes.CompactTlv(3, Bytes.fromHex("C5")),
        new HistoricalBytes.CompactTlv(7, Bytes.fromHex("C00140")));
    assertThat(a.historical().statusWord()).contains(StatusWord.of(0x9000));
  }

  // Source: notes §1.7 C, vsmartcard vicc default ATR.
  @Test
  void viccDefaultTwoT1Groups() {
    Atr a = atr("3B951381018073FF01000B");
    assertThat(a.protocols()).containsExactly(Protocol.T1);
    assertThat(a.groups()).hasSize(3);
    assertThat(a.historical().objects()).containsExactly(new HistoricalBytes.CompactTlv(7, Bytes.fromHex("FF0100")));
  }

  // Source: notes §1.7 C, PC/SC Part 3 synthesized contactless ATR.
  @Test
  void pcscPart3ContactlessOffersT0ThenT1() {
    Atr a = atr("3B8180018080");
    assertThat(a.protocols()).containsExactly(Protocol.T0, Protocol.T1);
    assertThat(a.defaultProtocol()).isEqualTo(Protocol.T0);
    assertThat(a.historical().isCompactTlv()).isTrue();
    assertThat(a.historical().objects()).isEmpty();
  }

  // Source: notes §1.7 C, French health card; pyscard test_atr1 (LudovicRousseau/pyscard@4f46bf81 test/test_ATR.py).
  @Test
  void inverseConventionDecodedTs() {
    Atr a = atr("3F6525002C09699000");
    assertThat(a.convention()).isEqualTo(Atr.Convention.INVERSE);
    assertThat(a.groups().get(0).tb()).isEqualTo(OptionalInt.of(0x25));
    assertThat(a.groups().get(0).tc()).isEqualTo(OptionalInt.of(0));
    assertThat(a.protocols()).containsExactly(Protocol.T0);
  }

  // Inverse convention as seen on the wire: each byte bit-reversed and complemented (ISO/IEC 7816-3 §8.1);
  // the wire form of the French health card ATR above, computed by us.
  @Test
  void inverseConventionOnTheWireIsDecoded() {
    byte[] direct = Bytes.fromHex("3F6525002C09699000").toByteArray();
    byte[] wire = new byte[direct.length];
    for (int i = 0; i < direct.length; i++) {
      wire[i] = (byte) (Integer.reverse(~direct[i] & 0xFF) >>> 24);
    }
    assertThat(wire[0]).isEqualTo((byte) 0x03);
    Atr a = Atr.parse(Bytes.of(wire));
    assertThat(a.bytes()).isEqualTo(Bytes.of(direct));
    assertThat(a.convention()).isEqualTo(Atr.Convention.INVERSE);
  }

  // Source: pyscard@4f46bf81 test/test_ATR.py via notes §1.7 C.
  @Test
  void pyscardTa94() {
    Atr a = atr("3B16947C030100000D");
    assertThat(a.fi()).isEqualTo(512);
    assertThat(a.di()).isEqualTo(8);
    assertThat(a.tck()).isEmpty();
  }

  // Source: pyscard@4f46bf81 test/test_ATR.py via notes §1.7 C.
  @Test
  void pyscardTc1FfTa3Tb3() {
    Atr a = atr("3BE300FF81315245A1A2A31B");
    assertThat(a.extraGuardTime()).isEqualTo(255);
    assertThat(a.ifsc()).isEqualTo(0x52);
    assertThat(a.bwi()).isEqualTo(4);
    assertThat(a.cwi()).isEqualTo(5);
    assertThat(a.tck()).isEqualTo(OptionalInt.of(0x1B));
  }

  // Source: pyscard@4f46bf81 test/test_ATR.py via notes §1.7 C.
  @Test
  void pyscardTb3Only() {
    Atr a = atr("3BE500008121459C100100800D");
    assertThat(a.ifsc()).isEqualTo(32);
    assertThat(a.bwi()).isEqualTo(4);
    assertThat(a.cwi()).isEqualTo(5);
  }

  // Source: notes §1.7 C, SLE 4442 reader-synthesized ATR; Appendix B FakeTwin ATR (T=1, IFSC 254).
  @ParameterizedTest
  @CsvSource({
      "3B04A2131091, T0",      // notes §1.7 C SLE 4442
      "3B04922310 91, T0",     // notes §1.7 C SLE 4432/42 label
      "3B808131FE458B, T1",    // notes Appendix B / §1.7 B CCID trace ATR
  })
  void defaultProtocol(String hex, Protocol expected) {
    assertThat(atr(hex.replace(" ", "")).defaultProtocol()).isEqualTo(expected);
  }

  @Test
  void specificModeFromTa2() {
    // TD1 = 11 (TA2 present, T=1), TA2 = 91 (specific mode, T=1 only, implicit parameters); computed by us.
    Atr a = atr("3B9011119101");
    assertThat(a.specificMode()).isTrue();
    assertThat(a.specificProtocol()).contains(Protocol.T1);
    assertThat(a.implicitParameters()).isTrue();
    assertThat(a.defaultProtocol()).isEqualTo(Protocol.T1);
  }

  @Test
  void crcFromTc3() {
    // TD1 = 81, TD2 = 71 (TA3 TB3 TC3, T=1), TC3 = 01 -> CRC; computed by us.
    Atr a = atr("3B80817120450114");
    assertThat(a.edc()).isEqualTo(Atr.Edc.CRC);
    assertThat(a.ifsc()).isEqualTo(0x20);
  }

  @ParameterizedTest
  @CsvSource({
      "3C0214, 0",                 // bad TS
      "3B, 1",                     // no T0
      "3B1214, 3",                 // TA1 present, 2 historical bytes but only 0 after it
      "3B8081, 3",                 // TD1 says T=1 group 2 empty... TCK missing
      "3B808131FE458C, 6",         // TCK wrong (correct 8B)
      "3B0214509000, 4",           // trailing bytes
      "3B10, 2",                   // TA1 announced, ATR ends
  })
  void malformedNamesTheOffset(String hex, int offset) {
    assertThatThrownBy(() -> atr(hex))
        .isInstanceOfSatisfying(MalformedDataException.class, e -> assertThat(e.offset()).isEqualTo(offset));
  }

  @Test
  void tooLongIsRejected() {
    assertThatThrownBy(() -> Atr.parse(Bytes.of(new byte[34])))
        .isInstanceOfSatisfying(MalformedDataException.class, e -> assertThat(e.offset()).isEqualTo(33));
  }

  @Test
  void describeMentionsT1Parameters() {
    assertThat(atr("3BF81300008131FE454A434F5076323431B7").describe())
        .contains("IFSC = 254", "BWI = 4", "CWI = 5", "TCK B7");
  }

  @Test
  void groupsQualifiers() {
    List<Atr.InterfaceGroup> g = atr("3BF81300008131FE454A434F5076323431B7").groups();
    assertThat(g.get(0).qualifier()).isEmpty();
    assertThat(g.get(1).qualifier()).contains(Protocol.T1);
    assertThat(g.get(2).qualifier()).contains(Protocol.T1);
    assertThat(g.get(2).ta()).isEqualTo(OptionalInt.of(0xFE));
  }
}
