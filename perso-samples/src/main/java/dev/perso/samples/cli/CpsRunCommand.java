package dev.perso.samples.cli;

import dev.perso.core.PersoException;
import dev.perso.core.ValidationException;
import dev.perso.core.event.PersoEvents;
import dev.perso.core.record.CardRecord;
import dev.perso.core.record.RecordInput;
import dev.perso.core.record.RecordSource;
import dev.perso.emv.cps.ApplicationData;
import dev.perso.emv.cps.ApplicationsSection;
import dev.perso.emv.cps.InputDgi;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code perso cps run}: personalizes the cards of a perso-data file in a PC/SC reader. */
@Command(name = "run", description = "Personalize the cards of a perso-data file one after another in a PC/SC "
    + "reader: for each card, wait for a card to be inserted, SELECT, open the profile's secure channel and stream "
    + "STORE DATA, then wait for the card to be removed. A failed card is rejected with its reason and the batch "
    + "goes on; a record that cannot be personalized (malformed, unknown profile, missing key) is rejected without "
    + "using a card. Prompts go to stderr. Exit code 0 when every card was personalized, 1 when any was rejected "
    + "or the batch stopped (no card inserted or removed in time).")
final class CpsRunCommand implements java.util.concurrent.Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  OutputOptions output;

  @Option(names = "--input", required = true, paramLabel = "FILE", description = "Perso data (JSON Lines or .dgi).")
  Path input;

  @Option(names = "--reader", required = true, paramLabel = "NAME",
      description = "The reader: a name prefix, or a glob with * and ?.")
  String reader;

  @Option(names = "--kmc", required = true, paramLabel = "KEY",
      description = "The KMC the cards' GP keys are diversified from: 3DES for SCP02 profiles, AES for SCP03; "
          + KeyInput.SYNTAX + ".")
  String kmc;

  @Mixin
  CpsCommand.LineLimit limit;

  @Option(names = "--profile", paramLabel = "FILE", description = "A card profile (JSON) named as in the data. "
      + "Default: the shipped example the data names (vsdc-example, mchip-example, two-app-example).")
  Path profileFile;

  @Option(names = "--transport-kek", paramLabel = "KEY",
      description = "The transport KEK the data's sensitive DGIs are under (named as in the file): "
          + KeyInput.SYNTAX + ".")
  String transportKek;

  @Option(names = "--application-kmc", paramLabel = "AID=KEY",
      description = "The KMC of the Security Domain of an application with a secure channel of its own in the "
          + "profile (applications[i].secureChannel), e.g. A0000000041010=file:ssd-kmc.key: 3DES for SCP02, AES "
          + "for SCP03; KEY is " + KeyInput.SYNTAX + ". Repeat it per application.")
  List<String> applicationKmcs = new ArrayList<>();

  @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "60",
      description = "How long to wait for each card insertion and removal (default 60).")
  int waitSeconds;

  @Override
  public Integer call() {
    if (waitSeconds < 1 || waitSeconds > 86_400) {
      throw new dev.perso.core.ValidationException("--wait", "must be 1..86400 seconds, was " + waitSeconds);
    }
    java.time.Duration wait = java.time.Duration.ofSeconds(waitSeconds);
    // Everything given is checked before a reader or a card is touched.
    int maxLine = limit.bytes();
    dev.perso.core.Bytes kmcBytes = KeyInput.requireLength("--kmc", KeyInput.read(spec, "--kmc", kmc), 16, 24, 32);
    Map<dev.perso.core.Bytes, dev.perso.core.Bytes> appKmcBytes = new LinkedHashMap<>();
    for (String given : applicationKmcs) {
      int eq = given.indexOf('=');
      if (eq <= 0) {
        throw new ValidationException("--application-kmc", "is AID=KEY, e.g. A0000000041010=file:ssd-kmc.key");
      }
      dev.perso.core.Bytes aid = CryptoCommand.hex("--application-kmc", given.substring(0, eq));
      if (aid.length() < 5 || aid.length() > 16) {
        throw new ValidationException("--application-kmc", "an AID is 5 to 16 bytes, was " + aid.length());
      }
      String option = "--application-kmc " + aid.toHex();
      if (appKmcBytes.put(aid, KeyInput.requireLength(option, KeyInput.read(spec, option, given.substring(eq + 1)),
          16, 24, 32)) != null) {
        throw new ValidationException("--application-kmc", "application " + aid.toHex() + " is given twice");
      }
    }
    dev.perso.core.Bytes kekBytes = KeyInput.read(spec, "--transport-kek", transportKek);
    dev.perso.crypto.KeyRef kek = kekBytes == null ? null
        : CryptoCommand.desKey("--transport-kek", kekBytes, dev.perso.crypto.KeyUsage.KEK);
    dev.perso.emv.cps.CardProfile given = profileFile == null ? null
        : dev.perso.emv.cps.CardProfile.load(profileFile);
    if (java.nio.file.Files.isDirectory(input)) {
      throw new ValidationException("--input", input + " is a directory");
    }
    if (!java.nio.file.Files.isReadable(input)) {
      throw new ValidationException("--input", "cannot read " + input);
    }
    // one KMC key object per cipher (true: AES) and one per application's own Security Domain, for the batch
    Map<Boolean, dev.perso.crypto.KeyRef> kmcs = new java.util.HashMap<>();
    Map<dev.perso.core.Bytes, dev.perso.crypto.KeyRef> appKmcs = new java.util.HashMap<>();
    dev.perso.devices.pcsc.PcscReaders readers = dev.perso.devices.pcsc.PcscReaders.system();
    String name = readers.find(reader);
    java.io.PrintWriter out = spec.commandLine().getOut();
    java.io.PrintWriter err = spec.commandLine().getErr();

    // Each card's line and JSON row come from the personalizer's events (started, done, failed with the reason).
    RunReport report = new RunReport(out, output.json, limit::reason);
    String stopped = null;
    long start = System.nanoTime();
    try (dev.perso.crypto.CryptoBackend crypto = new dev.perso.crypto.SoftwareBackend();
        RecordSource source = CpsCommand.open(input, maxLine)) {
      while (source.hasNext() && stopped == null) {
        RecordInput in = source.next();
        if (in instanceof RecordInput.Rejected r) {
          report.recordRejected(r.cardId(), in.location(), r.reason());
          continue;
        }
        CardRecord record = ((RecordInput.Read) in).record();
        String cardId = record.id();
        dev.perso.emv.cps.CpsPersonalizer personalizer;
        List<ApplicationData> data;
        try {
          data = ApplicationsSection.decode(record);
          personalizer = personalizer(crypto, data, given, kek, kmcBytes, kmcs, appKmcBytes, appKmcs).events(report).build();
        } catch (PersoException e) {
          report.recordRejected(cardId, in.location(), e);
          continue;
        }
        err.println("perso: insert card " + cardId + " into " + name);
        err.flush();
        if (!readers.waitForCard(name, wait)) {
          stopped = "no card inserted into " + name + " within " + waitSeconds + " s (card " + cardId + ")";
          break;
        }
        report.cardInserted(cardId, in.location());
        long t = System.nanoTime();
        try (dev.perso.devices.pcsc.PcscCard pc = readers.connect(name, dev.perso.devices.pcsc.PcscProtocol.ANY,
            dev.perso.devices.pcsc.Sharing.EXCLUSIVE)) {
          personalizer.personalize(pc, cardId, data);
        } catch (PersoException e) {
          if (report.awaiting(cardId)) {
            // the reader failed before the personalizer started: no event names this card yet
            report.personalizationFailed(cardId, e, java.time.Duration.ofNanos(System.nanoTime() - t));
          }
        }
        err.println("perso: remove card " + cardId + " from " + name);
        err.flush();
        if (!readers.waitForRemoval(name, wait)) {
          stopped = "card " + cardId + " not removed from " + name + " within " + waitSeconds + " s";
        }
      }
    } finally {
      kmcs.clear();
      appKmcs.clear();
      CryptoCommand.closeKeys();   // the KMC(s) and the transport KEK are wiped when the run ends
    }
    long total = ms(start);
    String summary = String.format("%d card(s): %d personalized, %d rejected in %d ms%s",
        report.personalized + report.rejected, report.personalized, report.rejected, total,
        stopped == null ? "" : "; STOPPED: " + stopped);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("reader", name);
    json.put("cards", report.cards);
    json.put("personalized", report.personalized);
    json.put("rejected", report.rejected);
    json.put("totalMillis", total);
    if (stopped != null) {
      json.put("stopped", stopped);
    }
    if (output.json) {
      output.print(out, json, "");
    } else {
      out.println(summary);
      out.flush();
    }
    return stopped == null && report.rejected == 0 ? 0 : 1;
  }

  private static long ms(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }

  /**
   * The batch as the personalizer's events tell it: a card is OK on {@code personalizationDone} and REJECTED
   * with the event's reason on {@code personalizationFailed}; a record refused before a card is used is a
   * {@code recordRejected}. Text mode prints each card's line as the event arrives; JSON mode prints the rows
   * at the end.
   */
  static final class RunReport extends PersoEvents {
    private final java.io.PrintWriter out;
    private final boolean json;
    private final java.util.function.Function<PersoException, String> describe;
    final List<Map<String, Object>> cards = new ArrayList<>();
    int personalized;
    int rejected;
    private Map<String, Object> current;

    RunReport(java.io.PrintWriter out, boolean json, java.util.function.Function<PersoException, String> describe) {
      this.out = out;
      this.json = json;
      this.describe = describe;
    }

    /** A card for {@code cardId} is in the reader: the next personalization events are its. */
    void cardInserted(String cardId, String location) {
      current = row(cardId, location);
    }

    /** @return true while the inserted card has no outcome yet */
    boolean awaiting(String cardId) {
      return current != null && cardId.equals(current.get("cardId"));
    }

    @Override
    public void recordRejected(String recordId, String location, PersoException reason) {
      Map<String, Object> card = row(recordId, location);
      rejected++;
      card.put("status", "REJECTED");
      card.put("cardUsed", false);
      card.put("reason", describe.apply(reason));
      cards.add(card);
      line(String.format("card %-8s REJECTED  (no card used) %s", recordId, describe.apply(reason)));
    }

    @Override
    public void personalizationDone(String cardId, List<String> applications, int storeDataCommands,
        java.time.Duration elapsed) {
      Map<String, Object> card = take(cardId);
      personalized++;
      card.put("status", "OK");
      card.put("storeDataCommands", storeDataCommands);
      card.put("applications", applications);
      card.put("millis", elapsed.toMillis());
      cards.add(card);
      line(String.format("card %-8s OK        %3d STORE DATA  %5d ms", cardId, storeDataCommands,
          elapsed.toMillis()));
    }

    @Override
    public void personalizationFailed(String cardId, PersoException reason, java.time.Duration elapsed) {
      Map<String, Object> card = take(cardId);
      rejected++;
      card.put("status", "REJECTED");
      card.put("cardUsed", true);
      if (reason instanceof dev.perso.emv.cps.StoreDataException sd) {
        card.put("storeDataCommands", sd.accepted());
      }
      card.put("reason", reason.getMessage());
      card.put("millis", elapsed.toMillis());
      cards.add(card);
      line(String.format("card %-8s REJECTED  %s", cardId, reason.getMessage()));
    }

    private Map<String, Object> take(String cardId) {
      Map<String, Object> card = awaiting(cardId) ? current : row(cardId, null);
      current = null;
      return card;
    }

    private static Map<String, Object> row(String cardId, String location) {
      Map<String, Object> card = new LinkedHashMap<>();
      card.put("cardId", cardId);
      card.put("location", location);
      return card;
    }

    private void line(String text) {
      if (!json) {
        out.println(text);
        out.flush();
      }
    }
  }

  /** Everything a card needs before a physical card is used: its profile, the KMC for it, its transport keys. */
  private dev.perso.emv.cps.CpsPersonalizer.Builder personalizer(dev.perso.crypto.CryptoBackend crypto,
      List<ApplicationData> data, dev.perso.emv.cps.CardProfile given, dev.perso.crypto.KeyRef kek,
      dev.perso.core.Bytes kmcBytes, Map<Boolean, dev.perso.crypto.KeyRef> kmcs,
      Map<dev.perso.core.Bytes, dev.perso.core.Bytes> appKmcBytes,
      Map<dev.perso.core.Bytes, dev.perso.crypto.KeyRef> appKmcs) {
    dev.perso.emv.cps.CpsPersonalizer.Builder b = dev.perso.emv.cps.CpsPersonalizer.builder(crypto);
    java.util.Set<String> added = new java.util.HashSet<>();
    java.util.Set<dev.perso.core.Bytes> used = new java.util.HashSet<>();
    for (ApplicationData a : data) {
      if (!added.add(a.profile())) {
        continue;
      }
      dev.perso.emv.cps.CardProfile profile = CpsCommand.profileFor(a.profile(), given);
      boolean aes = profile.secureChannel().version().aes();
      // One KMC key object per cipher for the whole batch, not one per card; wiped when the run ends.
      b.profile(profile, kmcs.computeIfAbsent(aes, scp03 -> scp03
          ? CryptoCommand.key("--kmc", kmcBytes, "--kmc", CryptoCommand.AES, dev.perso.crypto.KeyUsage.KMC)
          : CryptoCommand.desKey("--kmc", kmcBytes, dev.perso.crypto.KeyUsage.KMC)));
      // An application with a secure channel of its own opens it with its Security Domain's KMC.
      for (dev.perso.emv.cps.ApplicationProfile app : profile.applications()) {
        dev.perso.core.Bytes own = appKmcBytes.get(app.aid());
        if (own == null || app.secureChannel().isEmpty()) {
          continue;
        }
        used.add(app.aid());
        String option = "--application-kmc " + app.aid().toHex();
        b.applicationKmc(profile, app.aid(), appKmcs.computeIfAbsent(app.aid(), x ->
            app.secureChannel().get().version().aes()
                ? CryptoCommand.key(option, own, option, CryptoCommand.AES, dev.perso.crypto.KeyUsage.KMC)
                : CryptoCommand.desKey(option, own, dev.perso.crypto.KeyUsage.KMC)));
      }
      for (InputDgi d : a.dgis()) {
        if (d.transportKey().isPresent()) {
          if (kek == null) {
            throw new ValidationException("--transport-kek", "DGI " + d.dgi().idHex()
                + " is under transport key '" + d.transportKey().get() + "'");
          }
          b.transportKey(d.transportKey().get(), kek);
        }
      }
    }
    for (dev.perso.core.Bytes aid : appKmcBytes.keySet()) {
      if (!used.contains(aid)) {
        throw new ValidationException("--application-kmc", "application " + aid.toHex() + " has no secure channel"
            + " of its own in the card's profile(s) " + added + ": the card's --kmc serves it");
      }
    }
    return b;
  }
}
