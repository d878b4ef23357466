package dev.perso.devices.tpdu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import dev.perso.core.internal.Hex;
import dev.perso.core.TransportException;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.devices.atr.Atr;
import dev.perso.devices.internal.T1Frames;
import dev.perso.devices.tpdu.card.T1Card;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * T=1 engines against the real CCID-driver trace of notes/transports.md §1.7 B (LudovicRousseau/CCID@5de6a966
 * proto-t1.c driven through the Appendix B harness, ATR 3B 80 81 31 FE 45 8B), LudovicRousseau/CCID issue #72
 * and the computed blocks listed there.
 */
@Timeout(20)
class T1TraceTest {
  private static final Atr ATR = Atr.parse(TwinCard.ATR);

  private static byte[] seq(int from, int count) {
    byte[] b = new byte[count];
    for (int i = 0; i < count; i++) {
      b[i] = (byte) (from + i);
    }
    return b;
  }

  private static String block(int pcb, byte[] inf) {
    return Hex.encode(T1Frames.block(0, pcb, inf, 0, inf.length, Atr.Edc.LRC));
  }

  /** The long blocks of the trace, rebuilt; their LRC must be the one the driver logged. */
  private static String[] longBlocks() {
    String b1 = block(0x20, seq(0, 254));          // < 00 20 FE 00 01 02 ... DF
    String b2 = block(0x60, seq(254, 254));        // < 00 60 FE FE FF 00 ... 9F
    byte[] last = new byte[94];
    System.arraycopy(seq(508, 92), 0, last, 0, 92);
    last[92] = (byte) 0x90;
    String b3 = block(0x00, last);                 // < 00 00 5E FC FD FE FF 00 ... CE
    byte[] select = new byte[309];
    System.arraycopy(Bytes.fromHex("00A404000001 2C".replace(" ", "")).toByteArray(), 0, select, 0, 7);
    System.arraycopy(seq(0, 300), 0, select, 7, 300);
    // The trace does not print the APDU; its logged LRCs (E4, C1) fit an extended Le of 00 01
    // (with 00 00 the last LRC would be C0), so that is what we rebuild.
    select[308] = 0x01;
    byte[] part1 = new byte[254];
    System.arraycopy(select, 0, part1, 0, 254);
    byte[] part2 = new byte[55];
    System.arraycopy(select, 254, part2, 0, 55);
    String c1 = block(0x60, part1);                // > 00 60 FE 00 A4 04 00 00 01 2C 00 01 02 ... E4
    String c2 = block(0x00, part2);                // > 00 00 37 F7 F8 F9 ... C1
    assertThat(b1).startsWith("0020FE000102").endsWith("DF");
    assertThat(b2).startsWith("0060FEFEFF00").endsWith("9F");
    assertThat(b3).startsWith("00005EFCFDFEFF00").endsWith("CE");
    assertThat(c1).startsWith("0060FE00A40400");
    assertThat(c1).endsWith("E4");
    assertThat(c2).startsWith("000037F7F8F9").endsWith("C1");
    return new String[] {b1, b2, b3, c1, c2};
  }

  private static List<String> trace(boolean withEdcError) {
    String[] l = longBlocks();
    List<String> t = new ArrayList<>();
    t.add("> 00 C1 01 FE 3E");
    t.add("< 00 E1 01 FE 1E");
    t.add("> 00 00 0C 00 A4 04 00 07 62 76 01 FF 00 00 00 41");
    if (withEdcError) {
      t.add("< 00 00 14 6F 10 84 08 A0 00 00 00 03 00 00 00 A5 04 9F 65 01 FF 90 00 24");
      t.add("> 00 81 00 81");
    }
    t.add("< 00 00 14 6F 10 84 08 A0 00 00 00 03 00 00 00 A5 04 9F 65 01 FF 90 00 71");
    t.add("> 00 40 05 00 84 00 00 08 C9");
    t.add("< 00 40 0A 01 02 03 04 05 06 07 08 90 00 D2");
    t.add("> 00 00 07 80 CA 9F 7F 00 00 00 AD");
    t.add("< 00 C3 01 02 C0");
    t.add("> 00 E3 01 02 E0");
    t.add("< " + l[0]);
    t.add("> 00 90 00 90");
    t.add("< " + l[1]);
    t.add("> 00 80 00 80");
    t.add("< " + l[2]);
    t.add("> " + l[3]);
    t.add("< 00 80 00 80");
    t.add("> " + l[4]);
    t.add("< 00 40 14 6F 10 84 08 A0 00 00 00 03 00 00 00 A5 04 9F 65 01 FF 90 00 31");
    return t;
  }

