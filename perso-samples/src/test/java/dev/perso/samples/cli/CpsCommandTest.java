package dev.perso.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpsCommandTest {

  // Record DGI 0101 = 70 { 57 track 2 equivalent of the Visa test PAN 4761739001010010 (pyemv tests),
  // 5F20 "CARDMEMBER/TEST" }; DGI 9000 / 8000 values from public VSDC/PBOC perso scripts (gp-emv-cps notes §3.7).
  private static final String CARD = "{\"cardId\":\"0001\",\"applications\":[{\"aid\":\"A0000000031010\","
      + "\"profile\":\"vsdc-example\",\"dgis\":["
      + "{\"dgi\":\"0101\",\"data\":\"70275713476173900101001 0D25122011234567890000F5F200F434152444D454D4245522F54455354\"},"
      + "{\"dgi\":\"9000\",\"data\":\"97DCB0CE4E2CB37DF3\"},"
      + "{\"dgi\":\"8000\",\"data\":\"112233440066778811223344550077888B4F854F0831FBF2635A212E4DDDB92A11220044556677881122330055667788\",\"kek\":\"transport-kek\"}]}]}";

  @Test
  void inspectListsDgisWithSensitiveOnesAsLengths(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("batch.jsonl");
    Files.writeString(file, CARD.replace(" ", "") + "\n{\"cardId\":\"0002\"}\n");
    CliRun r = CliRun.of("cps", "inspect", file.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("card 0001").contains("application A0000000031010  profile vsdc-example")
        .contains("DGI 9000  9 bytes  97DCB0CE4E2CB37DF3")
        .contains("DGI 8000  48 bytes  encrypted under transport-kek")
        .contains("Track 2 Equivalent Data [19 bytes, masked]")
        .contains("card 0002  REJECTED").contains("1 card(s), 1 rejected")
        .doesNotContain("4761739001010010").doesNotContain("11223344006677");
  }

  @Test
  void inspectJsonHasLengthsOnlyForSensitiveDgis(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("batch.jsonl");
    Files.writeString(file, CARD.replace(" ", "") + "\n");
    CliRun r = CliRun.of("cps", "inspect", "--json", file.toString());
    JsonNode dgis = new ObjectMapper().readTree(r.out()).get("cards").get(0).get("applications").get(0).get("dgis");
    assertThat(dgis.get(0).has("value")).as("record with a PAN").isFalse();
    assertThat(dgis.get(1).get("value").asText()).isEqualTo("97DCB0CE4E2CB37DF3");
    assertThat(dgis.get(2).get("length").asInt()).isEqualTo(48);
    assertThat(dgis.get(2).has("value")).isFalse();
    assertThat(r.out()).doesNotContain("4761739001010010");
  }

  @Test
  void missingFileIsOneLineExitTwo() {
    CliRun r = CliRun.of("cps", "inspect", "/nonexistent/batch.jsonl");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err().strip()).doesNotContain("\n").contains("cannot open records");
  }

  @Test
  void aRecordDgiThatIsNotTlvIsMaskedToo(@TempDir Path dir) throws Exception {
    // DGI 0101 holding a bare track 2 and PAN (no template, not TLV): nothing of it may show.
    String card = "{\"cardId\":\"0003\",\"applications\":[{\"aid\":\"A0000000031010\",\"profile\":\"vsdc-example\","
        + "\"dgis\":[{\"dgi\":\"0101\",\"data\":\"4761739001010010D25122011234567890000F\"},"
        + "{\"dgi\":\"9102\",\"data\":\"FFFF\"}]}]}";
    Path file = Files.writeString(dir.resolve("batch.jsonl"), card + "\n");
    CliRun text = CliRun.of("cps", "inspect", file.toString());
    assertThat(text.exitCode()).as(text.err()).isZero();
    assertThat(text.out()).contains("DGI 0101  19 bytes  not TLV, masked (record DGI)").contains("DGI 9102  2 bytes  FFFF")
        .doesNotContain("4761739001010010").doesNotContain("D2512");
    CliRun json = CliRun.of("cps", "inspect", "--json", file.toString());
    JsonNode dgis = new ObjectMapper().readTree(json.out()).get("cards").get(0).get("applications").get(0).get("dgis");
    assertThat(dgis.get(0).get("masked").asBoolean()).isTrue();
    assertThat(dgis.get(0).has("value")).isFalse();
    assertThat(json.out()).doesNotContain("4761739001010010");
  }

  @Test
  void aLineOverMaxLineBytesRejectsItsCardNamingTheOption(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("batch.jsonl"), CARD.replace(" ", "") + "\n"
        + "{\"cardId\":\"0002\",\"pad\":\"" + "x".repeat(600) + "\"}\n");
    CliRun r = CliRun.of("cps", "inspect", "--max-line-bytes", "500", file.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("REJECTED").contains("line longer than the maximum line length of 500 bytes (--max-line-bytes)")
        .contains("1 card(s), 1 rejected");
    CliRun zero = CliRun.of("cps", "inspect", "--max-line-bytes", "0", file.toString());
    assertThat(zero.exitCode()).isEqualTo(2);
    assertThat(zero.err().strip()).startsWith("perso: --max-line-bytes: must be 1..");
  }

  @Test
  void inspectPrintsEachCardAsItGoesInTextAndJson(@TempDir Path dir) throws Exception {
    StringBuilder batch = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      batch.append(CARD.replace(" ", "").replace("0001", String.format("%04d", i))).append('\n');
    }
    Path file = Files.writeString(dir.resolve("batch.jsonl"), batch);
    for (boolean json : new boolean[] {false, true}) {
      FlushCounter counter = new FlushCounter();
      picocli.CommandLine cl = PersoCli.newCommandLine();
      cl.setOut(new java.io.PrintWriter(counter));
      int code = json ? cl.execute("cps", "inspect", "--json", file.toString()) : cl.execute("cps", "inspect", file.toString());
      assertThat(code).isZero();
      // Held in memory and printed at the end, the output would be written in one go.
      assertThat(counter.flushesWithOutput).as("json " + json).isGreaterThanOrEqualTo(50);
      if (json) {
        assertThat(new ObjectMapper().readTree(counter.text.toString()).get("cards")).hasSize(50);
      }
    }
  }

  /** A writer that counts the flushes that carried new output. */
  private static final class FlushCounter extends java.io.Writer {
    final StringBuilder text = new StringBuilder();
    int flushed;
    int flushesWithOutput;

    @Override
    public void write(char[] c, int off, int len) {
      text.append(c, off, len);
    }

    @Override
    public void flush() {
      if (text.length() > flushed) {
        flushesWithOutput++;
        flushed = text.length();
      }
    }

    @Override
    public void close() {}
  }
}
