package dev.perso.devices.msr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import dev.perso.core.DeviceFault;
import dev.perso.core.ValidationException;
import dev.perso.core.device.CardTag;
import dev.perso.core.device.DeviceStatus;
import dev.perso.core.device.StripeData;
import dev.perso.devices.link.simulator.MemoryLink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The MSR605 driver against the emulator in-process: frames from the manual, every fault typed, every wait bounded. */
@Timeout(30)
class Msr605EncoderTest {
  static final CardTag CARD = new CardTag(1, "0001");
  static final StripeData TRACKS = stripe("B4111111111111111^DOE/JOHN^2612101000000000", "4111111111111111=2612101000", null);

  private final MemoryLink.Pair pair = MemoryLink.pair();
  private Msr605Emulator emu;
  private Msr605Encoder msr;

  static StripeData stripe(String t1, String t2, String t3) {
    java.util.TreeMap<Integer, Bytes> m = new java.util.TreeMap<>();
    if (t1 != null) {
      m.put(1, Bytes.of(t1.getBytes(StandardCharsets.US_ASCII)));
    }
    if (t2 != null) {
      m.put(2, Bytes.of(t2.getBytes(StandardCharsets.US_ASCII)));
    }
    if (t3 != null) {
      m.put(3, Bytes.of(t3.getBytes(StandardCharsets.US_ASCII)));
    }
    return StripeData.of(m);
  }

  static MsrOptions quick(String id) {
    return MsrOptions.builder().id(id).commandTimeout(Duration.ofMillis(300)).swipeTimeout(Duration.ofMillis(400))
        .byteTimeout(Duration.ofMillis(200)).resetPause(Duration.ofMillis(10)).build();
  }

  private Msr605Encoder open(Msr605Emulator.Builder b) {
    emu = b.build().serve(pair.card());
    msr = Msr605Encoder.open(pair.host(), quick("msr605:mem"));
    return msr;
  }

  @AfterEach
  void close() {
    if (msr != null) {
      msr.close();
    }
    if (emu != null) {
      emu.close();
    }
  }

