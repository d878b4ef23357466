package dev.perso.samples.demo;

import dev.perso.core.cardholder.Pan;
import dev.perso.core.Bytes;
import dev.perso.core.PersoException;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.card.VirtualCard;
import dev.perso.core.channel.ApduTrace;
import dev.perso.core.channel.CardChannel;
import dev.perso.core.device.CardTag;
import dev.perso.core.device.DeviceContext;
import dev.perso.core.device.Devices;
import dev.perso.core.journal.Journal;
import dev.perso.core.journal.RecordStatus;
import dev.perso.core.line.Job;
import dev.perso.core.line.JobReport;
import dev.perso.core.line.Line;
import dev.perso.core.surface.Side;
import dev.perso.devices.surface.CardRenderer;
import dev.perso.devices.surface.CardSurface;
import dev.perso.devices.surface.SurfaceLayout;
import dev.perso.devices.surface.SurfaceStep;
import dev.perso.core.line.LineClock;
import dev.perso.core.line.Machine;
import dev.perso.core.record.CardRecord;
import dev.perso.core.record.JsonLinesRecords;
import dev.perso.core.record.RecordInput;
import dev.perso.core.record.RecordSource;
import dev.perso.core.step.CardType;
import dev.perso.core.step.StepEnvironment;
import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.KcvMethod;
import dev.perso.crypto.KeyLookup;
import dev.perso.crypto.KeyRef;
import dev.perso.crypto.SoftwareBackend;
import dev.perso.devices.virtual.PhysicalCard;
import dev.perso.devices.virtual.VirtualWorld;
import dev.perso.emv.card.VirtualEmvCard;
import dev.perso.emv.cps.CardProfile;
import dev.perso.emv.cps.CardVerifier;
import dev.perso.emv.cps.ExampleCardTypes;
import dev.perso.iso7813.DecodedTrack;
import dev.perso.iso7813.RawCodec;
import dev.perso.iso7813.RawOptions;
import dev.perso.iso7813.Track;
import dev.perso.iso7813.TrackType;
import dev.perso.iso7813.step.MagStripeStep;
import dev.perso.samples.io.PrivateFiles;
import dev.perso.samples.line.ReportText;
import dev.perso.emv.prep.CardDataPreparation;
import dev.perso.samples.prep.DemoCardholders;
import dev.perso.samples.prep.DemoKeys;
import dev.perso.samples.prep.DemoMemoryCards;
import dev.perso.devices.memory.MemoryCardStep;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The end-to-end demo on the embedded default: a production line of virtual devices (a conveyor with a
 * magnetic module and 8 chip stations, and a desktop printer with an encoder and a contact station)
 * personalizes a batch of {@code debit-example} cards (magnetic stripe and an EMV chip under SCP02,
 * verified), journaled in SQLite, with faults on cue: the conveyor's magnetic module reads back a
 * corrupted stripe on its 5th card (the card is rejected and its record remade) and chip station 3 loses
 * contact on its 2nd card (it goes offline and the card moves to another station). Every finished card is
 * then checked as if held in hand (its stripe read and decoded, its chip read back and an ARQC verified),
 * and the journal's reconciliation is printed. With {@link Builder#memory(boolean)} the batch is
 * {@code loyalty-memory} cards instead: SLE4442 memory chips behind ACS-dialect readers, each given the member's
 * text, bytes 0..31 protected and a per-card code, and checked in hand by presenting that code and reading back.
 *
 * <pre>{@code
 * Demo.Result r = Demo.builder().cards(20).out(Path.of("out")).injectFault(3).build().run(new PrintWriter(System.out));
 * }</pre>
 */
public final class Demo {
  private static final String CARD_TYPE = "debit-example";
  private static final String OUT = "--out";
  /** The resolution of the previews the demo writes. */
  private static final int PREVIEW_DPI = 150;

  private final int cards;
  private final Path out;
  private final int faultCard;
  private final boolean trace;
  private final boolean faults;
  private final Function<VirtualCard, CardChannel> connector;
  private final String connectorName;
  private final boolean msr;
  private final CryptoBackend hsm;
  private final boolean memory;
  private final CardProfile chipProfile;
  private final Path chipProfileFile;

