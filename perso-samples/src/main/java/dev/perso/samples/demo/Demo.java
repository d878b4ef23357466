package dev.perso.samples.demo;

import dev.perso.core.Bytes;
import dev.perso.core.PersoException;
import dev.perso.core.card.VirtualCard;
import dev.perso.core.channel.ApduTrace;
import dev.perso.core.channel.CardChannel;
import dev.perso.core.event.PersoEvents;
import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.KcvMethod;
import dev.perso.crypto.KeyRef;
import dev.perso.crypto.SoftwareBackend;
import dev.perso.emv.card.VirtualEmvCard;
import dev.perso.core.record.CardRecord;
import dev.perso.core.record.JsonLinesRecords;
import dev.perso.core.record.RecordInput;
import dev.perso.core.record.RecordSource;
import dev.perso.emv.cps.CardProfile;
import dev.perso.emv.cps.CardVerifier;
import dev.perso.emv.cps.CpsPersonalizer;
import dev.perso.emv.cps.PersoResult;
import dev.perso.iso7813.DecodedTrack;
import dev.perso.iso7813.IssuerLayout;
import dev.perso.iso7813.Name;
import dev.perso.iso7813.RawCodec;
import dev.perso.iso7813.RawOptions;
import dev.perso.iso7813.StripeKeys;
import dev.perso.iso7813.StripeRecord;
import dev.perso.iso7813.Track;
import dev.perso.iso7813.TrackType;
import dev.perso.iso7813.step.MagStripeStep;
import dev.perso.samples.prep.CardDataPreparation;
import dev.perso.samples.prep.Cardholder;
import dev.perso.samples.prep.DemoKeys;
import dev.perso.samples.prep.IssuerKeys;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.Function;

/**
 * The end-to-end demo on the embedded default: no hardware, no set-up. It generates cardholder
 * records, prepares their data with software keys (JSON Lines, sensitive DGIs under a transport KEK),
 * reads the file back one card at a time, personalizes a virtual GP/EMV card per record under SCP02,
 * builds and checks each magnetic stripe, verifies every card (read-back plus ARQC with the issuer
 * key), prints a per-card table and writes a JSON report.
 *
 * <pre>{@code
 * Demo.Result r = Demo.builder().cards(10).out(Path.of("out")).injectFault(3).build().run(new PrintWriter(System.out));
 * }</pre>
 */
public final class Demo {
  private static final String[][] NAMES = {{"Lovelace", "Ada"}, {"Turing", "Alan"}, {"Hopper", "Grace"},
      {"Shannon", "Claude"}, {"Knuth", "Donald"}, {"Liskov", "Barbara"}, {"Ritchie", "Dennis"}, {"Hamilton", "Margaret"}};

  private final int cards;
  private final Path out;
  private final int faultCard;
  private final boolean trace;
  private final Function<VirtualCard, CardChannel> connector;
  private final String connectorName;

  private Demo(Builder b) {
    this.cards = b.cards;
    this.out = b.out;
    this.faultCard = b.faultCard;
    this.trace = b.trace;
    this.connector = b.connector;
    this.connectorName = b.connectorName;
  }

  /** @return a builder: 10 cards, a temporary output directory, no fault, in-process cards */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * One card's outcome.
   *
   * @param cardId the record id
   * @param pan the PAN, masked
   * @param status {@code OK} or {@code REJECTED}
   * @param storeDataCommands STORE DATA commands sent
   * @param checks verification checks passed
   * @param stripe the stripe check, e.g. {@code T1+T2 ok}
   * @param reason the rejection reason, empty when OK
   * @param millis wall time for the card
   */
  public record CardReport(String cardId, String pan, String status, int storeDataCommands, int checks, String stripe,
      String reason, long millis) {}

  /**
   * What the demo did.
   *
   * @param cards every card's outcome
   * @param personalized how many went through
   * @param rejected how many were rejected
   * @param totalMillis wall time of the batch (preparation included)
   * @param persoData the JSON Lines file written
   * @param report the JSON report written
   * @param transport how cards were reached
   */
  public record Result(List<CardReport> cards, int personalized, int rejected, long totalMillis, String persoData,
      String report, String transport) {
    /** @return the closing lines of the text output */
    public String summary() {
      return String.format("%nDone: %d personalized, %d rejected, %d cards in %d ms (%.1f cards/s) over %s.%n"
          + "Perso data: %s%nReport:     %s", personalized, rejected, cards.size(), totalMillis,
          cards.size() * 1000.0 / Math.max(1, totalMillis), transport, persoData, report);
    }
  }

