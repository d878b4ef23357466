package dev.perso.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perso.samples.io.PrivateFiles;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {

  @Test
  void demoRunsTheLineChecksEveryCardInHandAndReconciles(@TempDir Path dir) throws Exception {
    CliRun r = CliRun.of("demo", "--cards", "4", "--out", dir.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("1. Keys").contains("2. Data preparation: 4 cardholder records")
        .contains("3. Line (virtual devices, real time").contains("conveyor mx-1 [mag, chip x8, print, emboss, indent]")
        .contains("desktop desk-1").contains("5. Reconciliation").contains("reconciliation: adds up")
        .contains("Done: 4 personalized, 0 rejected, 4 cards fed");
    assertThat(r.out().lines().filter(l -> l.contains(" OK ") && l.contains("T1+T2 ok"))).hasSize(4);
    assertThat(Files.readAllLines(dir.resolve("perso-data.jsonl"))).hasSize(4);
    assertThat(dir.resolve("job.db")).exists();
    JsonNode report = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
    assertThat(report.get("personalized").asInt()).isEqualTo(4);
    assertThat(report.get("cards").get(0).get("checks").asInt()).isEqualTo(5);   // FCI, GPO, 2 records, ARQC
    assertThat(report.get("reconciliation").get("total").get("issued").asInt()).isEqualTo(4);
    // A preview of each finished card next to the report, as its virtual devices made it.
    assertThat(r.out()).contains("6. Previews: front and back of the 4 issued cards");
    for (String card : List.of("0001", "0002", "0003", "0004")) {
      for (String side : List.of("front", "back")) {
        BufferedImage png = ImageIO.read(dir.resolve("previews").resolve(card + "-" + side + ".png").toFile());
        assertThat(png.getWidth()).isEqualTo(506);    // 85.60 mm at 150 dpi
      }
    }
    assertThat(PrivateFiles.isOwnerOnly(dir.resolve("previews").resolve("0001-front.png"))).isTrue();
  }

  /** Issue 12 §4: the demo takes --profile FILE like cps run; the data names it and the cards take it. */
  @Test
  void demoTakesAProfileFile(@TempDir Path dir) throws Exception {
    Path profile = dir.resolve("my-vsdc.json");
    Files.writeString(profile, Files.readString(Path.of(
        "../perso-emv-cps/src/main/resources/dev/perso/emv/cps/profiles/vsdc-example.json"))
        .replace("\"vsdc-example\"", "\"my-vsdc\""));
    Path out = dir.resolve("out");
    CliRun r = CliRun.of("demo", "--cards", "2", "--no-faults", "--profile", profile.toString(), "--out", out.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("Done: 2 personalized, 0 rejected");
    assertThat(Files.readString(out.resolve("perso-data.jsonl"))).contains("\"profile\":\"my-vsdc\"");

    Path scp03 = dir.resolve("aes.json");
    Files.copy(Path.of("../perso-emv-cps/src/main/resources/dev/perso/emv/cps/profiles/mchip-example.json"), scp03);
    CliRun refused = CliRun.of("demo", "--cards", "1", "--profile", scp03.toString());
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.err()).contains("SCP03").contains("SCP02");
  }

  @Test
  void surfacePreviewDrawsACardOfTheDemosOwnPersoData(@TempDir Path dir) throws Exception {
    CliRun demo = CliRun.of("demo", "--cards", "2", "--no-faults", "--out", dir.toString());
    assertThat(demo.exitCode()).as(demo.err()).isZero();
    Path out = dir.resolve("0002-back.png");
    CliRun r = CliRun.of("surface", "preview", "--card-type", "debit-example", "--input",
        dir.resolve("perso-data.jsonl").toString(), "--card", "0002", "--side", "back", "--out", out.toString(),
        "--dpi", "200", "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.get("width").asInt()).isEqualTo(674);   // 85.60 mm at 200 dpi
    assertThat(json.get("warnings")).isEmpty();
    assertThat(ImageIO.read(out.toFile()).getHeight()).isEqualTo(425);
    // The virtual devices' preview the demo wrote and this one come from the same steps.
    CliRun missing = CliRun.of("surface", "preview", "--card-type", "debit-example", "--input",
        dir.resolve("perso-data.jsonl").toString(), "--card", "0099", "--side", "front", "--out",
        dir.resolve("x.png").toString());
    assertThat(missing.exitCode()).isNotZero();
    assertThat(missing.err()).contains("--card").contains("no record 0099");
    CliRun side = CliRun.of("surface", "preview", "--card-type", "debit-example", "--input",
        dir.resolve("perso-data.jsonl").toString(), "--card", "0001", "--side", "top", "--out",
        dir.resolve("x.png").toString());
    assertThat(side.err()).contains("--side").contains("front or back");
  }

  @Test
  void faultsOnCueRejectTheirCardsRemakeTheRecordsAndTheCountsAddUp(@TempDir Path dir) throws Exception {
    CliRun r = CliRun.of("demo", "--cards", "12", "--inject-fault", "2", "--out", dir.toString(), "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.get("personalized").asInt()).isEqualTo(12);
    assertThat(json.get("rejected").asInt()).isZero();
    // the injected 6A84 and the magnetic module's read-back error on its 5th card: two cards to the bin
    assertThat(json.get("rejectedCards").asInt()).isEqualTo(2);
    assertThat(json.get("remade").asInt()).isEqualTo(2);
    List<JsonNode> rejected = new java.util.ArrayList<>();
    json.get("cards").forEach(c -> {
      if (c.get("status").asText().equals("REJECTED")) {
        rejected.add(c);
      }
    });
    assertThat(rejected).extracting(c -> c.get("reason").asText())
        .anyMatch(s -> s.contains("STORE DATA block 1") && s.contains("6A84")
            && s.contains("after 1 accepted STORE DATA command"))
        .anyMatch(s -> s.contains("READ_BACK_MISMATCH"));
    assertThat(json.get("cards")).hasSize(14);
    assertThat(json.get("reconciliation").get("addsUp").asBoolean()).isTrue();
    assertThat(json.get("reconciliation").get("total").get("fed").asInt()).isEqualTo(14);
  }

  @Test
  @org.junit.jupiter.api.Tag("socat")
  void theMagneticModuleCanBeAnMsr605EmulatorThroughAPty(@TempDir Path dir) throws Exception {
    dev.perso.core.testing.RealComponent.require("socat", Files.isExecutable(Path.of("/usr/bin/socat")),
        "apt-get install socat");
    CliRun r = CliRun.of("demo", "--cards", "8", "--msr", "--out", dir.toString(), "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.get("personalized").asInt()).isEqualTo(8);
    // the emulator's 5th ISO read is corrupted on cue: the line rejects that card on the read-back and remakes it
    List<String> reasons = new java.util.ArrayList<>();
    json.get("cards").forEach(c -> reasons.add(c.get("status").asText() + " " + c.get("reason").asText()));
    assertThat(reasons).contains("REJECTED mx-1-mag: READ_BACK_MISMATCH (track 1)");
  }

  @Test
  void demoOutputNeverShowsPansPinsOrTrackData(@TempDir Path dir) {
    CliRun r = CliRun.of("demo", "--cards", "2", "--trace", "--out", dir.toString());
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains(">> 84 E2").contains("[secret]")
        .doesNotContainPattern("4761739\\d{9}")          // full PANs
        .doesNotContain("=2912201");                     // track 2 content
  }

  @Test
  void everyFileTheDemoWritesIsOwnerOnly(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("new-out");
    CliRun r = CliRun.of("demo", "--cards", "1", "--no-faults", "--out", out.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(mode(out)).isEqualTo("rwx------");
    try (var files = Files.list(out)) {
      List<Path> all = files.toList();
      assertThat(all).extracting(p -> p.getFileName().toString()).contains("perso-data.jsonl", "job.db", "report.json");
      for (Path f : all) {
        assertThat(mode(f)).as(f.toString()).isEqualTo(Files.isDirectory(f) ? "rwx------" : "rw-------");
      }
    }
    try (var previews = Files.list(out.resolve("previews"))) {
      assertThat(previews.toList()).hasSize(2).allSatisfy(f -> assertThat(mode(f)).isEqualTo("rw-------"));
    }
  }

  @Test
  void aSymbolicLinkPlantedInTheOutputDirectoryIsNeverFollowed(@TempDir Path dir) throws Exception {
    Path out = Files.createDirectory(dir.resolve("out"));
    Path victim = Files.writeString(dir.resolve("victim"), "precious");
    Files.createSymbolicLink(out.resolve("perso-data.jsonl"), victim);
    CliRun r = CliRun.of("demo", "--cards", "1", "--no-faults", "--out", out.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err().strip()).startsWith("perso: --out: ").contains("symbolic link").doesNotContain("\n");
    assertThat(victim).hasContent("precious");
  }

  @Test
  void withoutOutTheTemporaryCardDataIsRemovedAndTheUserIsTold() throws Exception {
    CliRun r = CliRun.of("demo", "--cards", "1", "--no-faults", "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(r.out());
    String removed = json.get("removedDirectory").asText();
    assertThat(removed).contains("perso-demo-");
    assertThat(Path.of(removed)).doesNotExist();
    assertThat(json.get("persoData").isNull()).isTrue();
    CliRun text = CliRun.of("demo", "--cards", "1", "--no-faults");
    assertThat(text.out()).contains("were removed; give --out DIR to keep");
  }

  @Test
  void badOutAndFaultCardAreExitTwoWithOneLine(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    CliRun out = CliRun.of("demo", "--cards", "1", "--out", file.toString());
    assertThat(out.exitCode()).isEqualTo(2);
    assertThat(out.err().strip()).isEqualTo("perso: --out: " + file + " is a file, not a directory");
    for (String bad : new String[] {"3", "-1"}) {
      CliRun fault = CliRun.of("demo", "--cards", "2", "--inject-fault", bad, "--out", dir.resolve("o").toString());
      assertThat(fault.exitCode()).isEqualTo(2);
      assertThat(fault.err().strip()).startsWith("perso: --inject-fault: must be a record number 1..2").doesNotContain("\n");
    }
  }

  static String mode(Path p) throws Exception {
    return java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(p, java.nio.file.LinkOption.NOFOLLOW_LINKS));
  }
}
