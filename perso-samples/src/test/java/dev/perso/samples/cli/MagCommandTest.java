package dev.perso.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perso.core.Bytes;
import dev.perso.devices.msr.CoercivityMode;
import dev.perso.devices.msr.Msr605Emulator;
import dev.perso.devices.msr.Msr605Encoder;
import dev.perso.devices.msr.MsrStatus;
import dev.perso.devices.testing.PtyPair;
import dev.perso.devices.serial.SerialLink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code perso mag ...} against the MSR605 emulator through a socat pty pair, opened by address. */
@Tag("socat")
@Timeout(90)
class MagCommandTest {
  private static final String T1 = "%B4111111111111111^DOE/JOHN^2612101000000000?";
  private static final String T2 = ";4111111111111111=2612101000?";

  private PtyPair pty;
  private Msr605Emulator emu;
  private String device;

  @BeforeEach
  void start() throws Exception {
    pty = PtyPair.start();
    emu = Msr605Emulator.builder().build().serve(SerialLink.open(pty.card(), Msr605Encoder.serialConfig(9600)));
    device = "msr605:" + pty.host() + "?commandTimeoutMs=500&swipeTimeoutMs=1000&byteTimeoutMs=300";
  }

  @AfterEach
  void stop() throws Exception {
    // start() aborts (the test is skipped) when socat is missing: nothing to close then
    if (emu != null) {
      emu.close();
    }
    if (pty != null) {
      pty.close();
    }
  }

  @Test
  void writeVerifiesAndMasksUnlessAsked() {
    CliRun w = CliRun.of("mag", "write", "--device", device, "--track1", T1, "--track2", T2);
    assertThat(w.exitCode()).as(w.err()).isZero();
    assertThat(w.out()).contains("track 2: ************1111=**********").contains("written and verified")
        .doesNotContain("41111111");
    assertThat(emu.isoTracks()).containsEntry(2, Bytes.of(T2.getBytes(StandardCharsets.US_ASCII)));
    CliRun r = CliRun.of("mag", "read", "--device", device, "--json");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("\"track1\" : \"B************1111^********^****************\"").doesNotContain("DOE");
    CliRun shown = CliRun.of("mag", "read", "--device", device, "--show-data");
    assertThat(shown.out()).contains("track 2: 4111111111111111=2612101000");
  }

  @Test
  void acceptsTheLrcCharacterAsTrackBuildPrintsItAndRefusesAWrongOne() {
    // perso track build prints the text; the LRC of ;4111111111111111=2612101000? is computed by the ISO 7813 codec
    CliRun build = CliRun.of("track", "build", "--pan", "4111111111111111", "--expiry", "2612", "--service-code", "101",
        "--dd", "000", "--track", "2", "--json");
    assertThat(build.exitCode()).isZero();
    String lrcHex = build.out().replaceAll("(?s).*\"lrc2\" : \"([0-9A-F]{2})\".*", "$1");
    char lrc = (char) (Integer.parseInt(lrcHex, 16) + 0x30);
    assertThat(CliRun.of("mag", "write", "--device", device, "--track2", T2 + lrc).exitCode()).isZero();
    char wrong = (char) (lrc == '0' ? '1' : '0');
    CliRun bad = CliRun.of("mag", "write", "--device", device, "--track2", T2 + wrong);
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("--track2").contains("LRC").doesNotContain("4111");
  }

  @Test
  void writesTheTracksOfARecordFromABatch(@TempDir Path dir) throws Exception {
    Path batch = TestBatch.write(dir.resolve("batch.jsonl"), 3);
    CliRun w = CliRun.of("mag", "write", "--device", device, "--input", batch.toString(), "--card", "0002",
        "--card-type", "debit-example", "--json");
    assertThat(w.exitCode()).as(w.err()).isZero();
    assertThat(w.out()).contains("\"verified\" : true");
    assertThat(emu.recordedTracks()).contains(2);
    CliRun missing = CliRun.of("mag", "write", "--device", device, "--input", batch.toString(), "--card", "nope");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("--card");
  }

