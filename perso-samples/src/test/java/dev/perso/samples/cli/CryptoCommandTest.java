package dev.perso.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CryptoCommandTest {

  private static JsonNode json(String... args) throws Exception {
    CliRun r = CliRun.of(args);
    assertThat(r.exitCode()).as(r.err()).isZero();
    return new ObjectMapper().readTree(r.out());
  }

  @Test
  void kcv() throws Exception {
    // pyemv tools.py doctest (knovichikhin/pyemv cf6b82d7): KCV of 0123456789ABCDEFFEDCBA9876543210 = 08D7B4...
    assertThat(json("crypto", "kcv", "--json", "--key", "0123456789ABCDEFFEDCBA9876543210").get("kcv").asText())
        .isEqualTo("08D7B4");
    assertThat(json("crypto", "kcv", "--json", "--key", "0123456789ABCDEFFEDCBA9876543210", "--length", "2")
        .get("kcv").asText()).isEqualTo("08D7");
  }

  @ParameterizedTest
  @CsvSource({
      // C1 ilya-dubinsky/cfpp:c/test/test_magstripe.c
      "0123456789ABCDEFFEDCBA9876543210, 4123456789012345, 8701, 101, 561",
      // C5 knovichikhin/psec:psec/cvv.py doctest
      "0123456789ABCDEFFEDCBA9876543210, 1234567890123456, 9912, 220, 170"})
  void cvv(String cvk, String pan, String expiry, String sc, String expected) throws Exception {
    assertThat(json("crypto", "cvv", "--json", "--cvk", cvk, "--pan", pan, "--expiry", expiry, "--service-code", sc)
        .get("cvv").asText()).isEqualTo(expected);
  }

  @Test
  void pvv() throws Exception {
    // P1 knovichikhin/psec:psec/pin.py doctest (TSP 3344556677834524)
    assertThat(json("crypto", "pvv", "--json", "--pvk", "0123456789ABCDEFFEDCBA9876543210", "--pvki", "3",
        "--pin", "4524", "--pan", "1122334455667788").get("pvv").asText()).isEqualTo("4021");
  }

  @Test
  void pinOffset() throws Exception {
    // X1 knovichikhin/psec:tests/test_pin.py: natural PIN 4524; PIN 1234 has offset 7710.
    JsonNode r = json("crypto", "pin-offset", "--json", "--pvk", "0123456789ABCDEFFEDCBA9876543210",
        "--pan", "1122334455667788", "--pin", "1234", "--dec-table", "1234567890123456",
        "--validation-data", "1122334455667788");
    assertThat(r.get("naturalPin").asText()).isEqualTo("4524");
    assertThat(r.get("offset").asText()).isEqualTo("7710");
  }

  @Test
  void deriveOptionA() throws Exception {
    // #6 pyemv kd.derive_icc_mk_a doctest
    JsonNode r = json("crypto", "derive", "--json", "--method", "option-a", "--key", "0123456789ABCDEFFEDCBA9876543210",
        "--pan", "12345678901234567", "--psn", "01");
    assertThat(r.get("key").asText()).isEqualTo("73AD54688CEF2934B0979857E3C719F1");
    assertThat(r.get("kcv").asText()).hasSize(6);
  }

  @Test
  void retailMac() throws Exception {
    // #27 knovichikhin/psec tests/test_mac.py: alg 3, K=41.. K'=42.., "hello world", padding 2
    assertThat(json("crypto", "mac", "--json", "--alg", "iso9797-1-m3", "--pad", "2",
        "--key", "41414141414141414242424242424242", "--data", "68656C6C6F20776F726C64").get("mac").asText())
        .isEqualTo("E16941032C3BC7D4");
  }

  @Test
  void arqc() throws Exception {
    // #14 pyemv ac.py module doctest, padding method 2 (EMV)
    assertThat(json("crypto", "arqc", "--json", "--key", "29B33180E567CE38EA4CBC9D753B0E61",
        "--data", "0123456789ABCDEF0123456789ABCDEF", "--pad", "2").get("arqc").asText()).isEqualTo("FA624250B008B59A");
  }

  @Test
  void badKeysAreNeverEchoed() {
    CliRun r = CliRun.of("crypto", "cvv", "--cvk", "0123456789ABCDEFFEDCBA987654321Z", "--pan", "4123456789012345",
        "--expiry", "8701", "--service-code", "101");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.errors().strip()).doesNotContain("\n").contains("--cvk").doesNotContain("0123456789ABCDEF")
        .doesNotContain("'Z'");
    CliRun shortKey = CliRun.of("crypto", "kcv", "--key", "0123456789ABCDEFFEDCBA98");
    assertThat(shortKey.exitCode()).isEqualTo(2);
    assertThat(shortKey.err()).doesNotContain("0123456789ABCDEF");
  }
}