  private Demo(Builder b) {
    this.hsm = b.hsm;
    this.memory = b.memory;
    this.chipProfile = b.chipProfile;
    this.chipProfileFile = b.chipProfileFile;
    this.cards = b.cards;
    this.out = b.out;
    this.faultCard = b.faultCard;
    this.trace = b.trace;
    this.faults = b.faults;
    this.connector = b.connector;
    this.connectorName = b.connectorName;
    this.msr = b.msr;
  }

  /** @return a builder with the defaults: 20 cards, a temporary output directory, faults on cue */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * One physical card as the demo found it at the end.
   *
   * @param serial the card's serial in the job
   * @param cardId its record
   * @param pan the PAN, masked
   * @param status {@code OK} (issued) or {@code REJECTED}
   * @param station where it was finished or rejected
   * @param stripe the stripe as read from the card ({@code T1+T2 ok}), or {@code -}
   * @param checks the chip checks that passed on the card (FCI, GPO, records, ARQC), 0 if rejected
   * @param reason why it was rejected, or empty
   */
  public record CardReport(long serial, String cardId, String pan, String status, String station, String stripe,
      int checks, String reason) {}

  /**
   * What the demo did.
   *
   * @param cards every physical card, in serial order
   * @param personalized records issued
   * @param rejected records rejected for good
   * @param rejectedCards cards that went to a reject bin (their records may have been remade)
   * @param remade records remade on a new card
   * @param totalMillis wall time of the whole demo
   * @param persoData the records file (clear card data, owner-only), or null once removed
   * @param journal the journal file, or null once removed
   * @param report the JSON report file, or null once removed
   * @param transport how the chips were reached
   * @param reconciliation the journal's reconciliation
   * @param removedDirectory the temporary directory the files were in and that was removed at the end (no
   *     output directory was given), or null when the files were kept
   */
  public record Result(List<CardReport> cards, long personalized, long rejected, long rejectedCards, long remade,
      long totalMillis, String persoData, String journal, String report, String transport,
      Map<String, Object> reconciliation, String removedDirectory) {
    /** @return a one-line summary */
    public String summary() {
      return "Done: " + personalized + " personalized, " + rejected + " rejected, " + cards.size() + " cards fed ("
          + rejectedCards + " to the reject bin, " + remade + " records remade) in " + totalMillis + " ms."
          + (removedDirectory == null ? "" : " The temporary files (clear card data) in " + removedDirectory
              + " were removed; give --out DIR to keep perso-data.jsonl, job.db and report.json.");
    }

    private Result removed(String dir) {
      return new Result(cards, personalized, rejected, rejectedCards, remade, totalMillis, null, null, null, transport,
          reconciliation, dir);
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
    long start = System.nanoTime();
    Path dir = outputDirectory();
    boolean temporary = out == null;
    boolean finished = false;
    try (CryptoBackend crypto = new SoftwareBackend(); DemoKeys keys = DemoKeys.open()) {
      // The line's steps use the HSM when one is given, with the demo keys imported under its LMK; data
      // preparation (the issuer's system), the blank cards and the in-hand checks stay in software.
      CryptoBackend lineCrypto = hsm == null ? crypto : hsm;
      KeyLookup lineKeys = hsm == null ? keys : importUnderLmk(hsm, keys);
      StepEnvironment env = StepEnvironment.builder(Path.of("."))
          .service(CryptoBackend.class, lineCrypto).service(KeyLookup.class, lineKeys).build();
      CardType type = memory ? DemoMemoryCards.cardType(env)
          : hsm != null || chipProfile != null ? editedCardType(env) : ExampleCardTypes.load(CARD_TYPE, env);
      KeyRef kmc = keys.key(DemoKeys.KMC);
      KeyRef imk = keys.key(DemoKeys.IMK_AC);
      say.println("1. Keys (" + (hsm == null ? "software backend" : "HSM " + hsm.id() + ", imported under its LMK")
          + ", public test keys): KMC KCV " + lineCrypto.kcv(lineKeys.find(DemoKeys.KMC).orElseThrow(),
              KcvMethod.ENCRYPT_ZEROS).hex()
          + ", IMK-AC KCV " + lineCrypto.kcv(lineKeys.find(DemoKeys.IMK_AC).orElseThrow(), KcvMethod.ENCRYPT_ZEROS).hex()
          + ", transport KEK KCV " + lineCrypto.kcv(lineKeys.find(DemoKeys.KEK).orElseThrow(),
              KcvMethod.ENCRYPT_ZEROS).hex());
      say.println("   " + type);

      Path persoData = dir.resolve("perso-data.jsonl");
      Path journalFile = dir.resolve("job.db");
      Files.deleteIfExists(journalFile);
      Files.deleteIfExists(dir.resolve("job.db-wal"));
      Files.deleteIfExists(dir.resolve("job.db-shm"));
      PrivateFiles.journal(OUT, journalFile);
      say.println("2. Data preparation: " + cards + " cardholder records -> " + persoData + (memory
          ? " (the member's text and a per-card code for each SLE4442)"
          : " (ICC keys by EMV option A, CVV/iCVV/PVV, sensitive DGIs under the KEK)"));
      CardDataPreparation prep = memory ? null
          : CardDataPreparation.builder(crypto, keys.issuerKeys()).profile(chipProfile != null ? chipProfile
              : CardProfile.example("vsdc-example")).sections(type.sections()).build();
      Random random = new Random(7813);
      Map<String, CardRecord> records = new HashMap<>();
      try (PrintWriter w = new PrintWriter(new java.io.OutputStreamWriter(PrivateFiles.newFile(OUT, persoData),
          StandardCharsets.UTF_8))) {
        for (int i = 1; i <= cards; i++) {
          CardRecord r = memory ? DemoMemoryCards.prepare(DemoCardholders.cardholder(i, random), random)
              : prep.prepare(DemoCardholders.cardholder(i, random));
          records.put(r.id(), r);
          w.println(JsonLinesRecords.toJsonLine(r));
        }
      }

      CardProfile profile = chipProfile != null ? chipProfile : CardProfile.example("vsdc-example");
      LineClock clock = LineClock.system();
      DeviceContext ctx = DeviceContext.builder().clock(clock).cardStock(memory
          ? memoryStock(type.virtualCardStock().orElseThrow(), say) : stock(crypto, kmc, profile, say)).build();
      LineConsole events = new LineConsole(say);
      try (EmulatedMsr emulated = msr ? EmulatedMsr.start(dev.perso.devices.msr.Msr605Emulator.builder()
               .corruptReadAt(faults ? new int[] {5} : new int[0])) : null;
           Line line = line(ctx, emulated); Journal journal = Journal.sqlite(journalFile);
           RecordSource source = JsonLinesRecords.open(persoData)) {
        say.println("3. Line (virtual devices, real time; chips reached " + connectorName + "): " + line.machines()
            + ", journal " + journalFile);
        if (faults) {
          say.println("   Faults on cue: " + (memory ? "" : "mx-1's magnetic module reads back a corrupted track on its "
              + "5th card; ") + (connector == null ? "mx-1/chip-3 loses contact on its 2nd card" : "")
              + (faultCard > 0 ? "; card " + String.format("%04d", faultCard) + "'s chip answers 6A84 to STORE DATA" : ""));
        } else if (faultCard > 0) {
          say.println("   Fault on cue: card " + String.format("%04d", faultCard) + "'s chip answers 6A84 to STORE DATA");
        }
        say.flush();
        JobReport report = line.run(Job.of("demo", source, type, journal).expecting(cards), events);
        say.println();
        say.println("4. The cards in the output hoppers and reject bins, checked as if held in hand " + (memory
            ? "(per-card code presented, image read back, protection read):"
            : "(stripe read and decoded, chip read back and an ARQC verified):"));
        say.println();
        say.println(String.format("   %-5s %-6s %-19s %-9s %-15s %-10s %6s  %s", "card", "record", "PAN", "status",
            "station", "stripe", "checks", "reason"));
        List<CardReport> rows = cardsInHand(VirtualWorld.of(ctx), records, journal, type, crypto, imk, events);
        for (CardReport r : rows) {
          say.println(String.format("   #%-4d %-6s %-19s %-9s %-15s %-10s %6d  %s", r.serial(), r.cardId(), r.pan(),
              r.status(), r.station(), r.stripe(), r.checks(), r.reason()));
        }
        say.println();
        say.println("5. Reconciliation" + (temporary ? ":" : " (perso job report --journal " + journalFile + "):"));
        say.println(ReportText.text(report.reconciliation()));
        long total = (System.nanoTime() - start) / 1_000_000;
        Path reportFile = dir.resolve("report.json");
        long rejectedRecords = journal.status().count(dev.perso.core.journal.RecordState.REJECTED);
        Result result = new Result(rows, report.reconciliation().total().issued(), rejectedRecords,
            report.rejectedCards(), report.remade(), total, persoData.toString(), journalFile.toString(),
            reportFile.toString(), connectorName, ReportText.json(report.reconciliation()), null);
        writeReport(reportFile, result);
        if (!temporary) {
          int n = writePreviews(dir.resolve("previews"), VirtualWorld.of(ctx), type);
          say.println("6. Previews: front and back of the " + n + " issued cards, as their virtual printer, embosser "
              + "and indenter made them -> " + dir.resolve("previews"));
        }
        finished = true;
        return temporary ? result.removed(dir.toString()) : result;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      // Without --out the files were only for this run: they hold clear card data, so they go.
      if (temporary && !PrivateFiles.deleteTree(dir)) {
        say.println("perso demo: could not remove " + dir + " (it holds clear card data); remove it by hand");
      } else if (!finished && !temporary) {
        say.println("perso demo: the files written so far stay in " + dir + " (owner-only)");
      }
      say.flush();
    }
  }

  /** The surface modules after the chip stations: printer, embosser, indenter (short times: the demo stays quick). */
  private static Machine.ConveyorBuilder surface(Machine.ConveyorBuilder mx, DeviceContext ctx) {
    return mx.module("print", Devices.open("virtual:printer?id=mx-1-printer&ms=250", ctx))
        .module("emboss", Devices.open("virtual:embosser?id=mx-1-embosser&ms=250", ctx))
        .module("indent", Devices.open("virtual:indenter?id=mx-1-indenter&ms=150", ctx));
  }

  /** Writes {@code <card>-front.png} and {@code -back.png} (owner-only: they show the PAN) of each issued card. */
  private static int writePreviews(Path dir, VirtualWorld world, CardType type) throws IOException {
    SurfaceLayout layout = type.steps().stream().filter(SurfaceStep.class::isInstance).map(SurfaceStep.class::cast)
        .findFirst().map(SurfaceStep::layout).orElse(null);
    if (layout == null) {
      return 0;
    }
    PrivateFiles.directory(OUT, dir);
    CardRenderer renderer = CardRenderer.of(layout);
    int n = 0;
    for (PhysicalCard card : world.outputHopper()) {
      for (Side side : Side.values()) {
        Path file = dir.resolve(card.tag().recordId() + "-" + side.name().toLowerCase(java.util.Locale.ROOT) + ".png");
        try (java.io.OutputStream o = PrivateFiles.newFile(OUT, file)) {
          o.write(CardRenderer.png(renderer.render(CardSurface.of(card), side, PREVIEW_DPI).image()));
        }
      }
      n++;
    }
    return n;
  }

  /**
   * debit-example as the options change it: with {@code --profile FILE} its chip step uses that profile; with
   * an HSM, without its GP
   * card management, since PUT KEY wraps the new keys under the card's DEK, which the payShield backend does
   * not offer (A8 exports under a ZMK only; a DEK-wrapping command would be project-defined, like XT).
   */
  private CardType editedCardType(StepEnvironment env) throws java.io.IOException {
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode tree =
        (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(ExampleCardTypes.text(CARD_TYPE));
    Path profileFile = chipProfileFile;
    for (com.fasterxml.jackson.databind.JsonNode step : tree.withArray("steps")) {
      com.fasterxml.jackson.databind.node.ObjectNode o = (com.fasterxml.jackson.databind.node.ObjectNode) step;
      if (hsm != null) {
        o.remove("cardManagement");
      }
      if (profileFile != null && "emv-cps".equals(o.path("type").asText())) {
        o.put("profile", profileFile.toAbsolutePath().toString());
      }
    }
    return dev.perso.core.step.CardTypes.parse(json.writeValueAsString(tree), CARD_TYPE + ".json", env);
  }


  /**
   * The key ceremony of the HSM demo: every TDES demo key imported under the HSM's master key (the AES KMC
   * has no place under a variant LMK and is left out).
   */
  private static KeyLookup importUnderLmk(CryptoBackend hsm, DemoKeys keys) {
    Map<String, KeyRef> imported = new HashMap<>();
    for (String label : List.of(DemoKeys.KMC, DemoKeys.ISSUER_KMC, DemoKeys.KEK, DemoKeys.IMK_AC, DemoKeys.IMK_SMI, DemoKeys.IMK_SMC,
        DemoKeys.CVK, DemoKeys.PVK)) {
      dev.perso.crypto.ClearKeyRef k = (dev.perso.crypto.ClearKeyRef) keys.key(label);
      imported.put(label, hsm.importClear(dev.perso.crypto.KeyTemplate.of(label, k.algorithm(), k.usage()),
          k.toSecretBytes()));
    }
    return KeyLookup.of(imported);
  }

  /** The demo line: a conveyor with 8 chip stations and a desktop machine (one vpcd station with --pcsc). */
  private Line line(DeviceContext ctx, EmulatedMsr emulated) {
    Line.Builder b = Line.builder().name("demo").clock(ctx.clock());
    Machine.ConveyorBuilder mx = Machine.conveyor("mx-1")
        .transport(Devices.open("virtual:transport?id=mx-1-transport&feedMs=100&moveMs=50&ejectMs=100", ctx))
        .module("mag", Devices.open(emulated != null ? emulated.address() + "&id=mx-1-mag"
            : "virtual:magstripe?id=mx-1-mag&ms=300" + (faults ? "&readErrorAt=5" : ""), ctx));
    if (connector != null) {
      b.machine(surface(mx.module("chip", new ConnectorChipStation("mx-1-chip-pcsc", ctx, connector, Duration.ZERO)), ctx)
          .build());
    } else {
      b.machine(surface(mx.stations("chip", 8, i -> Devices.open("virtual:chip?id=mx-1-chip-" + i + "&ms=1200"
          + (faults && i == 3 ? "&contactFailAt=2" : ""), ctx)), ctx).build());
      b.machine(Machine.desktop("desk-1").device(Devices.open("virtual:desktop?id=desk-1&feedMs=200&ejectMs=200"
          + "&stripeMs=500&chipMs=1200&printMs=300&embossMs=300&indentMs=200", ctx)).build());
    }
    return b.build();
  }

  /**
   * The blank cards in the hoppers: virtual GP cards under the profile's transport keys (as the card
   * type's chip step makes them). The first card of record {@code --inject-fault} answers 6A84 to STORE
   * DATA block 1; with {@code --trace} the chip of record 0001's first card prints its APDUs.
   */
  private Function<CardTag, VirtualCard> stock(CryptoBackend crypto, KeyRef kmc, CardProfile profile, PrintWriter say) {
    Map<String, Boolean> seen = new ConcurrentHashMap<>();
    return tag -> {
      boolean first = seen.putIfAbsent(tag.recordId(), true) == null;
      VirtualEmvCard.Builder b = VirtualEmvCard.builder(crypto, kmc, profile)
          .kdd(Bytes.fromHex(String.format("%020d", tag.serial())));
      if (first && faultCard > 0 && tag.recordId().equals(String.format("%04d", faultCard))) {
        b.fault(VirtualEmvCard.Fault.wrongStatus(1, 0x6A84));
      }
      VirtualCard card = b.build();
      return first && trace && tag.recordId().equals("0001") ? traced(card, say) : card;
    };
  }

  /** The blank memory cards of the memory card type; with {@code --trace} record 0001's first card prints its APDUs. */
  private Function<CardTag, VirtualCard> memoryStock(Function<CardTag, VirtualCard> blank, PrintWriter say) {
    Map<String, Boolean> seen = new ConcurrentHashMap<>();
    return tag -> {
      boolean first = seen.putIfAbsent(tag.recordId(), true) == null;
      VirtualCard card = blank.apply(tag);
      return first && trace && tag.recordId().equals("0001") ? traced(card, say) : card;
    };
  }

  /** A chip that prints the APDUs it is sent and its answers, sensitive data masked. */
  private static VirtualCard traced(VirtualCard card, PrintWriter say) {
    return new VirtualCard() {
      private final CardChannel channel = VirtualCard.connect(card).with(ApduTrace.to(new ConsoleTrace(say)));

      @Override
      public Bytes atr() {
        return card.atr();
      }

      @Override
      public ResponseApdu process(CommandApdu command) {
        synchronized (say) {
          return channel.transmit(command);
        }
      }

      @Override
      public Bytes reset() {
        return card.reset();
      }
    };
  }

  private List<CardReport> cardsInHand(VirtualWorld world, Map<String, CardRecord> records, Journal journal,
      CardType type, CryptoBackend crypto, KeyRef imk, LineConsole events) {
    MagStripeStep stripe = type.steps().stream().filter(MagStripeStep.class::isInstance).map(MagStripeStep.class::cast)
        .findFirst().orElse(null);
    MemoryCardStep memoryStep = type.steps().stream().filter(MemoryCardStep.class::isInstance)
        .map(MemoryCardStep.class::cast).findFirst().orElse(null);
    CardVerifier verifier = CardVerifier.builder(crypto, imk).build();
    List<PhysicalCard> all = new ArrayList<>(world.outputHopper());
    all.addAll(world.rejectBin());
    all.sort(Comparator.comparingLong(c -> c.tag().serial()));
    List<CardReport> rows = new ArrayList<>();
    for (PhysicalCard c : all) {
      CardRecord record = records.get(c.tag().recordId());
      String pan = memoryStep != null ? "-" : Pan.mask(record.section("magstripe").map(m -> m.path("pan").asText())
          .orElse(""));
      String at = c.positions().isEmpty() ? c.machine() : c.positions().get(c.positions().size() - 1);
      if (c.location() == PhysicalCard.Location.OUTPUT_HOPPER) {
        String stripeCheck;
        int checks;
        try {
          if (memoryStep != null) {
            checks = DemoMemoryCards.check(c.chip().orElseThrow(), record, memoryStep);
            rows.add(new CardReport(c.tag().serial(), record.id(), pan, "OK", at, "-", checks, ""));
            continue;
          }
          // An MSR605 (--msr) keeps no stripe in the virtual world: its read-back compare was the check.
          stripeCheck = msr && c.stripe().tracks().isEmpty() ? "T1+T2 msr605" : readStripe(c, stripe.tracks(record));
          try (CardChannel chip = VirtualCard.connect(c.chip().orElseThrow())) {
            checks = verifier.verify(chip, record).size();
          }
        } catch (PersoException e) {
          rows.add(new CardReport(c.tag().serial(), record.id(), pan, "BAD", at, "-", 0, e.getMessage()));
          continue;
        }
        rows.add(new CardReport(c.tag().serial(), record.id(), pan, "OK", at, stripeCheck, checks, ""));
      } else {
        // the reason the line gave when it rejected this card; a purged card has the journal's
        String reason = events.rejection(c.tag())
            .orElseGet(() -> journal.record(record.id()).map(RecordStatus::reason).orElse(""));
        rows.add(new CardReport(c.tag().serial(), record.id(), pan, "REJECTED", at, "-", 0, reason));
      }
    }
    return rows;
  }

  /**
   * Reads the stripe on the card: each track must be what the stripe step builds, and its raw MSR
   * encoding (LSB first, leading zeros) must decode back to it.
   */
  private static String readStripe(PhysicalCard card, dev.perso.iso7813.MagStripe expected) {
    int bad = MagStripeStep.stripeData(expected).firstDifference(card.stripe());
    if (bad != 0) {
      throw new dev.perso.core.ValidationException(card.tag() + " track " + bad,
          "the stripe does not hold the track the record gives");
    }
    StringBuilder s = new StringBuilder();
    for (Track track : expected.tracks()) {
      TrackType tt = track.type();
      String text = track.text();
      RawOptions options = RawOptions.msrDefaults(tt);
      DecodedTrack back = RawCodec.decode(tt, RawCodec.encode(tt, text, options), options);
      if (!back.text().equals(text)) {
        throw new dev.perso.core.ValidationException(card.tag() + " track " + tt.number(), "raw encoding does not read back");
      }
      s.append(s.length() == 0 ? "" : "+").append("T").append(tt.number());
    }
    return s + " ok";
  }

  private Path outputDirectory() {
    return out == null ? PrivateFiles.temporaryDirectory("perso-demo-") : PrivateFiles.directory(OUT, out);
  }

  private static void writeReport(Path file, Result result) throws IOException {
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper()
        .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
    try (java.io.OutputStream o = PrivateFiles.newFile(OUT, file)) {
      json.writeValue(o, result);
    }
  }

  /** Configures a {@link Demo}. */
  public static final class Builder {
    private int cards = 20;
    private Path out;
    private int faultCard;
    private boolean trace;
    private boolean faults = true;
    private boolean msr;
    private Function<VirtualCard, CardChannel> connector;
    private String connectorName = "in-process";
    private CryptoBackend hsm;
    private boolean memory;
    private CardProfile chipProfile;
    private Path chipProfileFile;

    private Builder() {}

    /**
     * Runs the line's steps on a payment HSM (the demo keys are imported under its master key first);
     * without it the software backend does everything.
     *
     * @param backend the HSM backend (the demo does not close it)
     * @return this
     */
    public Builder hsm(CryptoBackend backend) {
      this.hsm = Objects.requireNonNull(backend, "backend");
      return this;
    }

    /**
     * @param n how many cards, 1 to 100,000
     * @return this
     */
    public Builder cards(int n) {
      if (n < 1 || n > 100_000) {
        throw new dev.perso.core.ValidationException("--cards", "must be 1 to 100000, was " + n);
      }
      this.cards = n;
      return this;
    }

    /**
     * @param dir where perso-data.jsonl, job.db and report.json go (null: a new temporary directory)
     * @return this
     */
    public Builder out(Path dir) {
      this.out = dir;
      return this;
    }

    /**
     * @param card the record number whose first card's chip answers 6A84 to STORE DATA block 1 (0: none); it is
     *     rejected and its record remade on a new card
     * @return this
     */
    public Builder injectFault(int card) {
      this.faultCard = card;
      return this;
    }

    /**
     * @param on print record 0001's APDUs (sensitive data masked)
     * @return this
     */
    public Builder trace(boolean on) {
      this.trace = on;
      return this;
    }

    /**
     * @param on run loyalty cards on SLE4442 memory chips (card type {@code loyalty-memory}) instead of debit cards
     * @return this
     */
    public Builder memory(boolean on) {
      this.memory = on;
      return this;
    }

    /**
     * @param file a chip profile (JSON) the cards are personalized with instead of {@code vsdc-example}; an
     *     SCP02 profile, since the demo's keys are TDES
     * @return this
     * @throws dev.perso.core.ValidationException naming the file and path when the profile does not load
     */
    public Builder profile(Path file) {
      CardProfile profile = file == null ? null : CardProfile.load(file);
      if (profile != null && profile.secureChannel().version().aes()) {
        throw new dev.perso.core.ValidationException("--profile", "profile " + profile.name() + " uses SCP03 (AES keys);"
            + " the demo's KMC and issuer keys are TDES: use an SCP02 profile");
      }
      this.chipProfile = profile;
      this.chipProfileFile = file;
      return this;
    }

    /**
     * @param on the device faults on cue (a read-back mismatch and a chip contact failure); on by default
     * @return this
     */
    public Builder faults(boolean on) {
      this.faults = on;
      return this;
    }

    /**
     * @param on the conveyor's magnetic module is an MSR605 emulator reached by address through a socat pty
     *     pair and jSerialComm ({@code msr605:<pty>}) instead of {@code virtual:magstripe}; needs socat
     * @return this
     */
    public Builder msr(boolean on) {
      this.msr = on;
      return this;
    }

    /**
     * Reaches each chip through {@code connect} at a single chip station (e.g. through pcscd and a vpcd reader)
     * instead of the 8 virtual chip stations and the desktop machine.
     *
     * @param name how the chips are reached, for the narration
     * @param connect makes a channel to a virtual card; closing it removes the card
     * @return this
     */
    public Builder connector(String name, Function<VirtualCard, CardChannel> connect) {
      this.connectorName = Objects.requireNonNull(name, "name");
      this.connector = Objects.requireNonNull(connect, "connect");
      return this;
    }

    /**
     * @return the demo
     * @throws dev.perso.core.ValidationException if the fault's record is not 0..cards
     */
    public Demo build() {
      if (memory && faultCard != 0) {
        throw new dev.perso.core.ValidationException("--inject-fault", "answers an EMV STORE DATA; a memory card has "
            + "none (leave it out with --memory)");
      }
      if (faultCard < 0 || faultCard > cards) {
        throw new dev.perso.core.ValidationException("--inject-fault", "must be a record number 1.." + cards
            + " (or 0 for none), was " + faultCard);
      }
      return new Demo(this);
    }
  }
}