  private static final CommandApdu SELECT = CommandApdu.parse(Bytes.fromHex("00A4040007627601FF000000"));
  private static final CommandApdu CHALLENGE = CommandApdu.parse(Bytes.fromHex("0084000008"));
  private static final CommandApdu GET_DATA = CommandApdu.parse(Bytes.fromHex("80CA9F7F000000"));

  private static CommandApdu bigSelect() {
    return CommandApdu.of(0x00, 0xA4, 0x04, 0x00, Bytes.of(seq(0, 300)), 1);
  }

  @Test
  void hostEngineReproducesTheDriverTrace() {
    ScriptedLink link = ScriptedLink.host(trace(true).toArray(new String[0]));
    T1Protocol t1 = T1Protocol.builder(ATR).ifsd(254).bwt(Duration.ofSeconds(2)).cwt(Duration.ofMillis(500))
        .build(link);
    TwinCard card = new TwinCard();
    assertThat(t1.transmit(SELECT)).isEqualTo(card.process(SELECT));
    assertThat(t1.transmit(CHALLENGE)).isEqualTo(card.process(CHALLENGE));
    ResponseApdu big = t1.transmit(GET_DATA);
    assertThat(big).isEqualTo(card.process(GET_DATA));
    assertThat(big.data().length()).isEqualTo(600);
    assertThat(t1.transmit(bigSelect())).isEqualTo(card.process(SELECT));
    assertThat(link.problem()).isNull();
    assertThat(t1.ifsc()).isEqualTo(254);
  }

  @Test
  void cardEngineReproducesTheDriverTrace() throws InterruptedException {
    ScriptedLink link = ScriptedLink.card(trace(false).toArray(new String[0]));
    try (T1Card card = T1Card.builder(new TwinCard()).wtx(c -> c.ins() == 0xCA ? 2 : 0).serve(link)) {
      link.awaitDone(Duration.ofSeconds(10));
      assertThat(link.problem()).isNull();
    }
  }

  @Test
  void cardEngineAnswersAnEdcErrorByRetransmitting() throws InterruptedException {
    // The other direction of the trace's recovery: the driver's "> 00 81 00 81" makes the card resend I(0).
    ScriptedLink link = ScriptedLink.card(
        "> 00 00 0C 00 A4 04 00 07 62 76 01 FF 00 00 00 41",
        "< 00 00 14 6F 10 84 08 A0 00 00 00 03 00 00 00 A5 04 9F 65 01 FF 90 00 71",
        "> 00 81 00 81",
        "< 00 00 14 6F 10 84 08 A0 00 00 00 03 00 00 00 A5 04 9F 65 01 FF 90 00 71",
        // A corrupted I-block from the host (LRC 42 instead of 41): the card asks again with R(0) EDC error.
        "> 00 40 05 00 84 00 00 08 C8",
        "< 00 91 00 91");
    try (T1Card card = T1Card.serve(new TwinCard(), link)) {
      link.awaitDone(Duration.ofSeconds(5));
      assertThat(link.problem()).isNull();
    }
  }

  @Test
  void sequenceDisagreementIsResolvedByResynch() {
    // LudovicRousseau/CCID issue #72: the card expects N(S)=0 and keeps answering "00 82 00 82"; the driver
    // looped. We retransmit 3 times (proto-t1.c retries = 3), then S(RESYNCH) and restart the command with I(0).
    String sel = "00 A4 04 00 06 11 22 33 44 55 66";
    String i0 = Hex.encode(T1Frames.block(0, 0x00, Bytes.fromHex(sel.replace(" ", "")).toByteArray(), 0, 11,
        Atr.Edc.LRC));
    ScriptedLink link = ScriptedLink.host(
        "> 00 00 05 00 84 00 00 08 89", "< 00 00 0A 01 02 03 04 05 06 07 08 90 00 92",
        "> 00 40 0B 00 A4 04 00 06 11 22 33 44 55 66 9A", "< 00 82 00 82",
        "> 00 40 0B 00 A4 04 00 06 11 22 33 44 55 66 9A", "< 00 82 00 82",
        "> 00 40 0B 00 A4 04 00 06 11 22 33 44 55 66 9A", "< 00 82 00 82",
        "> 00 40 0B 00 A4 04 00 06 11 22 33 44 55 66 9A", "< 00 82 00 82",
        "> 00 C0 00 C0", "< 00 E0 00 E0",
        "> " + i0, "< 00 00 02 6D 00 6F");
    T1Protocol t1 = T1Protocol.builder(ATR).ifsd(32).bwt(Duration.ofMillis(500)).build(link);
    assertThat(t1.transmit(CHALLENGE).isSuccess()).isTrue();
    assertThat(t1.transmit(CommandApdu.parse(Bytes.fromHex(sel.replace(" ", "")))).sw().value()).isEqualTo(0x6D00);
    assertThat(link.problem()).isNull();
  }

