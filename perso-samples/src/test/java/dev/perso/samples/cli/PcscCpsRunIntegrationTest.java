package dev.perso.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perso.devices.pcsc.VpcdBridge;
import dev.perso.devices.testing.Pcscd;
import dev.perso.emv.card.VirtualEmvCard;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code perso cps run} against real pcscd + vpcd: a feeder thread plays the operator, inserting each virtual
 * card through vpcd when the CLI asks for it and removing it when the CLI says so (its stderr prompts).
 */
@Tag("pcscd")
@ExtendWith(Pcscd.class)
@Timeout(90)
class PcscCpsRunIntegrationTest {
  private static final ExecutorService CLI = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "perso cps run");
    t.setDaemon(true);
    return t;
  });

  @AfterAll
  static void stop() {
    CLI.shutdownNow();
  }

  /** Runs the CLI on another thread; stdout and stderr are readable while it runs (StringWriter is synchronized). */
  private record Running(Future<Integer> exit, StringWriter out, StringWriter err) {
    static Running of(String... args) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      picocli.CommandLine cl = PersoCli.newCommandLine();
      cl.setOut(new PrintWriter(out, true));
      cl.setErr(new PrintWriter(err, true));
      return new Running(CLI.submit(() -> cl.execute(args)), out, err);
    }

    /**
     * Inserts each card when asked and removes it once the CLI asks for its removal. The feeder never waits on
     * PC/SC itself: the CLI is blocked in a PC/SC wait on the JVM-wide context meanwhile, and a second thread
     * waiting on that context made the CLI miss the insertion (seen once: it timed out with the card present).
     */
    void feed(List<String> ids, List<VirtualEmvCard> cards) throws Exception {
      for (int i = 0; i < cards.size(); i++) {
        await("insert card " + ids.get(i));
        VpcdBridge slot = VpcdBridge.insert(cards.get(i), "127.0.0.1", Pcscd.PORT_A, BridgedCards.WAIT);
        try {
          await("remove card " + ids.get(i));
        } finally {
          slot.close();
        }
      }
    }

    void await(String prompt) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!err.toString().contains(prompt)) {
        assertThat(exit.isDone()).as("CLI ended before '%s': %s %s", prompt, out, err).isFalse();
        assertThat(System.nanoTime()).as("waiting for '%s': %s", prompt, err).isLessThan(deadline);
        Thread.sleep(20);
      }
    }

    int exitCode() throws Exception {
      return exit.get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void personalizesCardAfterCardRejectingTheFaultyOneAndTheMalformedRecord(@TempDir Path dir) throws Exception {
    Path file = BridgedCards.file(dir, BridgedCards.VSDC, 3);
    Files.writeString(file, "{\"cardId\": \"0004\", \"applications\": 7}\n", StandardOpenOption.APPEND);
    Running run = Running.of("cps", "run", "--input", file.toString(), "--reader", Pcscd.READER_A,
        "--kmc", BridgedCards.KMC_HEX, "--transport-kek", BridgedCards.KEK_HEX, "--wait", "20");
    VirtualEmvCard first = BridgedCards.card(BridgedCards.VSDC, 1);
    VirtualEmvCard faulty = BridgedCards.card(BridgedCards.VSDC, 2, VirtualEmvCard.Fault.wrongStatus(1, 0x6A84));
    VirtualEmvCard third = BridgedCards.card(BridgedCards.VSDC, 3);
    run.feed(List.of("0001", "0002", "0003"), List.of(first, faulty, third));

    assertThat(run.exitCode()).as(run.err().toString()).isEqualTo(1);
    String out = run.out().toString();
    assertThat(out).containsPattern("card 0001 +OK +\\d+ STORE DATA")
        .containsPattern("card 0002 +REJECTED .*STORE DATA block 1.*6A84")
        .containsPattern("card 0003 +OK")
        .containsPattern("card 0004 +REJECTED +\\(no card used\\)")
        .contains("4 card(s): 2 personalized, 2 rejected in ");
    assertThat(out + run.err()).doesNotContain(BridgedCards.KMC_HEX).doesNotContain(BridgedCards.KEK_HEX);
    assertThat(first.state(BridgedCards.aid(BridgedCards.VSDC))).isEqualTo(VirtualEmvCard.LifeCycle.PERSONALIZED);
    assertThat(faulty.state(BridgedCards.aid(BridgedCards.VSDC))).isNotEqualTo(VirtualEmvCard.LifeCycle.PERSONALIZED);
    assertThat(third.state(BridgedCards.aid(BridgedCards.VSDC))).isEqualTo(VirtualEmvCard.LifeCycle.PERSONALIZED);
  }

  @Test
  void scp03ProfileWithAnAesKmcAsJson(@TempDir Path dir) throws Exception {
    Path file = BridgedCards.file(dir, BridgedCards.MCHIP, 1);
    Running run = Running.of("cps", "run", "--json", "--input", file.toString(), "--reader", Pcscd.READER_A,
        "--kmc", BridgedCards.KMC_HEX, "--transport-kek", BridgedCards.KEK_HEX, "--wait", "20");
    VirtualEmvCard card = BridgedCards.card(BridgedCards.MCHIP, 1);
    run.feed(List.of("0001"), List.of(card));
    assertThat(run.exitCode()).as(run.err().toString()).isZero();
    JsonNode json = new ObjectMapper().readTree(run.out().toString());
    assertThat(json.get("personalized").asInt()).isEqualTo(1);
    assertThat(json.get("cards").get(0).get("status").asText()).isEqualTo("OK");
    assertThat(card.state(BridgedCards.aid(BridgedCards.MCHIP))).isEqualTo(VirtualEmvCard.LifeCycle.PERSONALIZED);
  }

  /**
   * Issue 12: the two-application card from the command line. The ISD's KMC is the GP test key (TDES); the
   * credit application's Supplementary Security Domain has its own AES-128 KMC (FIPS-197 C.1's key bytes),
   * given with --application-kmc; the credit application has its own issuer keys (the GP test key bytes).
   */
  @Test
  void aTwoApplicationCardTakesItsSecurityDomainsKmcPerApplication(@TempDir Path dir) throws Exception {
    dev.perso.emv.cps.CardProfile twoApps = dev.perso.emv.cps.CardProfile.example("two-app-example");
    dev.perso.core.Bytes debit = dev.perso.core.Bytes.fromHex("A0000000031010");
    dev.perso.core.Bytes credit = dev.perso.core.Bytes.fromHex("A0000000041010");
    String ssdKmc = "000102030405060708090A0B0C0D0E0F";
    dev.perso.crypto.ClearKeyRef imk = (dev.perso.crypto.ClearKeyRef) BridgedCards.IMK;
    dev.perso.crypto.ClearKeyRef creditImk = dev.perso.crypto.ClearKeyRef.fromHex(dev.perso.crypto.KeyAlgorithm.TDES_2KEY,
        dev.perso.crypto.KeyUsage.IMK_AC, BridgedCards.KMC_HEX);
    java.util.function.Function<dev.perso.crypto.ClearKeyRef, dev.perso.emv.prep.IssuerKeys> keys = k ->
        new dev.perso.emv.prep.IssuerKeys(k, k.withUsage(dev.perso.crypto.KeyUsage.IMK_SMI),
            k.withUsage(dev.perso.crypto.KeyUsage.IMK_SMC), k.withUsage(dev.perso.crypto.KeyUsage.CVK),
            k.withUsage(dev.perso.crypto.KeyUsage.PVK), BridgedCards.KEK, "transport-kek");
    dev.perso.core.record.CardRecord data = dev.perso.emv.prep.CardDataPreparation.builder(BridgedCards.CRYPTO,
            keys.apply(imk)).profile(twoApps).label("DEBIT")
        .application(twoApps, credit, "CREDIT", keys.apply(creditImk)).build()
        .prepare(new dev.perso.emv.prep.Cardholder("0001", dev.perso.iso7813.StripeRecord.builder()
            .pan("4761739001010010").name(dev.perso.iso7813.Name.of("Lovelace", "Ada")).expiry("2912")
            .serviceCode("201").pvki(1).pin("1234").build(), "01"));
    Path file = Files.write(dir.resolve("two-apps.jsonl"),
        List.of(dev.perso.core.record.JsonLinesRecords.toJsonLine(data)));
    Running run = Running.of("cps", "run", "--json", "--input", file.toString(), "--reader", Pcscd.READER_A,
        "--kmc", BridgedCards.KMC_HEX, "--application-kmc", credit.toHex() + "=" + ssdKmc,
        "--transport-kek", BridgedCards.KEK_HEX, "--wait", "20");
    VirtualEmvCard card = VirtualEmvCard.builder(BridgedCards.CRYPTO, BridgedCards.KMC_TDES, twoApps)
        .applicationKmc(credit, dev.perso.crypto.ClearKeyRef.fromHex(dev.perso.crypto.KeyAlgorithm.AES_128,
            dev.perso.crypto.KeyUsage.KMC, ssdKmc))
        .kdd(dev.perso.core.Bytes.fromHex("00000000000000000011")).build();
    run.feed(List.of("0001"), List.of(card));

    assertThat(run.exitCode()).as(run.err().toString()).isZero();
    JsonNode json = new ObjectMapper().readTree(run.out().toString());
    assertThat(json.get("personalized").asInt()).isEqualTo(1);
    assertThat(card.state(debit)).isEqualTo(VirtualEmvCard.LifeCycle.PERSONALIZED);
    assertThat(card.state(credit)).isEqualTo(VirtualEmvCard.LifeCycle.PERSONALIZED);
    assertThat(run.out().toString() + run.err()).doesNotContain(ssdKmc);
    // both applications verify with their own issuer keys (read-back and ARQC)
    assertThat(dev.perso.emv.cps.CardVerifier.builder(BridgedCards.CRYPTO, BridgedCards.IMK).imkAc(credit, creditImk)
        .build().verify(dev.perso.core.card.VirtualCard.connect(card), data))
        .anyMatch(c -> c.contains(credit.toHex()) && c.contains("ARQC verified"));
  }

  @Test
  void noCardInsertedInTimeStopsTheBatchWithItsReason(@TempDir Path dir) throws Exception {
    Path file = BridgedCards.file(dir, BridgedCards.VSDC, 1);
    Running run = Running.of("cps", "run", "--input", file.toString(), "--reader", Pcscd.READER_B,
        "--kmc", BridgedCards.KMC_HEX, "--transport-kek", BridgedCards.KEK_HEX, "--wait", "1");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out().toString()).contains("0 card(s): 0 personalized, 0 rejected")
        .contains("STOPPED: no card inserted into Perso Virtual Reader").contains("within 1 s (card 0001)");
  }

  @Test
  void aMissingTransportKekRejectsTheRecordWithoutUsingACard(@TempDir Path dir) throws Exception {
    Path file = BridgedCards.file(dir, BridgedCards.VSDC, 1);
    CliRun r = CliRun.of("cps", "run", "--input", file.toString(), "--reader", Pcscd.READER_B,
        "--kmc", BridgedCards.KMC_HEX, "--wait", "1");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).containsPattern("card 0001 +REJECTED +\\(no card used\\).*--transport-kek")
        .contains("1 card(s): 0 personalized, 1 rejected");
    assertThat(r.err()).doesNotContain("insert card");
  }
}
