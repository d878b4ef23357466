package dev.perso.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every key option reads file:PATH (owner-only), env:NAME, prompt or plain hex (with a warning). */
class KeyInputTest {
  private static final String KEY = "404142434445464748494A4B4C4D4E4F";

  private static String kcv(CliRun r) {
    assertThat(r.exitCode()).as(r.err()).isZero();
    return r.out().strip();
  }

  @Test
  void aKeyFromAnOwnerOnlyFileOrTheEnvironmentWorksWithoutAWarning(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("kmc.hex"), KEY + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    CliRun plain = CliRun.of("crypto", "kcv", "--key", KEY);
    CliRun fromFile = CliRun.of("crypto", "kcv", "--key", "file:" + file);
    assertThat(kcv(fromFile)).isEqualTo(kcv(plain)).startsWith("kcv: ");
    assertThat(fromFile.err()).isEmpty();
    assertThat(System.getenv("PERSO_TEST_KEY")).as("set by the surefire configuration").isEqualTo(KEY);
    CliRun fromEnv = CliRun.of("crypto", "kcv", "--key", "env:PERSO_TEST_KEY");
    assertThat(kcv(fromEnv)).isEqualTo(kcv(plain));
    assertThat(fromEnv.err()).isEmpty();
  }

  @Test
  void aPlainKeyWorksButWarnsWithoutEchoingIt() {
    CliRun r = CliRun.of("gp", "diversify", "--key", KEY, "--kdd", "00010203040506070809", "--method", "emv");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err()).startsWith("perso: warning: --key given as a plain argument is visible to other local users")
        .contains("file:PATH, env:NAME or prompt").doesNotContain(KEY);
  }

  @Test
  void aKeyFileOthersCanReadIsRefused(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("kmc.hex"), KEY);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    CliRun r = CliRun.of("cps", "run", "--input", file.toString(), "--reader", "nope", "--kmc", "file:" + file);
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err().strip()).isEqualTo("perso: --kmc: key file " + file + " can be read by other users; chmod 600 "
        + file);
    Path link = Files.createSymbolicLink(dir.resolve("link.hex"), file);
    CliRun viaLink = CliRun.of("crypto", "kcv", "--key", "file:" + link);
    assertThat(viaLink.exitCode()).isEqualTo(2);
    assertThat(viaLink.err()).contains("symbolic link").doesNotContain(KEY);
  }

  @Test
  void badSourcesAreOneLineErrorsNamingTheOptionAndNeverTheKey(@TempDir Path dir) throws Exception {
    Path notHex = Files.writeString(dir.resolve("bad.hex"), "40414243444546474849ZZ4B4C4D4E4F");
    Files.setPosixFilePermissions(notHex, PosixFilePermissions.fromString("r--------"));
    String[][] cases = {
        {"crypto", "cvv", "--cvk", "env:PERSO_NO_SUCH_VARIABLE", "--pan", "4123456789012345", "--expiry", "8701",
            "--service-code", "101"},
        {"crypto", "kcv", "--key", "file:" + dir.resolve("missing")},
        {"crypto", "kcv", "--key", "file:" + notHex},
        {"gp", "session-keys", "--scp", "02", "--seq", "0001", "--key", "env:"},
        {"crypto", "arqc", "--key", "prompt", "--data", "00"},   // no terminal under test
        {"crypto", "kcv", "--key", ""},
    };
    String[] expected = {"--cvk: environment variable 'PERSO_NO_SUCH_VARIABLE' is not set", "--key: no key file",
        "--key: not hex", "--key: environment variable '' is not set", "--key: prompt needs a terminal",
        "--key: the key is empty"};
    for (int i = 0; i < cases.length; i++) {
      CliRun r = CliRun.of(cases[i]);
      assertThat(r.exitCode()).as(String.join(" ", cases[i])).isEqualTo(2);
      assertThat(r.errors().strip()).startsWith("perso: " + expected[i]).doesNotContain("\n")
          .doesNotContain("4B4C4D4E4F");
    }
  }
}
