package dev.perso.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perso.core.Bytes;
import dev.perso.gp.Cplc;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code perso run --stage} and {@code --previous-journal}: a job in two stages, two {@code perso run}s on
 * two lines, each stage with its own journal, and {@code perso job report} over both.
 */
class StagesCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path data;
  static Path batch;
  /** The shipped two-stage card type with the finish stage identifying cards by feed order instead. */
  static Path byFeedOrder;

  @BeforeAll
  static void prepare() throws Exception {
    batch = TestBatch.write(data.resolve("batch.jsonl"), 6);
    String shipped;
    try (InputStream in = StagesCliTest.class.getResourceAsStream("/dev/perso/samples/cardtypes/debit-two-stages.json")) {
      shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String feedOrder = shipped
        .replace("{\"type\": \"identify\", \"output\": \"chip-serial\", \"by\": \"chip-cplc-serial\"}",
            "{\"type\": \"identify\", \"by\": \"feed-order\", \"at\": \"magstripe-encoder\"}")
        .replace("\"identify-chip-serial\"", "\"identify-feed-order\"")
        .replace("\"name\": \"debit-two-stages\"", "\"name\": \"debit-feed-order\"");
    assertThat(feedOrder).contains("feed-order").doesNotContain("identify-chip-serial");
    byFeedOrder = Files.writeString(data.resolve("debit-feed-order.json"), feedOrder);
  }

  private static CliRun run(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "run";
    System.arraycopy(args, 0, all, 1, args.length);
    all[all.length - 1] = "--virtual-clock";
    return CliRun.of(all);
  }

  private static JsonNode ok(CliRun r) throws Exception {
    assertThat(r.exitCode()).as(r.err()).isZero();
    return JSON.readTree(r.out());
  }

  @Test
  void twoStagesByFeedOrderEachWithItsJournalAndOneReportOverBoth(@TempDir Path dir) throws Exception {
    Path chip = dir.resolve("job-42.chip.db");
    JsonNode c = ok(run("--line", "virtual-conveyor", "--card-type", byFeedOrder.toString(), "--stage", "chip",
        "--input", batch.toString(), "--journal", chip.toString(), "--json"));
    assertThat(c.get("stage").asText()).isEqualTo("chip");
    assertThat(c.get("job").asText()).isEqualTo("job-42");   // job-42.chip.db keeps stage chip of job job-42
    assertThat(c.get("issued").asInt()).isEqualTo(6);

    // the count check runs before any device opens or the finish journal is made
    Path finish = dir.resolve("finish.db");
    CliRun wrongCount = run("--line", "virtual-desktop", "--card-type", byFeedOrder.toString(), "--stage", "finish",
        "--input", batch.toString(), "--journal", finish.toString(), "--previous-journal", chip.toString(),
        "--cards-loaded", "5");
    assertThat(wrongCount.exitCode()).isEqualTo(2);
    assertThat(wrongCount.err()).contains("--cards-loaded").contains("holds 5 cards but the earlier stage issued 6");
    assertThat(finish).doesNotExist();

    JsonNode f = ok(run("--line", "virtual-desktop", "--card-type", byFeedOrder.toString(), "--stage", "finish",
        "--input", batch.toString(), "--journal", finish.toString(), "--previous-journal", chip.toString(),
        "--cards-loaded", "6", "--json"));
    assertThat(f.get("stage").asText()).isEqualTo("finish");
    assertThat(f.get("job").asText()).isEqualTo("job-42");     // the earlier stage's job, whatever the file name
    assertThat(f.get("issued").asInt()).isEqualTo(6);
    assertThat(f.get("reconciliation").get("addsUp").asBoolean()).isTrue();

    CliRun text = CliRun.of("job", "report", "--journal", chip.toString(), "--journal", finish.toString(),
        "--records");
    assertThat(text.exitCode()).as(text.err()).isZero();
    assertThat(text.out()).contains("stage chip (" + chip + ")").contains("stage finish (" + finish + ")")
        .contains("mx-1/chip-").contains("desk-1/position").containsPattern("0006 +DONE +desk-1 +desk-1/position")
        .doesNotContain("DOES NOT ADD UP");
    JsonNode both = JSON.readTree(CliRun.of("job", "report", "--journal", chip.toString(), "--journal",
        finish.toString(), "--records", "--json").out());
    assertThat(both.get("addsUp").asBoolean()).isTrue();
    assertThat(both.get("stages")).hasSize(2);
    assertThat(both.get("stages").get(0).get("stage").asText()).isEqualTo("chip");
    assertThat(both.get("stages").get(1).get("stage").asText()).isEqualTo("finish");
    assertThat(both.get("stages").get(1).get("records").get("DONE").asInt()).isEqualTo(6);
    JsonNode first = both.get("stages").get(1).get("recordList").get(0);
    assertThat(first.get("record").asText()).isEqualTo("0001");
    assertThat(first.get("state").asText()).isEqualTo("DONE");
    assertThat(first.get("machine").asText()).isEqualTo("desk-1");
    assertThat(first.get("issued").asText()).startsWith("20");
    // one journal alone keeps the report's single-journal shape, with its stage named
    JsonNode one = JSON.readTree(CliRun.of("job", "report", "--journal", chip.toString(), "--json").out());
    assertThat(one.get("stage").asText()).isEqualTo("chip");
    assertThat(one.get("total").get("issued").asInt()).isEqualTo(6);
    assertThat(one.has("recordList")).isFalse();
    assertThat(CliRun.of("job", "status", "--journal", finish.toString()).out()).contains("job job-42 stage finish");
  }

  @Test
  void aShuffledHopperWithMissingCardsGetsEachPresentCardItsOwnRecordsStripeAndSurface(@TempDir Path dir)
      throws Exception {
    Path chip = dir.resolve("job-9.chip.db");
    Path chipOut = dir.resolve("chip-out.jsonl");
    ok(run("--line", "virtual-conveyor", "--card-type", "debit-two-stages", "--stage", "chip", "--input",
        batch.toString(), "--journal", chip.toString(), "--virtual-output-hopper", chipOut.toString(), "--json"));
    List<String> cards = Files.readAllLines(chipOut);
    assertThat(cards).hasSize(6);
    // the chip stage's journal: which record each chip identity was issued for
    Map<String, String> recordOfChip = new HashMap<>();
    for (JsonNode r : JSON.readTree(CliRun.of("job", "report", "--journal", chip.toString(), "--records", "--json")
        .out()).get("recordList")) {
      recordOfChip.put(r.get("outputs").get("chip-serial").asText(), r.get("record").asText());
    }
    assertThat(recordOfChip).hasSize(6);

    // the operator carries the cards to the finish line: shuffled, two of them lost on the way
    List<String> hopper = new ArrayList<>(cards);
    Collections.shuffle(hopper, new Random(17));
    Set<String> lostRecords = new HashSet<>();
    for (int i = 0; i < 2; i++) {
      lostRecords.add(recordOfChip.get(identity(hopper.remove(0))));
    }
    Path hopperFile = Files.write(dir.resolve("hopper.jsonl"), hopper);
    Path finish = dir.resolve("job-9.finish.db");
    Path finishOut = dir.resolve("finish-out.jsonl");
    JsonNode f = ok(run("--line", "virtual-desktop", "--card-type", "debit-two-stages", "--stage", "finish",
        "--input", batch.toString(), "--journal", finish.toString(), "--previous-journal", chip.toString(),
        "--virtual-hopper", hopperFile.toString(), "--virtual-output-hopper", finishOut.toString(), "--json"));
    assertThat(f.get("issued").asInt()).isEqualTo(4);
    // the hopper held the 4 cards and nothing else: no blank stood in for a lost card
    assertThat(f.get("rejectedCards").asInt()).isZero();
    assertThat(f.get("reconciliation").get("addsUp").asBoolean()).isTrue();
    Set<String> issuedChips = new HashSet<>();
    for (String line : Files.readAllLines(finishOut)) {
      issuedChips.add(identity(line));
    }
    assertThat(issuedChips).hasSize(4);

    // each present card was issued as the record the chip stage made it for; the lost cards' records wait
    JsonNode report = JSON.readTree(CliRun.of("job", "report", "--journal", chip.toString(), "--journal",
        finish.toString(), "--records", "--json").out());
    assertThat(report.get("addsUp").asBoolean()).isTrue();
    Set<String> done = new HashSet<>();
    for (JsonNode r : report.get("stages").get(1).get("recordList")) {
      String id = r.get("record").asText();
      if (lostRecords.contains(id)) {
        assertThat(r.get("state").asText()).isNotEqualTo("DONE");
      } else {
        assertThat(r.get("state").asText()).isEqualTo("DONE");
        String chipId = r.get("outputs").get("chip-serial").asText();
        assertThat(recordOfChip.get(chipId)).isEqualTo(id);
        assertThat(issuedChips).contains(chipId);
        done.add(id);
      }
    }
    assertThat(done).hasSize(4);
  }

  private static String identity(String hopperLine) throws Exception {
    return Cplc.parse(Bytes.fromHex(JSON.readTree(hopperLine).get("cplc").asText())).icSerialId();
  }

  @Test
  void theChipStageRemembersEachChipsCplcAndAFinishStageOfChiplessBlanksWritesNothing(@TempDir Path dir)
      throws Exception {
    Path chip = dir.resolve("job-7.chip.db");
    ok(run("--line", "virtual-conveyor", "--card-type", "debit-two-stages", "--stage", "chip", "--input",
        batch.toString(), "--journal", chip.toString(), "--json"));
    JsonNode records = JSON.readTree(CliRun.of("job", "report", "--journal", chip.toString(), "--records", "--json")
        .out()).get("recordList");
    assertThat(records).hasSize(6);
    for (int i = 0; i < 6; i++) {
      // the virtual blanks' CPLC: IC fabricator 4790, type D600, batch 8448, serial = the card's serial
      assertThat(records.get(i).get("outputs").get("chip-serial").asText()).isEqualTo("4790D6008448" + "0000000"
          + (i + 1));
    }
    // the virtual desktop's own blanks carry no chip (this process does not have the chip stage's cards):
    // none can be identified, none is written, and both stages reconcile
    Path finish = dir.resolve("job-7.finish.db");
    JsonNode f = ok(run("--line", "virtual-desktop", "--card-type", "debit-two-stages", "--stage", "finish",
        "--input", batch.toString(), "--journal", finish.toString(), "--previous-journal", chip.toString(),
        "--json"));
    assertThat(f.get("issued").asInt()).isZero();
    assertThat(f.get("reconciliation").get("addsUp").asBoolean()).isTrue();
    CliRun report = CliRun.of("job", "report", "--journal", chip.toString(), "--journal", finish.toString());
    assertThat(report.exitCode()).as(report.err()).isZero();
  }

  @Test
  void badStageOptionsAreOneClearLineBeforeAnyJournalIsMade(@TempDir Path dir) throws Exception {
    Path chip = dir.resolve("c.chip.db");
    ok(run("--line", "virtual-conveyor", "--card-type", "debit-two-stages", "--stage", "chip", "--input",
        batch.toString(), "--journal", chip.toString(), "--json"));
    Path plain = dir.resolve("plain.db");
    ok(run("--line", "virtual-conveyor", "--card-type", "debit-example", "--input", batch.toString(), "--journal",
        plain.toString(), "--json"));
    Path feedChip = dir.resolve("f.chip.db");
    ok(run("--line", "virtual-conveyor", "--card-type", byFeedOrder.toString(), "--stage", "chip", "--input",
        batch.toString(), "--journal", feedChip.toString(), "--json"));
    Path j = dir.resolve("j.db");
    String[][] cases = {
        {"--card-type", "debit-two-stages"},
        {"--card-type", "debit-two-stages", "--stage", "emboss"},
        {"--card-type", "debit-example", "--stage", "chip"},
        {"--card-type", "debit-two-stages", "--stage", "finish"},
        {"--card-type", "debit-two-stages", "--stage", "chip", "--previous-journal", chip.toString()},
        {"--card-type", "debit-two-stages", "--stage", "finish", "--previous-journal", plain.toString()},
        {"--card-type", "debit-two-stages", "--stage", "finish", "--previous-journal", dir.resolve("no.db").toString()},
        {"--card-type", "debit-two-stages", "--stage", "finish", "--previous-journal", chip.toString(), "--job", "x"},
        {"--card-type", "debit-two-stages", "--stage", "finish", "--previous-journal", chip.toString(),
            "--cards-loaded", "6"},
        {"--card-type", byFeedOrder.toString(), "--stage", "finish", "--previous-journal", chip.toString(),
            "--cards-loaded", "6"},
        {"--card-type", byFeedOrder.toString(), "--stage", "finish", "--previous-journal", feedChip.toString()},
    };
    String[] expected = {
        "--stage: card type debit-two-stages declares stages [chip, finish]: name the one to run",
        "--stage: card type debit-two-stages has no stage 'emboss' (its stages: [chip, finish])",
        "--stage: card type debit-example declares no stages",
        "--previous-journal: stage finish of card type debit-two-stages identifies its cards by the records stage"
            + " chip issued",
        "--previous-journal: stage chip of card type debit-two-stages has no earlier stage",
        "--previous-journal: the journal keeps job plain of card type debit-example, not stage chip of card type"
            + " debit-two-stages",
        "--previous-journal: no journal at",
        "--job: the earlier stage's journal keeps job c, not x",
        "--cards-loaded: stage finish of card type debit-two-stages does not identify its cards by feed order",
        "--previous-journal: the journal keeps job c stage chip of card type debit-two-stages, not stage chip of"
            + " card type debit-feed-order",
        "--cards-loaded: identification by feed order needs the count of cards loaded in the hopper",
    };
    for (int i = 0; i < cases.length; i++) {
      String[] args = new String[cases[i].length + 8];
      System.arraycopy(new String[] {"--line", "virtual-desktop", "--input", batch.toString(), "--journal",
          j.toString()}, 0, args, 0, 6);
      System.arraycopy(cases[i], 0, args, 6, cases[i].length);
      args[args.length - 2] = "--virtual-clock";
      args[args.length - 1] = "--json";
      CliRun r = CliRun.of(prepend("run", args));
      assertThat(r.exitCode()).as(String.join(" ", cases[i]) + "\n" + r.err()).isEqualTo(2);
      assertThat(r.err().strip()).startsWith("perso: ").contains(expected[i]).doesNotContain("\n");
    }
    assertThat(j).doesNotExist();
  }

  private static String[] prepend(String first, String[] rest) {
    String[] all = new String[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }
}
