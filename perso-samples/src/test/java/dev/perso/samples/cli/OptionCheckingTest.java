package dev.perso.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Options are checked before a card is touched, take their words in any case, and errors name the option. */
class OptionCheckingTest {
  private static final String KEY = "404142434445464748494A4B4C4D4E4F";

  @Test
  void choicesTakeAnyCaseLikeTheMethodOptionDoes() {
    CliRun lower = CliRun.of("crypto", "kcv", "--key", KEY, "--alg", "aes", "--method", "ones");
    CliRun upper = CliRun.of("crypto", "kcv", "--key", KEY, "--alg", "AES", "--method", "ONES");
    assertThat(upper.exitCode()).as(upper.err()).isZero();
    assertThat(upper.out()).isEqualTo(lower.out());
    CliRun mac = CliRun.of("crypto", "mac", "--alg", "CMAC", "--cipher", "AES", "--key", KEY, "--data", "00");
    assertThat(mac.exitCode()).as(mac.err()).isZero();
    CliRun durability = CliRun.of("run", "--help");
    assertThat(durability.exitCode()).isZero();
  }

  @Test
  void aWrongCipherBlamesCipherAndHexErrorsNameTheirOption() {
    CliRun cipher = CliRun.of("crypto", "mac", "--alg", "cmac", "--cipher", "des", "--key", KEY, "--data", "00");
    assertThat(cipher.exitCode()).isEqualTo(2);
    assertThat(cipher.errors().strip()).isEqualTo("perso: --cipher: must be tdes, aes, was des");
    CliRun atc = CliRun.of("crypto", "derive", "--method", "mchip-skd", "--key", KEY, "--atc", "00ZZ", "--un", "01020304");
    assertThat(atc.exitCode()).isEqualTo(2);
    assertThat(atc.errors().strip()).startsWith("perso: --atc: not hex");
    CliRun kdd = CliRun.of("gp", "diversify", "--key", KEY, "--kdd", "0001020304050607080Z", "--method", "emv");
    assertThat(kdd.exitCode()).isEqualTo(2);
    assertThat(kdd.errors().strip()).startsWith("perso: --kdd: not hex");
    CliRun method = CliRun.of("gp", "diversify", "--key", KEY, "--kdd", "00010203040506070809", "--method", "visa1");
    assertThat(method.errors().strip()).startsWith("perso: --method: unknown diversification");
  }

  /** No reader is named "no such reader": an error about the key proves the key was checked first. */
  @Test
  void gpOpenChecksTheKeyBeforeAnyReaderOrCard() {
    String[][] bad = {
        {"--key", "0001020304050607", "--method", "emv"},               // 8 bytes: neither SCP02 nor SCP03
        {"--key", KEY + KEY, "--method", "emv"},                        // 32 bytes: AES, but emv is 3DES
        {"--key", KEY + "00", "--method", "none"},                      // 17 bytes
    };
    for (String[] b : bad) {
      CliRun r = CliRun.of("gp", "open", "--reader", "no such reader", b[0], b[1], b[2], b[3]);
      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(r.errors().strip()).as(String.join(" ", b)).startsWith("perso: --key: ").doesNotContain(KEY)
          .doesNotContain("PC/SC");
    }
  }

  @Test
  void cpsRunAndApduSendCheckTheirInputBeforeAnyReaderOrCard(@TempDir Path dir) throws Exception {
    Path input = Files.writeString(dir.resolve("batch.jsonl"), "{}\n");
    CliRun kmc = CliRun.of("cps", "run", "--input", input.toString(), "--reader", "no such reader", "--kmc", "00010203");
    assertThat(kmc.exitCode()).isEqualTo(2);
    assertThat(kmc.errors().strip()).startsWith("perso: --kmc: a key of 4 bytes cannot be used here");
    for (String[] bad : new String[][] {{"A0000000041010", "is AID=KEY"}, {"XY=00112233445566778899AABBCCDDEEFF", "not hex"},
        {"A000=00112233445566778899AABBCCDDEEFF", "an AID is 5 to 16 bytes"},
        {"A0000000041010=0011", "--application-kmc A0000000041010: a key of 2 bytes"}}) {
      CliRun app = CliRun.of("cps", "run", "--input", input.toString(), "--reader", "no such reader", "--kmc",
          "404142434445464748494A4B4C4D4E4F", "--application-kmc", bad[0]);
      assertThat(app.exitCode()).as(bad[0]).isEqualTo(2);
      assertThat(app.errors()).as(bad[0]).contains(bad[1]).doesNotContain("PC/SC");
    }
    CliRun apdu = CliRun.of("apdu", "send", "--reader", "no such reader", "00A4040000", "00A4");
    assertThat(apdu.exitCode()).isEqualTo(2);
    assertThat(apdu.errors().strip()).doesNotContain("PC/SC").doesNotContain("no such reader");
  }
}
