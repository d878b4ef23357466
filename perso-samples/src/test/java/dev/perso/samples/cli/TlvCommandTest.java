package dev.perso.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class TlvCommandTest {

  // FCI of the PSE from EMV 4.3 Book 1 Annex A, example A4, as encoded in openemv/emv-utils@011852a9
  // tests/emv_ttl_tpdu_test.c: 6F { 84 "1PAY.SYS.DDF01", A5 { 88 01, 5F2D "enesfrde", 9F11 01 } }.
  private static final String PSE_FCI =
      "6F24840E315041592E5359532E4444463031A5128801015F2D08656E6573667264659F110101";

  @Test
  void decodesATreeWithEmvNames() {
    CliRun r = CliRun.of("tlv", "decode", PSE_FCI);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("6F")
        .contains("File Control Information (FCI) Template")
        .contains("Dedicated File (DF) Name")
        .contains("Language Preference")
        .contains("Issuer Code Table Index");
  }

  @Test
  void jsonNestsChildren() throws Exception {
    CliRun r = CliRun.of("tlv", "decode", "--json", PSE_FCI);
    assertThat(r.exitCode()).isZero();
    JsonNode root = new ObjectMapper().readTree(r.out());
    assertThat(root.get(0).get("tag").asText()).isEqualTo("6F");
    JsonNode a5 = root.get(0).get("children").get(1);
    assertThat(a5.get("tag").asText()).isEqualTo("A5");
    assertThat(a5.get("children").get(1).get("value").asText()).isEqualTo("656E657366726465");
  }

  @Test
  void sensitiveValuesAreMaskedUnlessRevealed() {
    // Tag 5A (Application PAN) with the Visa test PAN 4761739001010010 (pyemv and EMV test suites).
    String pan = "5A084761739001010010";
    assertThat(CliRun.of("tlv", "decode", pan).out()).doesNotContain("4761739001010010");
    assertThat(CliRun.of("tlv", "decode", "--json", pan).out()).doesNotContain("4761739001010010");
    assertThat(CliRun.of("tlv", "decode", "--reveal", pan).out()).contains("4761739001010010");
  }

  @Test
  void truncatedTlvIsOneLineWithOffsetAndExitCodeTwo() {
    CliRun r = CliRun.of("tlv", "decode", "6F10840E3150");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err().strip()).doesNotContain("\n").contains("offset");
  }
}
