package dev.perso.devices.msr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import dev.perso.core.DeviceFault;
import dev.perso.core.MalformedDataException;
import dev.perso.devices.msr.internal.MsrFrames;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The MSR206/MSR605 frames and status bytes as the programmer's manuals give them (notes magstripe-surface.md §3.2, §1.6). */
class MsrFramesTest {

  @Test
  void isoWriteFrameIsTheManualsExample() {
    // MSR206/MSR605 programmer's manual, ISO write example (notes §3.2 and §6 item 5)
    byte[][] tracks = {{0x30, 0x31}, {0x32, 0x33}, {0x34, 0x35}};
    assertThat(Bytes.of(MsrFrames.block(MsrFrames.WRITE_ISO, tracks, false)))
        .isEqualTo(Bytes.fromHex("1B771B731B0130311B0232331B0334353F1C"));
  }

  @Test
  void rawWriteFrameIsTheManualsExample() {
    // MSR605 programmer's manual §9 addendum (notes §1.6 item 5): %ABC123? and ;12345? at 8 bpc
    byte[][] tracks = {Bytes.fromHex("C5B07814954E3E2A").toByteArray(), Bytes.fromHex("2B8849EAAF").toByteArray(),
        Bytes.fromHex("2B8849EAAF").toByteArray()};
    assertThat(Bytes.of(MsrFrames.block(MsrFrames.WRITE_RAW, tracks, true)))
        .isEqualTo(Bytes.fromHex("1B6E1B731B0108C5B07814954E3E2A1B02052B8849EAAF1B03052B8849EAAF3F1C"));
  }

  @Test
  void readsAnIsoReadAnswerWithAnAbsentTrackAndItsStatus() {
    // ISO read answer (notes §3.2): 1B 73 1B 01 <t1> 1B 02 <t2> 1B 03 <t3> 3F 1C 1B <status>; absent track 2
    byte[] answer = Bytes.fromHex("1B731B01" + hex("%AB?") + "1B021B03" + hex(";45?") + "3F1C1B30").toByteArray();
    MsrFrames.Block b = MsrFrames.readBlock(input(answer), false, true);
    assertThat(new String(b.tracks()[0])).isEqualTo("%AB?");
    assertThat(b.tracks()[1]).isEmpty();
    assertThat(new String(b.tracks()[2])).isEqualTo(";45?");
    assertThat(b.status()).isEqualTo(0x30);
  }

  @Test
  void aBareStatusIsAnAnswerWithoutBlock() {
    MsrFrames.Block b = MsrFrames.readBlock(input(new byte[] {0x1B, 0x31}), false, true);
    assertThat(b.status()).isEqualTo(0x31);
  }

  @Test
  void aBlockWithoutItsEndIsMalformedNamingTheOffset() {
    byte[] answer = Bytes.fromHex("1B731B01411B02421B0343441C").toByteArray();
    assertThatThrownBy(() -> MsrFrames.readBlock(input(answer), false, true))
        .isInstanceOfSatisfying(MalformedDataException.class, e -> assertThat(e.offset()).isEqualTo(12));
  }

  @ParameterizedTest
  @CsvSource({
      // status byte, fault: notes §3.2 "Status bytes"
      "49, WRITE_ERROR, READ_WRITE_ERROR",           // 0x31 read/write error
      "50, COMMUNICATION_ERROR, COMMAND_FORMAT_ERROR", // 0x32 command format error
      "52, COMMUNICATION_ERROR, INVALID_COMMAND",     // 0x34 invalid command
      "57, WRITE_ERROR, CARD_MOVING_ERROR",           // 0x39 invalid card swipe in write mode
      "65, COMMUNICATION_ERROR, SET_FAILED"           // 0x41 set-type command failed
  })
  void everyStatusByteHasATypedFault(int code, DeviceFault fault, MsrStatus status) {
    assertThat(MsrStatus.of(code)).contains(status);
    assertThat(status.fault()).isEqualTo(fault);
  }

  @Test
  void okHasNoFaultAndUnknownBytesNoStatus() {
    assertThat(MsrStatus.of(0x30)).contains(MsrStatus.OK);
    assertThat(MsrStatus.OK.fault()).isNull();
    assertThat(MsrStatus.of(0x33)).isEmpty();
  }

  @Test
  void eraseSelectBytesInBothReadings() {
    // notes §3.2 erase: manual 00 = T1 only, 02 T2, 04 T3, 03 T1+2, 05 T1+3, 06 T2+3, 07 all; steeve/msr605 1/2/4 flags
    assertThat(EraseSelect.MANUAL.selectByte(Set.of(1))).isEqualTo(0x00);
    assertThat(EraseSelect.MANUAL.selectByte(Set.of(2))).isEqualTo(0x02);
    assertThat(EraseSelect.MANUAL.selectByte(Set.of(3))).isEqualTo(0x04);
    assertThat(EraseSelect.MANUAL.selectByte(Set.of(1, 2))).isEqualTo(0x03);
    assertThat(EraseSelect.MANUAL.selectByte(Set.of(1, 3))).isEqualTo(0x05);
    assertThat(EraseSelect.MANUAL.selectByte(Set.of(2, 3))).isEqualTo(0x06);
    assertThat(EraseSelect.MANUAL.selectByte(Set.of(1, 2, 3))).isEqualTo(0x07);
    assertThat(EraseSelect.BIT_FLAGS.selectByte(Set.of(1))).isEqualTo(0x01);
    assertThat(EraseSelect.MANUAL.tracks(0x00)).containsExactly(1);
    assertThat(EraseSelect.MANUAL.tracks(0x01)).isEmpty();
    assertThat(EraseSelect.BIT_FLAGS.tracks(0x01)).containsExactly(1);
    assertThat(EraseSelect.MANUAL.tracks(0x08)).isEmpty();
  }

  static String hex(String ascii) {
    return Bytes.of(ascii.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).toHex();
  }

  /** Reads an array; past its end the reply "stops", as our typed exception. */
  static MsrFrames.Input input(byte[] bytes) {
    int[] i = {0};
    return () -> {
      if (i[0] >= bytes.length) {
        throw new MalformedDataException(i[0], "answer ends");
      }
      return bytes[i[0]++] & 0xFF;
    };
  }
}