  /**
   * Runs the demo.
   *
   * @param console where to narrate, or null to stay silent
   * @return what it did
   */
  public Result run(PrintWriter console) {
    PrintWriter say = console == null ? new PrintWriter(PrintWriter.nullWriter()) : console;
    long batchStart = System.nanoTime();
    try (CryptoBackend crypto = new SoftwareBackend()) {
      // Public test keys, never production keys (see DemoKeys).
      DemoKeys demo = DemoKeys.lookup();
      KeyRef kmc = demo.key(DemoKeys.KMC);
      KeyRef imk = demo.key(DemoKeys.IMK_AC);
      KeyRef kek = demo.key(DemoKeys.KEK);
      IssuerKeys issuer = demo.issuerKeys();
      CardProfile profile = CardProfile.example("vsdc-example");
      MagStripeStep stripeStep = MagStripeStep.of(IssuerLayout.EXAMPLE_PVV_CVV, StripeKeys.of(crypto, issuer.cvk(),
          issuer.pvk()));

      say.println("1. Keys (software backend, public test keys): KMC KCV " + crypto.kcv(kmc, KcvMethod.ENCRYPT_ZEROS).hex()
          + ", IMK-AC KCV " + crypto.kcv(imk, KcvMethod.ENCRYPT_ZEROS).hex() + ", transport KEK KCV "
          + crypto.kcv(kek, KcvMethod.ENCRYPT_ZEROS).hex());
      say.println("   Card profile: " + profile);

      Path dir = outputDirectory();
      Path persoData = dir.resolve("perso-data.jsonl");
      say.println("2. Data preparation: " + cards + " cardholder records -> " + persoData
          + " (ICC keys by EMV option A, CVV/iCVV/PVV, sensitive DGIs under the KEK)");
      CardDataPreparation prep = CardDataPreparation.builder(crypto, issuer).build();
      Random random = new Random(7813);
      try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(persoData, StandardCharsets.UTF_8))) {
        for (int i = 1; i <= cards; i++) {
          w.println(JsonLinesRecords.toJsonLine(prep.prepare(cardholder(i, random))));
        }
      }

