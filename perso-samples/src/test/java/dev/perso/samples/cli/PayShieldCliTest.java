package dev.perso.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perso.crypto.payshield.testing.TestPayShield;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code perso crypto … --crypto payshield://…} and {@code perso hsm import} against the test HSM. */
class PayShieldCliTest {
  /** notes/payshield.md §3 (thalessimulatorlibrary CW test): 0123456789ABCDEFFEDCBA9876543210 as CVK 402. */
  static final String CVK = "U9B4934384B19946B040CD702B4D58145";
  static TestPayShield hsm;
  static String crypto;

  @BeforeAll
  static void start() {
    hsm = TestPayShield.start();
    crypto = "payshield://127.0.0.1:" + hsm.port();
  }

  @AfterAll
  static void stop() {
    hsm.close();
  }

  private static JsonNode json(String... args) throws Exception {
    CliRun r = CliRun.of(args);
    assertThat(r.exitCode()).as(r.err()).isZero();
    return new ObjectMapper().readTree(r.out());
  }

  @Test
  void cvvWithAKeyUnderTheLmk() throws Exception {
    // thalessimulatorlibrary CW test: PAN 4123456789012345, 8701, 101 -> 561
    assertThat(json("crypto", "cvv", "--json", "--crypto", crypto, "--cvk", CVK, "--pan", "4123456789012345",
        "--expiry", "8701", "--service-code", "101").get("cvv").asText()).isEqualTo("561");
  }

  @Test
  void kcvWithTheKeyType() throws Exception {
    // KCV 08D7B4 (notes §3 table; CryptoCarver, thalessimulatorlibrary AW test)
    assertThat(json("crypto", "kcv", "--json", "--crypto", crypto, "--key", CVK, "--key-type", "402").get("kcv")
        .asText()).isEqualTo("08D7B4");
  }

  @Test
  void aKeyOfAnotherTypeIsTheHsmsParityError() {
    CliRun r = CliRun.of("crypto", "kcv", "--crypto", crypto, "--key", CVK, "--key-type", "002");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.err()).contains("BU").contains("10").doesNotContain("9B4934384B19946B");
  }

  @Test
  void keyCeremonyFromComponentsThenUse() throws Exception {
    // components 1111…EEEE and its XOR with 0123…3210 form the CW test key; KCVs by ECB(0) (notes §3 step 6)
    String c1 = "1111111111111111EEEEEEEEEEEEEEEE";
    String c2 = "1032547698BADCFE1032547698BADCFE";
    String k1 = json("crypto", "kcv", "--json", "--key", c1).get("kcv").asText();
    String k2 = json("crypto", "kcv", "--json", "--key", c2).get("kcv").asText();
    JsonNode imported = json("hsm", "import", "--json", "--crypto", crypto, "--usage", "cvk", "--component", c1,
        "--component-kcv", k1, "--component", c2, "--component-kcv", k2, "--kcv", "08D7B4");
    assertThat(imported.get("key").asText()).isEqualTo(CVK);
    assertThat(imported.get("keyType").asText()).isEqualTo("402");
    CliRun wrong = CliRun.of("hsm", "import", "--crypto", crypto, "--usage", "cvk", "--component", c1,
        "--component-kcv", k1, "--component", c2, "--component-kcv", "000000");
    assertThat(wrong.exitCode()).isNotZero();
    assertThat(wrong.err()).contains("component 2").doesNotContain(c2);
  }

  @Test
  void importUnderAKek() throws Exception {
    // thalessimulatorlibrary A6/A8/FE tests: TPK3 (KCV 070753) under ZMK5 = F7D53991678347EFB3026882F724E6EE
    JsonNode k = json("hsm", "import", "--json", "--crypto", crypto, "--usage", "pvk", "--kek",
        "U1457FF6ADF6250C66C368416B4C9D383", "--cryptogram", "F7D53991678347EFB3026882F724E6EE", "--kcv", "070753");
    assertThat(k.get("key").asText()).isEqualTo("U8463435FC4B4DAA0C49025272C29B12C");
  }

  @Test
  void deriveKeepsTheKeyUnderTheLmk() throws Exception {
    JsonNode imk = json("hsm", "import", "--json", "--crypto", crypto, "--usage", "imk-ac", "--component",
        "1111111111111111EEEEEEEEEEEEEEEE", "--component-kcv",
        json("crypto", "kcv", "--json", "--key", "1111111111111111EEEEEEEEEEEEEEEE").get("kcv").asText(),
        "--component", "1032547698BADCFE1032547698BADCFE", "--component-kcv",
        json("crypto", "kcv", "--json", "--key", "1032547698BADCFE1032547698BADCFE").get("kcv").asText());
    JsonNode d = json("crypto", "derive", "--json", "--crypto", crypto, "--method", "option-a", "--key",
        imk.get("key").asText(), "--pan", "12345678901234567", "--psn", "01");
    assertThat(d.get("key").asText()).startsWith("U");
    // #6 pyemv kd.derive_icc_mk_a doctest: 73AD54688CEF2934B0979857E3C719F1, whose KCV the software backend gives
    assertThat(d.get("kcv").asText()).isEqualTo(json("crypto", "kcv", "--json", "--key",
        "73AD54688CEF2934B0979857E3C719F1").get("kcv").asText());
  }
}