  @Test
  void writeSendsTheManualsIsoFrameAndTheCardCarriesTheSentinelsTheDeviceAdds() {
    open(Msr605Emulator.builder());
    msr.write(CARD, stripe("01", "23", "45"));
    List<Bytes> frames = emu.frames();
    // MSR206/MSR605 programmer's manual ISO write example (notes §3.2): 1B 77 1B 73 1B 01 30 31 1B 02 32 33 1B 03 34 35 3F 1C
    assertThat(frames.get(frames.size() - 1)).isEqualTo(Bytes.fromHex("1B771B731B0130311B0232331B0334353F1C"));
    assertThat(emu.isoTracks()).containsEntry(1, Bytes.of("%01?".getBytes(StandardCharsets.US_ASCII)))
        .containsEntry(2, Bytes.of(";23?".getBytes(StandardCharsets.US_ASCII)))
        .containsEntry(3, Bytes.of(";45?".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void setsIsoBitsPerCharacterAndDensityOnceBeforeTheFirstIsoCommand() {
    open(Msr605Emulator.builder());
    msr.write(CARD, TRACKS);
    msr.read(CARD);
    // notes §3.2: select BPI 1B 62 A1 / D2->4B for 75 / C1, set BPC 1B 6F 07 05 05 (ISO mode 7,5,5)
    assertThat(emu.frames()).containsSubsequence(Bytes.fromHex("1B65"), Bytes.fromHex("1B62A1"), Bytes.fromHex("1B624B"),
        Bytes.fromHex("1B62C1"), Bytes.fromHex("1B6F070505"));
    assertThat(emu.frames().stream().filter(f -> f.getUnsigned(1) == 0x6F)).hasSize(1);
    assertThat(emu.frames().get(emu.frames().size() - 1)).isEqualTo(Bytes.fromHex("1B72"));
  }

  @Test
  void writeAndVerifyReadsBackEqualTracks() {
    open(Msr605Emulator.builder());
    msr.writeAndVerify(CARD, TRACKS);
    StripeData back = msr.read(CARD);
    assertThat(TRACKS.sameAs(back)).isTrue();
    assertThat(back.tracks().keySet()).containsExactly(1, 2);
    assertThat(msr.status()).isEqualTo(DeviceStatus.ready());
  }

  @Test
  void aCorruptedReadBackIsAMismatchNamingTheTrackNotItsData() {
    open(Msr605Emulator.builder());
    emu.corruptNextRead();
    assertThatThrownBy(() -> msr.writeAndVerify(CARD, TRACKS)).isInstanceOfSatisfying(MsrException.class, e -> {
      assertThat(e.fault()).isEqualTo(DeviceFault.READ_BACK_MISMATCH);
      assertThat(e.getMessage()).contains("track 1").doesNotContain("4111").doesNotContain("DOE");
    });
  }

  @Test
  void aLoCoWriteOnAHiCoStripeDoesNotTakeAndTheReadBackCatchesIt() {
    open(Msr605Emulator.builder().card(CoercivityMode.HI_CO));
    msr.coercivity(CoercivityMode.LO_CO);
    assertThat(msr.coercivity()).isEqualTo(CoercivityMode.LO_CO);
    assertThat(emu.frames()).contains(Bytes.fromHex("1B79"), Bytes.fromHex("1B64"));   // notes §3.2 Lo-Co, get Hi/Lo-Co
    assertThatThrownBy(() -> msr.writeAndVerify(CARD, TRACKS)).isInstanceOfSatisfying(MsrException.class,
        e -> assertThat(e.fault()).isEqualTo(DeviceFault.READ_BACK_MISMATCH));
    msr.coercivity(CoercivityMode.HI_CO);
    msr.writeAndVerify(CARD, TRACKS);
  }

  @ParameterizedTest
  @EnumSource(value = MsrStatus.class, names = {"READ_WRITE_ERROR", "COMMAND_FORMAT_ERROR", "INVALID_COMMAND",
      "CARD_MOVING_ERROR", "SET_FAILED"})
  void everyStatusOnAWriteIsATypedFault(MsrStatus status) {
    open(Msr605Emulator.builder());
    emu.failNext(status);
    assertThatThrownBy(() -> msr.write(CARD, TRACKS)).isInstanceOfSatisfying(MsrException.class, e -> {
      assertThat(e.status()).contains(status);
      assertThat(e.fault()).isEqualTo(status.fault());
    });
    assertThat(emu.isoTracks()).isEmpty();
  }

  @Test
  void aReadErrorOnReadIsAReadBackMismatch() {
    open(Msr605Emulator.builder());
    msr.write(CARD, TRACKS);
    emu.failNext(MsrStatus.READ_WRITE_ERROR);
    assertThatThrownBy(() -> msr.read(CARD)).isInstanceOfSatisfying(MsrException.class, e -> {
      assertThat(e.status()).contains(MsrStatus.READ_WRITE_ERROR);
      assertThat(e.fault()).isEqualTo(DeviceFault.READ_BACK_MISMATCH);
    });
  }

  @Test
  void eraseSendsTheManualSelectByteAndClearsOnlyThoseTracks() {
    open(Msr605Emulator.builder());
    msr.write(CARD, stripe("AB", "12", "34"));
    msr.erase(CARD, Set.of(1));
    assertThat(emu.frames().get(emu.frames().size() - 1)).isEqualTo(Bytes.fromHex("1B6300"));   // notes §3.2: 00 = track 1
    assertThat(emu.recordedTracks()).containsExactlyInAnyOrder(2, 3);
    msr.erase(CARD, Set.of(2, 3));
    assertThat(emu.frames().get(emu.frames().size() - 1)).isEqualTo(Bytes.fromHex("1B6306"));
    assertThat(emu.recordedTracks()).isEmpty();
    assertThat(msr.read(CARD).tracks()).isEmpty();
  }

  @Test
  void bitFlagEraseIsRefusedByAManualDeviceAsATypedFault() {
    emu = Msr605Emulator.builder().build().serve(pair.card());
    msr = Msr605Encoder.open(pair.host(), quick("msr605:mem").newBuilder().eraseSelect(EraseSelect.BIT_FLAGS).build());
    assertThatThrownBy(() -> msr.erase(CARD, Set.of(1))).isInstanceOfSatisfying(MsrException.class,
        e -> assertThat(e.status()).contains(MsrStatus.SET_FAILED));
  }

  @Test
  void aSilentDeviceIsATimeoutWithinTheNamedLimit() {
    emu = Msr605Emulator.builder().build().serve(pair.card());
    emu.silent(true);
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> Msr605Encoder.open(pair.host(), quick("msr605:mem"))).isInstanceOfSatisfying(
        MsrException.class, e -> {
          assertThat(e.fault()).isEqualTo(DeviceFault.TIMEOUT);
          assertThat(e.getMessage()).contains("commandTimeout");
        });
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void aDeviceThatFallsSilentDuringAWriteIsATimeoutNotAHang() {
    open(Msr605Emulator.builder());
    msr.read(CARD);   // ISO settings done
    emu.silent(true);
    assertThatThrownBy(() -> msr.write(CARD, TRACKS)).isInstanceOfSatisfying(MsrException.class, e -> {
      assertThat(e.fault()).isEqualTo(DeviceFault.TIMEOUT);
      assertThat(e.getMessage()).contains("swipeTimeout");
    });
    assertThat(msr.status().fault()).contains(DeviceFault.TIMEOUT);
  }

  @Test
  void noCardSwipedIsNoCardAndTheDeviceIsResetAndStillThere() {
    open(Msr605Emulator.builder().card(null));
    assertThatThrownBy(() -> msr.write(CARD, TRACKS)).isInstanceOfSatisfying(MsrException.class,
        e -> assertThat(e.fault()).isEqualTo(DeviceFault.NO_CARD));
    assertThat(emu.frames()).contains(Bytes.fromHex("1B61"));   // the reset that aborted the swipe wait
    emu.insertBlank(CoercivityMode.HI_CO);
    msr.writeAndVerify(CARD, TRACKS);
  }

  @Test
  void anAnswerCutMidwayIsATimeoutNamingTheByteTimeout() {
    open(Msr605Emulator.builder());
    msr.write(CARD, TRACKS);
    emu.unplugAfter(5);
    assertThatThrownBy(() -> msr.read(CARD)).isInstanceOfSatisfying(MsrException.class, e -> {
      assertThat(e.fault()).isEqualTo(DeviceFault.TIMEOUT);
      assertThat(e.getMessage()).contains("byteTimeout");
    });
  }

  @Test
  void garbageIsACommunicationErrorWithoutTheBytes() {
    open(Msr605Emulator.builder());
    msr.write(CARD, TRACKS);
    emu.garbageNext(Bytes.fromHex("1B7341424344").toByteArray());
    assertThatThrownBy(() -> msr.read(CARD)).isInstanceOfSatisfying(MsrException.class, e -> {
      assertThat(e.fault()).isEqualTo(DeviceFault.COMMUNICATION_ERROR);
      assertThat(e.getMessage()).doesNotContain("41424344").doesNotContain("ABCD");
    });
  }

  @Test
  void communicationTestToleratesALostEsc() {
    open(Msr605Emulator.builder());
    emu.garbageNext(new byte[] {0x79});   // notes §3.2: libmsr scans only for 0x79
    msr.communicationTest();
    emu.garbageNext(new byte[] {0x1B, 0x30});
    assertThatThrownBy(msr::communicationTest).isInstanceOfSatisfying(MsrException.class,
        e -> assertThat(e.fault()).isEqualTo(DeviceFault.COMMUNICATION_ERROR));
  }

  @Test
  void modelFirmwareAndLeadingZerosAsTheManualAnswersThem() {
    open(Msr605Emulator.builder().model("5").firmware("REVH1.06"));
    assertThat(msr.model()).isEqualTo("5");          // 1B 74 -> 1B <model> 53
    assertThat(msr.firmware()).isEqualTo("REVH1.06"); // 1B 76 -> 1B REV?X.XX
    assertThat(msr.leadingZeros()).containsExactly(61, 22);   // default 3D 16
    msr.leadingZeros(40, 15);
    assertThat(emu.frames().get(emu.frames().size() - 1)).isEqualTo(Bytes.fromHex("1B7A280F"));
    assertThat(msr.leadingZeros()).containsExactly(40, 15);
  }

  @Test
  void rawWriteSendsTheManualsVectorAndReadsItBackTurnedToTheWriteOrientation() {
    open(Msr605Emulator.builder());
    // MSR605 programmer's manual §9 addendum (notes §1.6 item 5): %ABC123? at 8 bpc, ;12345? at 8 bpc
    Map<Integer, RawTrack> raw = Map.of(1, RawTrack.of(Bytes.fromHex("C5B07814954E3E2A"), 8, 210),
        2, RawTrack.of(Bytes.fromHex("2B8849EAAF"), 8, 75), 3, RawTrack.of(Bytes.fromHex("2B8849EAAF"), 8, 210));
    msr.writeRawAndVerify(CARD, raw);
    assertThat(emu.frames()).contains(Bytes.fromHex("1B6F080808"),
        Bytes.fromHex("1B6E1B731B0108C5B07814954E3E2A1B02052B8849EAAF1B03052B8849EAAF3F1C"), Bytes.fromHex("1B6D"));
    assertThat(msr.readRaw(CARD, Map.of()).get(1).data()).isEqualTo(Bytes.fromHex("C5B07814954E3E2A"));
  }

  @Test
  void rawAtFiveAndSevenBitsPerCharacter() {
    open(Msr605Emulator.builder());
    // MSR605 manual §9 (notes §1.6 item 5): BPC 1B 6F 07 05 05; %ABC123? -> 45 61 62 23 51 52 13 1F 2A; ;12345? -> 0B 01 02 13 04 15 1F 15
    Map<Integer, RawTrack> raw = Map.of(1, RawTrack.of(Bytes.fromHex("456162235152131F2A"), 7, 210),
        2, RawTrack.of(Bytes.fromHex("0B010213041 51F15".replace(" ", "")), 5, 75));
    msr.writeRawAndVerify(CARD, raw);
    assertThat(emu.frames()).contains(Bytes.fromHex("1B6F070508"));
    assertThatThrownBy(() -> RawTrack.of(Bytes.fromHex("80"), 7, 210)).isInstanceOf(ValidationException.class);
  }

  @Test
  void anIsoReadOfARawTrackIsAReadErrorNotWrongData() {
    open(Msr605Emulator.builder());
    msr.writeRaw(CARD, Map.of(2, RawTrack.of(Bytes.fromHex("2B8849EAAF"), 8, 75)));
    assertThatThrownBy(() -> msr.read(CARD)).isInstanceOfSatisfying(MsrException.class,
        e -> assertThat(e.status()).contains(MsrStatus.READ_WRITE_ERROR));
  }

  @Test
  void invalidTrackCharactersAndLengthsAreRefusedBeforeAnythingIsSent() {
    open(Msr605Emulator.builder());
    int before = emu.frames().size();
    assertThatThrownBy(() -> msr.write(CARD, stripe(null, "41A1", null))).isInstanceOfSatisfying(
        ValidationException.class, e -> assertThat(e.getMessage()).contains("track2").contains("position 3")
            .doesNotContain("41A1"));
    assertThatThrownBy(() -> msr.write(CARD, stripe(null, ";4111", null))).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> msr.write(CARD, stripe(null, "1".repeat(38), null))).isInstanceOfSatisfying(
        ValidationException.class, e -> assertThat(e.getMessage()).contains("37"));
    assertThatThrownBy(() -> msr.erase(CARD, Set.of())).isInstanceOf(ValidationException.class);
    assertThat(emu.frames()).hasSize(before);
  }

  @Test
  void aClosedEncoderIsOfflineAndRefusesWork() {
    open(Msr605Emulator.builder());
    msr.close();
    assertThat(msr.status().state()).isEqualTo(DeviceStatus.State.OFFLINE);
    assertThatThrownBy(() -> msr.read(CARD)).isInstanceOfSatisfying(MsrException.class,
        e -> assertThat(e.fault()).isEqualTo(DeviceFault.COMMUNICATION_ERROR));
  }
}