      CpsPersonalizer personalizer = CpsPersonalizer.builder(crypto).profile(profile, kmc)
          .transportKey("transport-kek", kek).build();
      CardVerifier verifier = CardVerifier.builder(crypto, imk).build();
      say.println("3. Personalize, stripe and verify each card (" + connectorName + ", SCP02 i=55 C-MAC+C-DEC):");
      say.println();
      say.println(String.format("   %-6s %-19s %-9s %6s %7s %-10s %6s  %s", "card", "PAN", "status", "STORE", "checks",
          "stripe", "ms", "reason"));
      List<CardReport> reports = new ArrayList<>();
      int index = 0;
      try (RecordSource source = JsonLinesRecords.open(persoData)) {
        while (source.hasNext()) {
          RecordInput input = source.next();
          index++;
          CardReport r = input instanceof RecordInput.Read read
              ? personalizeOne(crypto, kmc, profile, personalizer, verifier, stripeStep, read.record(), index, say)
              : new CardReport(((RecordInput.Rejected) input).cardId(), "?", "REJECTED", 0, 0, "-",
                  ((RecordInput.Rejected) input).reason().getMessage(), 0);
          reports.add(r);
          say.println(String.format("   %-6s %-19s %-9s %6d %7d %-10s %6d  %s", r.cardId(), r.pan(), r.status(),
              r.storeDataCommands(), r.checks(), r.stripe(), r.millis(), r.reason()));
          say.flush();
        }
      }
      int ok = (int) reports.stream().filter(r -> r.status().equals("OK")).count();
      long total = (System.nanoTime() - batchStart) / 1_000_000;
      Path report = dir.resolve("report.json");
      Result result = new Result(reports, ok, reports.size() - ok, total, persoData.toString(), report.toString(),
          connectorName);
      writeReport(report, result);
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      say.flush();
    }
  }

  private CardReport personalizeOne(CryptoBackend crypto, KeyRef kmc, CardProfile profile, CpsPersonalizer personalizer,
      CardVerifier verifier, MagStripeStep stripeStep, CardRecord card, int index, PrintWriter say) {
    long start = System.nanoTime();
    String pan = maskedPan(card.section("magstripe").map(m -> m.path("pan").asText()).orElse(""));
    VirtualEmvCard.Builder cb = VirtualEmvCard.builder(crypto, kmc, profile)
        .kdd(Bytes.fromHex(String.format("0000000000%010d", index)));
    if (index == faultCard) {
      cb.fault(VirtualEmvCard.Fault.wrongStatus(1, 0x6A84));
    }
    VirtualEmvCard virtual = cb.build();
    int commands = 0;
    try (CardChannel channel = connect(virtual, index, say)) {
      PersoResult perso = personalizer.personalize(channel, card);
      commands = perso.storeDataCommands();
      String stripe = checkStripe(stripeStep, card);
      int checks = verifier.verify(channel, card).size();
      return new CardReport(card.id(), pan, "OK", commands, checks, stripe, "", ms(start));
    } catch (PersoException e) {
      return new CardReport(card.id(), pan, "REJECTED", commands, 0, "-", e.getMessage(), ms(start));
    }
  }

  private CardChannel connect(VirtualEmvCard card, int index, PrintWriter say) {
    CardChannel channel = connector.apply(card);
    if (trace && index == 1) {
      say.println("   APDU trace of card 1 (sensitive data masked):");
      return channel.with(ApduTrace.to(new ConsoleTrace(say)));
    }
    return channel;
  }

  /**
   * Builds the tracks as the stripe step does (CVV and PVV through the backend), encodes each as an MSR
   * raw write (LSB first, leading zeros) and decodes it back.
   */
  private static String checkStripe(MagStripeStep stripeStep, CardRecord card) {
    StringBuilder s = new StringBuilder();
    for (Track track : stripeStep.tracks(card).tracks()) {
      TrackType type = track.type();
      String text = track.text();
      RawOptions options = RawOptions.msrDefaults(type);
      DecodedTrack back = RawCodec.decode(type, RawCodec.encode(type, text, options), options);
      if (!back.text().equals(text)) {
        throw new dev.perso.core.ValidationException(card.id() + " " + type, "raw encoding does not read back");
      }
      s.append(s.length() == 0 ? "" : "+").append(type == TrackType.TRACK_1 ? "T1" : "T2");
    }
    return s + " ok";
  }

  private static String maskedPan(String pan) {
    if (pan.length() < 12) {
      return "?";
    }
    return pan.substring(0, 6) + "*".repeat(pan.length() - 10) + pan.substring(pan.length() - 4);
  }

  private static long ms(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }

  private static Cardholder cardholder(int i, Random random) {
    String body = "476173900" + String.format("%06d", i);
    String pan = body + luhn(body);
    String[] name = NAMES[(i - 1) % NAMES.length];
    String pin = String.format("%04d", random.nextInt(10000));
    StripeRecord stripe = StripeRecord.builder().pan(pan).name(Name.of(name[0], name[1])).expiry("2912")
        .serviceCode("201").pvki(1).pin(pin).build();
    return new Cardholder(String.format("%04d", i), stripe, "01");
  }

  private static int luhn(String body) {
    int sum = 0;
    for (int i = 0; i < body.length(); i++) {
      int d = body.charAt(body.length() - 1 - i) - '0';
      if (i % 2 == 0) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
    }
    return (10 - sum % 10) % 10;
  }

  private Path outputDirectory() throws IOException {
    if (out == null) {
      return Files.createTempDirectory("perso-demo-");
    }
    return Files.createDirectories(out);
  }

  private static void writeReport(Path file, Result result) throws IOException {
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper()
        .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
    json.writeValue(file.toFile(), result);
  }

  /** Configures a {@link Demo}. */
  public static final class Builder {
    private int cards = 10;
    private Path out;
    private int faultCard;
    private boolean trace;
    private Function<VirtualCard, CardChannel> connector = VirtualCard::connect;
    private String connectorName = "in-process";

    private Builder() {}

    /** @param n how many cards, 1..100000 @return this builder */
    public Builder cards(int n) {
      if (n < 1 || n > 100_000) {
        throw new dev.perso.core.ValidationException("--cards", "must be 1..100000, was " + n);
      }
      this.cards = n;
      return this;
    }

    /** @param dir where to write the perso data and the report; null for a temporary directory @return this builder */
    public Builder out(Path dir) {
      this.out = dir;
      return this;
    }

    /** @param card the 1-based card that gets a wrong status word at STORE DATA block 1, 0 for none @return this builder */
    public Builder injectFault(int card) {
      this.faultCard = card;
      return this;
    }

    /** @param on print card 1's APDUs @return this builder */
    public Builder trace(boolean on) {
      this.trace = on;
      return this;
    }

    /**
     * @param name how cards are reached, for the output
     * @param connect turns each virtual card into a host channel (in-process, vpcd...)
     * @return this builder
     */
    public Builder connector(String name, Function<VirtualCard, CardChannel> connect) {
      this.connectorName = Objects.requireNonNull(name);
      this.connector = Objects.requireNonNull(connect);
      return this;
    }

    /** @return the demo */
    public Demo build() {
      return new Demo(this);
    }
  }
}