  @Test
  void rewritesAnIssuedCardFoundByPanAndReportsOnlyWhatChanged(@TempDir Path dir) throws Exception {
    Path batch = TestBatch.write(dir.resolve("batch.jsonl"), 2);
    assertThat(CliRun.of("mag", "write", "--device", device, "--input", batch.toString(), "--card", "0001").exitCode())
        .isZero();
    // the reissue batch: same card, new expiry
    String line = java.nio.file.Files.readAllLines(batch).get(0);
    String expiry = line.replaceAll(".*\"expiry\":\"(\\d{4})\".*", "$1");
    String newExpiry = expiry.equals("3012") ? "3112" : "3012";
    Path reissue = java.nio.file.Files.writeString(dir.resolve("reissue.jsonl"),
        line.replace("\"expiry\":\"" + expiry + "\"", "\"expiry\":\"" + newExpiry + "\"") + "\n");
    CliRun r = CliRun.of("mag", "rewrite", "--device", device, "--input", reissue.toString(), "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("\"record\" : \"0001\"").contains("expiry").contains("discretionaryData");
    assertThat(r.out()).doesNotContain(newExpiry);
  }

  @Test
  void eraseAndFaultsAreTypedOneLineErrors() {
    assertThat(CliRun.of("mag", "write", "--device", device, "--track2", T2).exitCode()).isZero();
    CliRun e = CliRun.of("mag", "erase", "--device", device, "--track", "2");
    assertThat(e.exitCode()).isZero();
    assertThat(emu.recordedTracks()).isEmpty();
    emu.failNext(MsrStatus.CARD_MOVING_ERROR);
    CliRun f = CliRun.of("mag", "write", "--device", device, "--track2", T2);
    assertThat(f.exitCode()).isEqualTo(2);
    assertThat(f.err()).contains("WRITE_ERROR").contains("card moving error").doesNotContain("4111");
    emu.corruptNextRead();
    CliRun m = CliRun.of("mag", "write", "--device", device, "--track2", T2);
    assertThat(m.err()).contains("READ_BACK_MISMATCH").contains("track 2");
    emu.insertBlank(CoercivityMode.HI_CO);
    assertThat(CliRun.of("mag", "write", "--device", "msr605:" + pty.host() + "?coercivity=lo", "--track2", T2).err())
        .contains("READ_BACK_MISMATCH");
  }

  @Test
  void rawWriteAndReadGoThroughTheIso7813Codec() {
    // MSR605 programmer's manual §9 (notes magstripe-surface.md §1.6): %ABC123? packs to C5 B0 78 14 95 4E 3E 2A at 8 bpc
    CliRun w = CliRun.of("mag", "write", "--device", device, "--raw", "--track1", "%ABC123?");
    assertThat(w.exitCode()).as(w.err()).isZero();
    assertThat(emu.frames().stream().map(Bytes::toHex))
        .anyMatch(f -> f.startsWith("1B6E1B731B0108C5B07814954E3E2A1B02001B03003F1C"));
    CliRun r = CliRun.of("mag", "read", "--device", device, "--raw", "--show-data", "--json");
    assertThat(r.out()).contains("\"track1\" : \"ABC123\"").contains("\"raw1\" : \"C5B07814954E3E2A\"");
    assertThat(CliRun.of("mag", "write", "--device", device, "--raw", "--bpc", "7", "--track1", "%ABC123?").exitCode())
        .isZero();
    // BPC 7: 45 61 62 23 51 52 13 1F 2A (same manual page)
    assertThat(emu.frames().stream().map(Bytes::toHex)).anyMatch(f -> f.contains("1B0109456162235152131F2A"));
  }

  @Test
  void aSilentDeviceEndsWithATimeoutNotAHang() {
    emu.silent(true);
    CliRun r = CliRun.of("mag", "read", "--device", device);
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("TIMEOUT");
    assertThat(Map.of()).isEmpty();
  }
}