  @Test
  void silentCardEndsInTransportExceptionAfterBoundedRetries() {
    T1Protocol t1 = T1Protocol.builder(ATR).ifsd(32).bwt(Duration.ofMillis(5)).cwt(Duration.ofMillis(5))
        .build(ScriptedLink.host("> 00 00 05 00 84 00 00 08 89", "> 00 82 00 82", "> 00 82 00 82", "> 00 82 00 82",
            "> 00 C0 00 C0", "> 00 C0 00 C0", "> 00 C0 00 C0", "> 00 C0 00 C0"));
    // The script stops matching after the first RESYNCH attempts; the engine must still give up, typed.
    assertThatThrownBy(() -> t1.transmit(CHALLENGE)).isInstanceOf(TransportException.class)
        .hasMessageContaining("RESYNCH");
    assertThatThrownBy(() -> t1.transmit(CHALLENGE)).isInstanceOf(TransportException.class)
        .hasMessageContaining("dead");
  }

  @Test
  void wtxExtendsTheNextBlockOnlyAndCardMayChangeIfsc() {
    // WTX per CCID t1_xcv: the multiplied wait applies to the block after S(WTX response) only. BWT here is
    // 150 ms: after "S(WTX x3)" a 250 ms silence is fine; on the next command silence is a timeout after BWT,
    // answered with R(N(R)=1) "other error" (proto-t1.c), after which the card's block is taken.
    // Then the card asks for IFSC 16 with S(IFS request) and the host chains at 16. Blocks computed by us.
    byte[] apdu = Bytes.fromHex("0084000008").toByteArray();
    String i0 = Hex.encode(T1Frames.block(0, 0x00, apdu, 0, 5, Atr.Edc.LRC));
    String i1 = Hex.encode(T1Frames.block(0, 0x40, apdu, 0, 5, Atr.Edc.LRC));
    byte[] rdata = Bytes.fromHex("01020304050607089000").toByteArray();
    String r0 = Hex.encode(T1Frames.block(0, 0x00, rdata, 0, rdata.length, Atr.Edc.LRC));
    String r1 = Hex.encode(T1Frames.block(0, 0x40, rdata, 0, rdata.length, Atr.Edc.LRC));
    byte[] long20 = Bytes.fromHex("00D600000F000102030405060708090A0B0C0D0E").toByteArray();
    String c1 = Hex.encode(T1Frames.block(0, 0x20, long20, 0, 16, Atr.Edc.LRC));
    String c2 = Hex.encode(T1Frames.block(0, 0x40, long20, 16, 4, Atr.Edc.LRC));
    ScriptedLink link = ScriptedLink.host(
        "> " + i0, "< 00 C3 01 03 C1", "> 00 E3 01 03 E1", "~ 250", "< " + r0,
        "> " + i1, "> 00 92 00 92", "< " + r1,
        "> " + Hex.encode(T1Frames.block(0, 0x00, long20, 0, 20, Atr.Edc.LRC)), "< 00 C1 01 10 D0",
        "> 00 E1 01 10 F0", "< 00 80 00 80",
        "> " + c1, "< 00 90 00 90", "> " + c2, "< 00 00 02 90 00 92");
    T1Protocol t1 = T1Protocol.builder(ATR).ifsd(32).bwt(Duration.ofMillis(150)).cwt(Duration.ofMillis(100))
        .build(link);
    try {
      assertThat(t1.transmit(CHALLENGE).data()).isEqualTo(Bytes.fromHex("0102030405060708"));
      assertThat(t1.transmit(CHALLENGE).data()).isEqualTo(Bytes.fromHex("0102030405060708"));
      assertThat(t1.transmit(CommandApdu.parse(Bytes.of(long20))).isSuccess()).isTrue();
    } catch (TransportException e) {
      throw new AssertionError(link.problem(), e);
    }
    assertThat(link.problem()).isNull();
    assertThat(t1.ifsc()).isEqualTo(16);
  }

