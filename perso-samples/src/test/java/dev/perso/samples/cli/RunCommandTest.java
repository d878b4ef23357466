package dev.perso.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code perso run} and {@code perso job status|report}: the command and option names are the contract. */
class RunCommandTest {
  @TempDir
  static Path data;
  static Path batch;

  @BeforeAll
  static void prepareABatch() throws Exception {
    batch = TestBatch.write(data.resolve("batch.jsonl"), 6);
  }

  @Test
  void runsABatchOnAShippedLineAndResumesWithNothingIssuedTwice(@TempDir Path dir) throws Exception {
    Path journal = dir.resolve("job.db");
    CliRun first = CliRun.of("run", "--line", "virtual-conveyor", "--card-type", "debit-example", "--input",
        batch.toString(), "--journal", journal.toString(), "--virtual-clock", "--json");
    assertThat(first.exitCode()).as(first.err()).isZero();
    JsonNode r1 = new ObjectMapper().readTree(first.out());
    assertThat(r1.get("issued").asInt()).isEqualTo(6);
    assertThat(r1.get("reconciliation").get("addsUp").asBoolean()).isTrue();
    assertThat(r1.get("machines").get("mx-1").get("issued").asInt()).isEqualTo(6);

    CliRun again = CliRun.of("run", "--line", "virtual-desktop", "--card-type", "debit-example", "--input",
        batch.toString(), "--journal", journal.toString(), "--virtual-clock", "--json");
    assertThat(again.exitCode()).as(again.err()).isZero();
    JsonNode r2 = new ObjectMapper().readTree(again.out());
    assertThat(r2.get("resumed").asBoolean()).isTrue();
    assertThat(r2.get("alreadyFinished").asInt()).isEqualTo(6);
    assertThat(r2.get("issued").asInt()).isZero();

    CliRun status = CliRun.of("job", "status", "--journal", journal.toString());
    assertThat(status.exitCode()).as(status.err()).isZero();
    assertThat(status.out()).contains("job job (card type debit-example)").contains("DONE 6")
        .contains("ISSUED 6");
    CliRun report = CliRun.of("job", "report", "--journal", journal.toString(), "--json");
    assertThat(report.exitCode()).as(report.err()).isZero();
    JsonNode rep = new ObjectMapper().readTree(report.out());
    assertThat(rep.get("total").get("fed").asInt()).isEqualTo(6);
    // The station each card ended at: the conveyor's last module (indent, after print and emboss).
    assertThat(rep.get("stations").fieldNames()).toIterable().containsExactly("mx-1/indent-1");
    assertThat(rep.get("addsUp").asBoolean()).isTrue();
  }

  @Test
  void textOutputShowsProgressAndTheReconciliation(@TempDir Path dir) {
    CliRun r = CliRun.of("run", "--line", "virtual-desktop", "--card-type", "debit-example", "--input",
        batch.toString(), "--journal", dir.resolve("j.db").toString(), "--virtual-clock");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("6/6").contains("cards/h").contains("desk-1 6")
        .contains("6 issued").contains("reconciliation: adds up");
  }

  @Test
  void badRecordsAreRejectedWithTheirLineAndTheRestGoOn(@TempDir Path dir) throws Exception {
    List<String> lines = Files.readAllLines(batch);
    Path mixed = dir.resolve("mixed.jsonl");
    Files.write(mixed, List.of(lines.get(0), "{\"cardId\":\"x\",\"loyalty\":{}}", "not json", lines.get(1)),
        StandardCharsets.UTF_8);
    CliRun r = CliRun.of("run", "--line", "virtual-conveyor", "--card-type", "debit-example", "--input",
        mixed.toString(), "--journal", dir.resolve("j.db").toString(), "--virtual-clock", "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.get("issued").asInt()).isEqualTo(2);
    assertThat(json.get("recordsRejected").asInt()).isEqualTo(2);
    assertThat(json.get("reconciliation").get("rejectedOnRead").get("ValidationException").asInt()).isEqualTo(2);
  }

  @Test
  void everyBadFileIsOneClearLineAndExitCodeTwo(@TempDir Path dir) throws Exception {
    Path journal = dir.resolve("j.db");
    Path badLine = dir.resolve("line.json");
    Files.writeString(badLine, "{\"name\":\"l\",\"machines\":[{\"id\":\"m\",\"kind\":\"conveyor\","
        + "\"transport\":\"virtual:transport\",\"modules\":[{\"name\":\"chip\",\"stations\":2,\"device\":\"virtual:chip\"}]}]}");
    Path badType = dir.resolve("type.json");
    Files.writeString(badType, "{\"name\":\"t\",\"steps\":[{\"type\":\"emv-cps\",\"profile\":\"vsdc-example\","
        + "\"kmc\":\"demo-kmc\",\"keyVerison\":1}]}");
    String[][] cases = {
        {"--line", badLine.toString(), "--card-type", "debit-example", "--input", batch.toString()},
        {"--line", "virtual-conveyor", "--card-type", badType.toString(), "--input", batch.toString()},
        {"--line", "virtual-conveyor", "--card-type", "debit-example", "--input", dir.resolve("none.jsonl").toString()},
        {"--line", "no-such-line", "--card-type", "debit-example", "--input", batch.toString()},
    };
    String[] expected = {"line.json $.machines[0].modules[0].device", "type.json $.steps[0].keyVerison",
        "none.jsonl", "no file or shipped example named 'no-such-line'"};
    for (int i = 0; i < cases.length; i++) {
      String[] args = new String[cases[i].length + 3];
      args[0] = "run";
      System.arraycopy(cases[i], 0, args, 1, cases[i].length);
      args[args.length - 2] = "--journal";
      args[args.length - 1] = journal.toString();
      CliRun r = CliRun.of(args);
      assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
      assertThat(r.err().strip()).startsWith("perso: ").contains(expected[i]).doesNotContain("\n");
    }
    assertThat(journal).doesNotExist();
    CliRun noJournal = CliRun.of("job", "status", "--journal", dir.resolve("missing.db").toString());
    assertThat(noJournal.exitCode()).isEqualTo(2);
    assertThat(noJournal.err()).contains("no journal at");
  }
}
