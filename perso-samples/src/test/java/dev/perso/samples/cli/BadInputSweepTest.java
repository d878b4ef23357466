package dev.perso.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input is exit code 2 with one line on stderr, for every command: empty strings, directories, missing
 * files and unreadable files where a file is read. {DIR}, {MISSING}, {FILE} (an empty file) and
 * {UNREADABLE} (mode 000) stand for paths under a fresh directory.
 */
class BadInputSweepTest {
  private static final String KEY = "404142434445464748494A4B4C4D4E4F";
  private static final String HOST = "0102030405060708";

  @TempDir
  static Path dir;

  static Stream<Arguments> badInputs() {
    List<String> cases = new ArrayList<>(List.of(
        // empty strings
        "tlv decode ''", "apdu decode ''", "apdu decode --response ''", "atr parse ''", "track parse ''",
        "track decode-raw '' --track 2 --bpc 5", "apdu send --reader nope ''", "crypto kcv --key ''",
        "crypto mac --alg cmac --key " + KEY + " --data ''", "crypto arqc --key " + KEY + " --data ''",
        "crypto derive --method mchip-skd --key " + KEY + " --atc '' --un 01020304",
        "gp diversify --key " + KEY + " --kdd '' --method emv", "gp session-keys --scp '' --key " + KEY,
        "gp identify-keys --iu-response '' --host-challenge " + HOST + " --key " + KEY,
        "gp open --reader nope --key ''", "cps inspect ''", "demo --out ''",
        "run --line '' --card-type debit-example --input {FILE} --journal {DIR}/j.db",
        "run --line virtual-conveyor --card-type '' --input {FILE} --journal {DIR}/j.db",
        "job status --journal ''",
        // directories
        "cps inspect {DIR}", "cps script --input {DIR} --card 1 --key " + KEY + " --host-challenge " + HOST
            + " --iu-response 00", "cps run --input {DIR} --reader nope --kmc " + KEY,
        "run --line virtual-conveyor --card-type debit-example --input {DIR} --journal {DIR}/j.db",
        "run --line virtual-conveyor --card-type debit-example --input {FILE} --journal {DIR}",
        "run --line {DIR} --card-type debit-example --input {FILE} --journal {DIR}/j.db",
        "job status --journal {DIR}", "job report --journal {DIR}", "demo --out {FILE}",
        "crypto kcv --key file:{DIR}",
        // missing files
        "cps inspect {MISSING}", "cps script --input {MISSING} --card 1 --key " + KEY + " --host-challenge " + HOST
            + " --iu-response 00", "cps run --input {MISSING} --reader nope --kmc " + KEY,
        "cps run --input {FILE} --reader nope --kmc " + KEY + " --profile {MISSING}",
        "run --line virtual-conveyor --card-type debit-example --input {MISSING} --journal {DIR}/j.db",
        "run --line {MISSING} --card-type debit-example --input {FILE} --journal {DIR}/j.db",
        "job report --journal {MISSING}", "crypto kcv --key file:{MISSING}",
        // unreadable files
        "cps inspect {UNREADABLE}", "cps run --input {UNREADABLE} --reader nope --kmc " + KEY,
        "run --line virtual-conveyor --card-type debit-example --input {UNREADABLE} --journal {DIR}/j.db"));
    return cases.stream().map(Arguments::of);
  }

  @ParameterizedTest
  @MethodSource("badInputs")
  void badInputIsExitTwoWithOneLine(String command) throws Exception {
    Files.createDirectories(dir.resolve("d"));
    Path file = dir.resolve("empty.jsonl");
    if (!Files.exists(file)) {
      Files.createFile(file);
    }
    Path unreadable = dir.resolve("unreadable.jsonl");
    if (!Files.exists(unreadable)) {
      Files.writeString(unreadable, "{}\n");
      Files.setPosixFilePermissions(unreadable, java.nio.file.attribute.PosixFilePermissions.fromString("---------"));
    }
    if (command.contains("{UNREADABLE}")) {
      Assumptions.assumeFalse(Files.isReadable(unreadable), "running as root: a mode-000 file is still readable");
    }
    String expanded = command.replace("{DIR}", dir.resolve("d").toString()).replace("{MISSING}",
        dir.resolve("missing.jsonl").toString()).replace("{FILE}", file.toString())
        .replace("{UNREADABLE}", unreadable.toString());
    List<String> args = new ArrayList<>();
    for (String a : expanded.split(" ")) {
      args.add(a.equals("''") ? "" : a);
    }
    CliRun r = CliRun.of(args.toArray(String[]::new));
    assertThat(r.exitCode()).as(command + "\n" + r.err()).isEqualTo(2);
    assertThat(r.errors().strip()).as(command).startsWith("perso: ").doesNotContain("\n")
        .doesNotContain("internal error").doesNotContain("Exception");
  }
}
