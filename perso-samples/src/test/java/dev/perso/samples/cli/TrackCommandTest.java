package dev.perso.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class TrackCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  // Luhn-valid Visa test PAN
  private static final String PAN = "4111111111111111";

  @Test
  void buildPrintsTrackTexts() {
    CliRun r = CliRun.of("track", "build", "--pan", PAN, "--name", "DOE/JOHN", "--expiry", "2612", "--service-code", "101",
        "--dd", "123");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("%B4111111111111111^DOE/JOHN^2612101123?\n;4111111111111111=2612101123?\n");
  }

  @Test
  void buildJsonHasTracksAndLrcs() throws Exception {
    CliRun r = CliRun.of("track", "build", "--json", "--pan", PAN, "--name", "DOE/JOHN", "--expiry", "2612",
        "--service-code", "101");
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode j = JSON.readTree(r.out());
    assertThat(j.get("track1").asText()).isEqualTo("%B4111111111111111^DOE/JOHN^2612101?");
    assertThat(j.get("track2").asText()).isEqualTo(";4111111111111111=2612101?");
    assertThat(j.get("lrc1").asText()).matches("[0-9A-F]{2}");
    assertThat(j.get("lrc2").asText()).matches("0[0-9A-F]");
    assertThat(j.has("raw1")).isFalse();
  }

  @Test
  void buildRawRoundTripsThroughDecodeRaw() throws Exception {
    CliRun r = CliRun.of("track", "build", "--json", "--raw", "--bpc", "8", "--pan", PAN, "--name", "DOE/JOHN",
        "--expiry", "2612", "--service-code", "101");
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode j = JSON.readTree(r.out());
    // no leading zeros: the first stripe bit is the start sentinel's b0 = 1, in bit 0 of byte 0
    assertThat(Integer.parseInt(j.get("raw1").asText().substring(0, 2), 16) & 1).isEqualTo(1);
    CliRun d1 = CliRun.of("track", "decode-raw", j.get("raw1").asText(), "--track", "1", "--bpc", "8");
    assertThat(d1.out().trim()).isEqualTo(j.get("track1").asText());
    CliRun d2 = CliRun.of("track", "decode-raw", j.get("raw2").asText(), "--track", "2", "--bpc", "8");
    assertThat(d2.out().trim()).isEqualTo(j.get("track2").asText());
  }

  @Test
  void buildWithLayoutComputesCvvAndPvv() throws Exception {
    // PVV P1 (knovichikhin/psec:psec/pin.py doctest): PVK 0123456789ABCDEF FEDCBA9876543210, PAN 1122334455667788,
    // PVKI 3, PIN 4524 -> PVV 4021. The PAN is not Luhn-valid, hence --no-luhn-check.
    CliRun r = CliRun.of("track", "build", "--json", "--pan", "1122334455667788", "--name", "TEST/CARD", "--expiry", "2612",
        "--service-code", "101", "--layout", "pvv-cvv", "--cvk", "0123456789ABCDEFFEDCBA9876543210",
        "--pvk", "0123456789ABCDEFFEDCBA9876543210", "--pvki", "3", "--pin", "4524", "--no-luhn-check");
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode j = JSON.readTree(r.out());
    assertThat(j.get("track2").asText()).startsWith(";1122334455667788=261210134021");
    assertThat(j.get("track1").asText()).contains("^261210134021");
  }

  @Test
  void buildWithCvvLayoutMatchesClassicVector() {
    // CVV C1 (ilya-dubinsky/cfpp:c/test/test_magstripe.c): PAN 4123456789012345, 8701, 101 -> 561
    CliRun r = CliRun.of("track", "build", "--track", "2", "--pan", "4123456789012345", "--expiry", "8701",
        "--service-code", "101", "--layout", "cvv", "--cvk", "0123456789ABCDEFFEDCBA9876543210", "--no-luhn-check");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out().trim()).isEqualTo(";4123456789012345=87011010000561000?");
  }

  @Test
  void buildTrack3AndAll() throws Exception {
    CliRun r = CliRun.of("track", "build", "--json", "--track", "all", "--pan", PAN, "--name", "DOE/J", "--expiry", "2612",
        "--service-code", "101");
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode j = JSON.readTree(r.out());
    assertThat(j.get("track3").asText()).startsWith(";01" + PAN + "==");
    assertThat(j.has("lrc3")).isTrue();
  }

  @Test
  void badInputIsOneLineExitTwoWithoutThePan() {
    CliRun r = CliRun.of("track", "build", "--pan", "4111111111111112", "--name", "DOE/J", "--expiry", "2612");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).startsWith("perso: pan: Luhn").doesNotContain("4111111111111112");
    assertThat(r.err().lines().count()).isEqualTo(1);
    CliRun bpc = CliRun.of("track", "build", "--pan", PAN, "--name", "DOE/J", "--raw", "--bpc", "7");
    assertThat(bpc.exitCode()).isEqualTo(2);
    assertThat(bpc.err()).contains("bpc");
    CliRun both = CliRun.of("track", "build", "--pan", PAN, "--name", "DOE/J", "--dd", "1", "--layout", "cvv");
    assertThat(both.exitCode()).isEqualTo(2);
    CliRun overflow = CliRun.of("track", "build", "--track", "2", "--pan", PAN, "--expiry", "2612", "--service-code", "101",
        "--dd", "123456789012345");
    assertThat(overflow.err().trim()).isEqualTo("perso: track2: is 42 characters including sentinels and LRC, 2 over the maximum of 40");
  }

  @Test
  void parsePrintsFields() throws Exception {
    CliRun r = CliRun.of("track", "parse", "%B4111111111111111^DOE/JOHN^2612201123?");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("Track 1").contains("pan").contains(PAN).contains("DOE/JOHN").contains("use the chip");
    CliRun j = CliRun.of("track", "parse", "--json", ";4111111111111111=2612101123?");
    JsonNode n = JSON.readTree(j.out());
    assertThat(n.get("track").asInt()).isEqualTo(2);
    assertThat(n.get("pan").asText()).isEqualTo(PAN);
    assertThat(n.get("expiry").asText()).isEqualTo("2612");
    assertThat(n.get("serviceCode").asText()).isEqualTo("101");
    assertThat(n.get("discretionaryData").asText()).isEqualTo("123");
    assertThat(n.get("tolerated")).isEmpty();
  }

  @Test
  void parseLenientReportsWhatItTolerated() throws Exception {
    CliRun strict = CliRun.of("track", "parse", ";4111111111111111=2612101?:");
    assertThat(strict.exitCode()).isEqualTo(2);
    assertThat(strict.err()).contains("offset");
    CliRun r = CliRun.of("track", "parse", "--lenient", "--json", ";4111111111111111=2612101?:");
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode n = JSON.readTree(r.out());
    assertThat(n.get("tolerated").get(0).asText()).contains("after the end sentinel");
    CliRun t = CliRun.of("track", "parse", "--lenient", ";4111111111111111=2612101?:");
    assertThat(t.out()).contains("tolerated:");
  }

  @Test
  void decodeRawManualVectors() throws Exception {
    // MSR605 programmer's manual section 9 addendum (Nsfr750/MSR605:docs/PDF/MSR605 Programmer's Manual.pdf)
    assertThat(CliRun.of("track", "decode-raw", "C5B07814954E3E2A", "--track", "1", "--bpc", "8").out().trim()).isEqualTo("%ABC123?");
    assertThat(CliRun.of("track", "decode-raw", "0B01021304151F15", "--track", "2", "--bpc", "5").out().trim()).isEqualTo(";12345?");
    assertThat(CliRun.of("track", "decode-raw", "456162235152131F2A", "--track", "1", "--bpc", "7").out().trim()).isEqualTo("%ABC123?");
    assertThat(CliRun.of("track", "decode-raw", "052122231112131F2A", "--track", "1", "--bpc", "6").out().trim()).isEqualTo("%ABC123?");
    JsonNode n = JSON.readTree(CliRun.of("track", "decode-raw", "--json", "2B8849EAAF", "--track", "3", "--bpc", "8").out());
    assertThat(n.get("text").asText()).isEqualTo(";12345?");
    assertThat(n.get("lrc").asText()).isEqualTo("05");
    assertThat(n.get("direction").asText()).isEqualTo("FORWARD");
    // C5 bit-reversed = A3: the same track as an MSR raw read returns it
    assertThat(CliRun.of("track", "decode-raw", "A30D1E28A9727C54", "--track", "1", "--bpc", "8", "--msb-first").out().trim())
        .isEqualTo("%ABC123?");
  }

  @Test
  void decodeRawErrorNamesCharacterAndBit() {
    CliRun r = CliRun.of("track", "decode-raw", "0B01021304151F04", "--track", "2", "--bpc", "5");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("character 7").contains("bit 35").contains("LRC");
  }
}