  @Test
  void nadIsSentAndAnsweredSwapped() {
    // NAD b7-b5 DAD, b3-b1 SAD; the card answers with them swapped (proto-t1.c swap_nibbles, OCF T1Block).
    TwinCard card = new TwinCard();
    T1Protocol t1 = T1Protocol.builder(ATR).nad(0x12).ifsd(32).build(T1Card.builder(card).hostNad(0x12).loopback());
    assertThat(t1.transmit(CHALLENGE)).isEqualTo(card.process(CHALLENGE));
    // A card that expects NAD 00 rejects every block: bounded retries, then a typed failure.
    T1Protocol wrong = T1Protocol.builder(ATR).nad(0x12).ifsd(32).maxResyncs(1).build(T1Card.builder(card).loopback());
    assertThatThrownBy(() -> wrong.transmit(CHALLENGE)).isInstanceOf(TransportException.class);
  }

  @Test
  void computedBlocks() {
    // Computed blocks of notes §1.7 B (LRC) and the CCID CRC (checksum.c csum_crc_compute) vectors.
    assertThat(Hex.encode(T1Frames.block(0, 0xC0, Atr.Edc.LRC))).isEqualTo("00C000C0");
    assertThat(Hex.encode(T1Frames.block(0, 0xE0, Atr.Edc.LRC))).isEqualTo("00E000E0");
    assertThat(Hex.encode(T1Frames.block(0, 0xC2, Atr.Edc.LRC))).isEqualTo("00C200C2");
    assertThat(Hex.encode(T1Frames.block(0, 0xC3, 2, Atr.Edc.LRC))).isEqualTo("00C30102C0");
    assertThat(Hex.encode(T1Frames.block(0, 0x91, Atr.Edc.LRC))).isEqualTo("00910091");
    byte[] ppse = Bytes.fromHex("00A4040007A000000003101000").toByteArray();
    assertThat(Hex.encode(T1Frames.block(0, 0x00, ppse, 0, ppse.length, Atr.Edc.LRC)))
        .isEqualTo("00000D00A4040007A00000000310100009");
    assertThat(Hex.encode(T1Frames.block(0, 0x20, ppse, 0, 4, Atr.Edc.LRC))).isEqualTo("00200400A4040084");
    assertThat(Hex.encode(T1Frames.block(0, 0x60, ppse, 4, 4, Atr.Edc.LRC))).isEqualTo("00600407A00000C3");
    assertThat(Hex.encode(T1Frames.block(0, 0x00, ppse, 8, 5, Atr.Edc.LRC))).isEqualTo("0000050003101000" + "06");
    assertThat(Hex.encode(T1Frames.block(0, 0xC1, 0xFE, Atr.Edc.CRC))).isEqualTo("00C101FE544E");
    byte[] gc = Bytes.fromHex("0084000008").toByteArray();
    assertThat(Hex.encode(T1Frames.block(0, 0x00, gc, 0, 5, Atr.Edc.CRC))).isEqualTo("000005008400000 8BBC1".replace(" ", ""));
  }

  @Test
  void ifscChainingMatchesComputedBlocks() {
    // IFSC = 4 chaining of the PPSE-like SELECT. The notes' computed list (§1.7 B) ends with a 5-byte
    // "I(0) 00 00 05 00 03 10 10 00 06", which would break IFSC = 4; the first two blocks are theirs, the rest
    // is computed by us with at most 4 INF bytes per block. ATR with TA3 = 04, computed by us.
    Atr small = Atr.parse(Bytes.fromHex("3B808131044571"));
    assertThat(small.ifsc()).isEqualTo(4);
    ScriptedLink link = ScriptedLink.host(
        "> 00 20 04 00 A4 04 00 84", "< 00 90 00 90",
        "> 00 60 04 07 A0 00 00 C3", "< 00 80 00 80",
        "> 00 20 04 00 03 10 10 27", "< 00 90 00 90",
        "> 00 40 01 00 41", "< 00 00 02 90 00 92");
    T1Protocol t1 = T1Protocol.builder(small).ifsd(32).bwt(Duration.ofMillis(500)).build(link);
    // Response "00 00 02 90 00 92" as in OpenSC/OpenSC issue #1275.
    ResponseApdu r = null;
    try {
      r = t1.transmit(CommandApdu.parse(Bytes.fromHex("00A4040007A000000003101000")));
    } catch (TransportException e) {
      throw new AssertionError(link.problem(), e);
    }
    assertThat(r.isSuccess()).isTrue();
    assertThat(link.problem()).isNull();
  }
}
