package dev.perso.samples.cli;

import dev.perso.core.MalformedDataException;
import dev.perso.core.PersoException;
import dev.perso.core.ValidationException;
import dev.perso.core.tlv.Tlv;
import dev.perso.core.tlv.TlvPrinter;
import dev.perso.core.record.CardRecord;
import dev.perso.core.record.JsonLinesRecords;
import dev.perso.core.record.RecordInput;
import dev.perso.core.record.RecordSource;
import dev.perso.emv.cps.ApplicationData;
import dev.perso.emv.cps.ApplicationsSection;
import dev.perso.emv.cps.DgiScript;
import dev.perso.emv.cps.InputDgi;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code perso cps ...}: EMV CPS perso-data tools ({@code inspect}, {@code script}, both offline) and
 * {@code run}, which personalizes cards one after another in a PC/SC reader.
 *
 * <pre>
 * perso cps inspect perso-data.jsonl
 * perso cps run --input perso-data.jsonl --reader "ACS ACR39U*" --kmc 404142434445464748494A4B4C4D4E4F \
 *     --transport-kek 00112233445566778899AABBCCDDEEFF
 * </pre>
 */
@Command(name = "cps", description = "EMV CPS personalization: inspect perso data, dry-run a card's APDUs, "
    + "personalize cards in a PC/SC reader.",
    subcommands = {CpsCommand.Inspect.class, CpsCommand.Script.class, CpsCommand.Run.class})
final class CpsCommand extends CommandGroup {

  /**
   * @param file a perso-data file: {@code .dgi} / {@code .txt} is a DGI script, anything else JSON Lines
   * @param maxLineBytes the longest line accepted ({@code --max-line-bytes})
   * @return a streaming source
   */
  static RecordSource open(Path file, int maxLineBytes) {
    String n = file.getFileName() == null ? "" : file.getFileName().toString();
    return n.endsWith(".dgi") || n.endsWith(".txt") ? DgiScript.open(file, maxLineBytes)
        : JsonLinesRecords.open(file, maxLineBytes);
  }

  /** The {@code --max-line-bytes} option of the commands that read perso data. */
  static final class LineLimit {
    @Option(names = "--max-line-bytes", paramLabel = "N", defaultValue = "1048576",
        description = "The longest record line read, in bytes (default 1048576 = 1 MiB); a longer line rejects "
            + "its card only.")
    int maxLineBytes;

    /** @return the limit, checked */
    int bytes() {
      if (maxLineBytes < 1 || maxLineBytes > 1 << 30) {
        throw new ValidationException("--max-line-bytes", "must be 1.." + (1 << 30) + ", was " + maxLineBytes);
      }
      return maxLineBytes;
    }

    /**
     * @param e why a record was rejected
     * @return its message; for a line over the limit, naming the option that sets it
     */
    String reason(PersoException e) {
      String m = e.getMessage();
      return e instanceof MalformedDataException && m.contains("line longer than")
          ? m.replace("(maxLineBytes)", "(--max-line-bytes)") : m;
    }
  }

  @Command(name = "inspect", description = "List the cards, applications and DGIs of a perso-data file "
      + "(JSON Lines, or a DGI script ending in .dgi). Sensitive DGIs (8xxx, or encrypted under a transport key) "
      + "appear as lengths only; TLV content is shown with PAN, track and name values masked.")
  static final class Inspect implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Mixin
    LineLimit limit;

    @Parameters(index = "0", paramLabel = "FILE", description = "The perso-data file.")
    Path file;

    /**
     * Prints each card as it is read (text), or streams one JSON object; nothing is held but the current card,
     * so a file of any size inspects in constant memory.
     */
    @Override
    public void run() {
      java.io.PrintWriter out = spec.commandLine().getOut();
      int max = limit.bytes();
      int ok = 0;
      int rejected = 0;
      try (RecordSource source = open(file, max); OutputOptions.JsonStream json = output.json ? output.stream(out) : null) {
        if (json != null) {
          json.field("file", file.getFileName().toString());
          json.startArray("cards");
        }
        while (source.hasNext()) {
          RecordInput in = source.next();
          Map<String, Object> card = new LinkedHashMap<>();
          StringBuilder text = new StringBuilder();
          card.put("location", in.location());
          List<ApplicationData> applications = null;
          PersoException bad = null;
          if (in instanceof RecordInput.Read read) {
            card.put("cardId", read.record().id());
            try {
              applications = ApplicationsSection.decode(read.record());
            } catch (PersoException e) {
              bad = e;
            }
          } else {
            RecordInput.Rejected r = (RecordInput.Rejected) in;
            card.put("cardId", r.cardId());
            bad = r.reason();
          }
          if (bad != null) {
            rejected++;
            card.put("rejected", limit.reason(bad));
            text.append("card ").append(card.get("cardId")).append("  REJECTED  ").append(limit.reason(bad)).append('\n');
          } else {
            CardRecord c = ((RecordInput.Read) in).record();
            ok++;
            text.append("card ").append(c.id()).append("  (").append(in.location()).append(")\n");
            List<Object> apps = new ArrayList<>();
            for (ApplicationData a : applications) {
              apps.add(application(a, text));
            }
            card.put("applications", apps);
            card.put("magstripeFields", fieldNames(c, "magstripe"));
            card.put("surfaceFields", fieldNames(c, "surface"));
          }
          if (json != null) {
            json.element(card);
          } else {
            out.print(text);
            out.flush();
          }
        }
        if (json != null) {
          json.endArray();
          json.field("accepted", ok);
          json.field("rejected", rejected);
        }
      }
      if (!output.json) {
        out.println(ok + " card(s), " + rejected + " rejected");
        out.flush();
      }
    }

    /** The names (never the values) of a section's fields. */
    private static List<String> fieldNames(CardRecord c, String section) {
      List<String> names = new ArrayList<>();
      c.section(section).ifPresent(s -> s.fieldNames().forEachRemaining(names::add));
      return names;
    }

    private static Map<String, Object> application(ApplicationData a, StringBuilder text) {
      Map<String, Object> app = new LinkedHashMap<>();
      app.put("aid", a.aid().toHex());
      app.put("profile", a.profile());
      text.append("  application ").append(a.aid().toHex()).append("  profile ").append(a.profile()).append('\n');
      List<Object> dgis = new ArrayList<>();
      for (InputDgi d : a.dgis()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dgi", d.dgi().idHex());
        m.put("length", d.dgi().value().length());
        d.transportKey().ifPresent(k -> m.put("kek", k));
        text.append("    DGI ").append(d.dgi().idHex()).append("  ").append(d.dgi().value().length()).append(" bytes");
        boolean sensitive = d.transportKey().isPresent() || (d.dgi().id() & 0xF000) == 0x8000;
        Optional<List<Tlv>> tlv = sensitive ? Optional.empty() : tlv(d);
        if (sensitive) {
          m.put("sensitive", true);
          text.append(d.transportKey().map(k -> "  encrypted under " + k).orElse("  sensitive")).append('\n');
        } else if (tlv.isEmpty() && isRecordDgi(d.dgi().id()) && !d.dgi().value().isEmpty()) {
          // A record DGI holds the PAN, track 2 and the name: when it does not parse, nothing of it is shown.
          m.put("masked", true);
          text.append("  not TLV, masked (record DGI)\n");
        } else {
          if (tlv.isPresent()) {
            boolean secret = tlv.get().stream().anyMatch(Tlv::containsSecret);
            if (!secret) {
              m.put("value", d.dgi().value().toHex());
            }
            text.append('\n');
            for (String line : TlvPrinter.masked().print(tlv.get()).split("\n")) {
              text.append("      ").append(line).append('\n');
            }
          } else {
            m.put("value", d.dgi().value().toHex());
            text.append("  ").append(d.dgi().value().toHex()).append('\n');
          }
        }
        dgis.add(m);
      }
      app.put("dgis", dgis);
      return app;
    }

    /** @return whether a DGI is an EMV record (SFI 1..30, record 1..255), which may hold PAN and track data */
    static boolean isRecordDgi(int id) {
      int sfi = id >> 8;
      return sfi >= 1 && sfi <= 30 && (id & 0xFF) != 0;
    }

    private static Optional<List<Tlv>> tlv(InputDgi d) {
      if (d.dgi().value().isEmpty()) {
        return Optional.empty();
      }
      try {
        List<Tlv> all = Tlv.parseAll(d.dgi().value());
        return all.isEmpty() ? Optional.empty() : Optional.of(all);
      } catch (PersoException notTlv) {
        return Optional.empty();
      }
    }
  }

  /**
   * @param named the profile the data names
   * @param given the profile loaded from {@code --profile FILE}, or null for the shipped example of that name
   * @return the profile to use
   */
  static dev.perso.emv.cps.CardProfile profileFor(String named, dev.perso.emv.cps.CardProfile given) {
    if (given == null) {
      return dev.perso.emv.cps.CardProfile.example(named);
    }
    if (!given.name().equals(named)) {
      throw new dev.perso.core.ValidationException("--profile", "the data names profile '" + named
          + "', the profile file is '" + given.name() + "'");
    }
    return given;
  }

  @Command(name = "script", description = "Offline dry run: print the exact APDUs (SELECT through the last STORE "
      + "DATA) that would personalize one card, given the card's INITIALIZE UPDATE response. Never talks to a card. "
      + "The card's profile is the shipped example the data names (vsdc-example, mchip-example) or --profile FILE.")
  static final class Script implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Option(names = "--input", required = true, paramLabel = "FILE", description = "Perso data (JSON Lines or .dgi).")
    Path input;

    @Option(names = "--card", required = true, paramLabel = "ID", description = "The card id.")
    String cardId;

    @Option(names = "--key", required = true, paramLabel = "KEY",
        description = "The KMC (TDES for SCP02, AES for SCP03): " + KeyInput.SYNTAX + ".")
    String key;

    @Mixin
    LineLimit limit;

    @Option(names = "--method", paramLabel = "emv|visa2|kdf3|none",
        description = "Diversification; default: the profile's.")
    String method;

    @Option(names = "--host-challenge", required = true, paramLabel = "HEX", description = "The host challenge.")
    String hostChallenge;

    @Option(names = "--profile", paramLabel = "FILE", description = "A card profile (JSON) named as in the data. "
        + "Default: the shipped example the data names.")
    Path profileFile;

    @Option(names = "--iu-response", required = true, paramLabel = "HEX",
        description = "The card's INITIALIZE UPDATE response, with or without its status word.")
    String iuResponse;

    @Option(names = "--transport-kek", paramLabel = "KEY",
        description = "The transport KEK the data's sensitive DGIs are under (named as in the file): "
            + KeyInput.SYNTAX + ".")
    String transportKek;

    @Override
    public void run() {
      dev.perso.core.Bytes kmcBytes = KeyInput.read(spec, "--key", key);
      dev.perso.core.Bytes kekBytes = KeyInput.read(spec, "--transport-kek", transportKek);
      CardRecord card = findCard();
      dev.perso.core.Bytes host = CryptoCommand.hex("--host-challenge", hostChallenge);
      // Parsed (with or without its status word) and re-encoded: a malformed response fails here, typed.
      dev.perso.core.Bytes iuData = dev.perso.gp.InitializeUpdateResponse.parse(
          CryptoCommand.hex("--iu-response", iuResponse)).encode();
      List<ApplicationData> applications = ApplicationsSection.decode(card);
      dev.perso.emv.cps.CardProfile profile = profileFor(applications.get(0).profile(),
          profileFile == null ? null : dev.perso.emv.cps.CardProfile.load(profileFile));
      if (method != null) {
        dev.perso.emv.cps.SecureChannelProfile sc = profile.secureChannel();
        profile = profile.newBuilder().secureChannel(new dev.perso.emv.cps.SecureChannelProfile(sc.scp(), sc.i(),
            sc.securityLevel(), sc.keyVersion(), method)).build();
      }
      boolean scp03 = profile.secureChannel().scp() == 3;
      try (dev.perso.crypto.CryptoBackend crypto = new dev.perso.crypto.SoftwareBackend()) {
        // The keys this command parsed are wiped when it ends (CryptoCommand.closeKeys, below).
        dev.perso.crypto.KeyRef kmc = scp03
            ? CryptoCommand.key("--key", kmcBytes, "--key", CryptoCommand.AES, dev.perso.crypto.KeyUsage.KMC)
            : CryptoCommand.desKey("--key", kmcBytes, dev.perso.crypto.KeyUsage.KMC);
        dev.perso.emv.cps.CpsPersonalizer.Builder b = dev.perso.emv.cps.CpsPersonalizer.builder(crypto)
            .profile(profile, kmc).hostChallenge(host);
        if (kekBytes != null) {
          dev.perso.crypto.KeyRef kek = CryptoCommand.desKey("--transport-kek", kekBytes, dev.perso.crypto.KeyUsage.KEK);
          applications.forEach(a -> a.dgis().forEach(d -> d.transportKey().ifPresent(n -> b.transportKey(n, kek))));
        }
        List<String> apdus = new ArrayList<>();
        // A recording card: OK to everything, the given INITIALIZE UPDATE response to INITIALIZE UPDATE.
        dev.perso.core.channel.CardChannel recorder = c -> {
          apdus.add(c.encode().toHex());
          return c.ins() == 0x50 ? dev.perso.core.apdu.ResponseApdu.of(iuData, 0x9000)
              : dev.perso.core.apdu.ResponseApdu.of(0x9000);
        };
        b.build().personalize(recorder, card.id(), applications);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("apdus", apdus);
        output.print(spec.commandLine().getOut(), json, String.join("\n", apdus));
      } finally {
        CryptoCommand.closeKeys();
      }
    }

    private CardRecord findCard() {
      try (RecordSource source = open(input, limit.bytes())) {
        while (source.hasNext()) {
          RecordInput in = source.next();
          if (in instanceof RecordInput.Read read && read.record().id().equals(cardId)) {
            return read.record();
          }
          if (in instanceof RecordInput.Rejected r && r.cardId().equals(cardId)) {
            throw r.reason();
          }
        }
      }
      throw new dev.perso.core.ValidationException("--card", "no card '" + cardId + "' in " + input.getFileName());
    }
  }

  @Command(name = "run", description = "Personalize the cards of a perso-data file one after another in a PC/SC "
      + "reader: for each card, wait for a card to be inserted, SELECT, open the profile's secure channel and stream "
      + "STORE DATA, then wait for the card to be removed. A failed card is rejected with its reason and the batch "
      + "goes on; a record that cannot be personalized (malformed, unknown profile, missing key) is rejected without "
      + "using a card. Prompts go to stderr. Exit code 0 when every card was personalized, 1 when any was rejected "
      + "or the batch stopped (no card inserted or removed in time).")
  static final class Run implements java.util.concurrent.Callable<Integer> {
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
    LineLimit limit;

    @Option(names = "--profile", paramLabel = "FILE", description = "A card profile (JSON) named as in the data. "
        + "Default: the shipped example the data names (vsdc-example, mchip-example).")
    Path profileFile;

    @Option(names = "--transport-kek", paramLabel = "KEY",
        description = "The transport KEK the data's sensitive DGIs are under (named as in the file): "
            + KeyInput.SYNTAX + ".")
    String transportKek;

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
      Map<Boolean, dev.perso.crypto.KeyRef> kmcs = new java.util.HashMap<>();
      dev.perso.devices.pcsc.PcscReaders readers = dev.perso.devices.pcsc.PcscReaders.system();
      String name = readers.find(reader);
      java.io.PrintWriter out = spec.commandLine().getOut();
      java.io.PrintWriter err = spec.commandLine().getErr();

      List<Object> cards = new ArrayList<>();
      StringBuilder text = new StringBuilder();
      int ok = 0;
      int rejected = 0;
      String stopped = null;
      long start = System.nanoTime();
      try (dev.perso.crypto.CryptoBackend crypto = new dev.perso.crypto.SoftwareBackend();
          RecordSource source = open(input, maxLine)) {
        while (source.hasNext() && stopped == null) {
          RecordInput in = source.next();
          String cardId;
          dev.perso.emv.cps.CpsPersonalizer personalizer = null;
          String reason = null;
          List<ApplicationData> data = null;
          if (in instanceof RecordInput.Rejected) {
            cardId = ((RecordInput.Rejected) in).cardId();
            reason = limit.reason(((RecordInput.Rejected) in).reason());
          } else {
            CardRecord record = ((RecordInput.Read) in).record();
            cardId = record.id();
            try {
              data = ApplicationsSection.decode(record);
              personalizer = personalizer(crypto, data, given, kek, kmcBytes, kmcs);
            } catch (PersoException e) {
              reason = e.getMessage();
            }
          }
          Map<String, Object> card = new LinkedHashMap<>();
          card.put("cardId", cardId);
          card.put("location", in.location());
          if (personalizer == null) {
            rejected++;
            card.put("status", "REJECTED");
            card.put("cardUsed", false);
            card.put("reason", reason);
            line(out, text, String.format("card %-8s REJECTED  (no card used) %s", cardId, reason));
            cards.add(card);
            continue;
          }
          err.println("perso: insert card " + cardId + " into " + name);
          err.flush();
          if (!readers.waitForCard(name, wait)) {
            stopped = "no card inserted into " + name + " within " + waitSeconds + " s (card " + cardId + ")";
            break;
          }
          long t = System.nanoTime();
          try (dev.perso.devices.pcsc.PcscCard pc = readers.connect(name, dev.perso.devices.pcsc.PcscProtocol.ANY,
              dev.perso.devices.pcsc.Sharing.EXCLUSIVE)) {
            dev.perso.emv.cps.PersoResult r = personalizer.personalize(pc, cardId, data);
            ok++;
            card.put("status", "OK");
            card.put("storeDataCommands", r.storeDataCommands());
            card.put("applications", r.applications());
            card.put("millis", ms(t));
            line(out, text, String.format("card %-8s OK        %3d STORE DATA  %5d ms", cardId, r.storeDataCommands(),
                ms(t)));
          } catch (PersoException e) {
            rejected++;
            card.put("status", "REJECTED");
            card.put("cardUsed", true);
            if (e instanceof dev.perso.emv.cps.StoreDataException sd) {
              card.put("storeDataCommands", sd.accepted());
            }
            card.put("reason", e.getMessage());
            card.put("millis", ms(t));
            line(out, text, String.format("card %-8s REJECTED  %s", cardId, e.getMessage()));
          }
          cards.add(card);
          err.println("perso: remove card " + cardId + " from " + name);
          err.flush();
          if (!readers.waitForRemoval(name, wait)) {
            stopped = "card " + cardId + " not removed from " + name + " within " + waitSeconds + " s";
          }
        }
      } finally {
        kmcs.clear();
        CryptoCommand.closeKeys();   // the KMC(s) and the transport KEK are wiped when the run ends
      }
      long total = ms(start);
      String summary = String.format("%d card(s): %d personalized, %d rejected in %d ms%s", ok + rejected, ok, rejected,
          total, stopped == null ? "" : "; STOPPED: " + stopped);
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("reader", name);
      json.put("cards", cards);
      json.put("personalized", ok);
      json.put("rejected", rejected);
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
      return stopped == null && rejected == 0 ? 0 : 1;
    }

    /** Text mode prints each card's line as soon as it is known; JSON mode prints one object at the end. */
    private void line(java.io.PrintWriter out, StringBuilder text, String line) {
      text.append(line).append('\n');
      if (!output.json) {
        out.println(line);
        out.flush();
      }
    }

    private static long ms(long start) {
      return (System.nanoTime() - start) / 1_000_000;
    }

    /** Everything a card needs before a physical card is used: its profile, the KMC for it, its transport keys. */
    private dev.perso.emv.cps.CpsPersonalizer personalizer(dev.perso.crypto.CryptoBackend crypto,
        List<ApplicationData> data, dev.perso.emv.cps.CardProfile given, dev.perso.crypto.KeyRef kek,
        dev.perso.core.Bytes kmcBytes, Map<Boolean, dev.perso.crypto.KeyRef> kmcs) {
      dev.perso.emv.cps.CpsPersonalizer.Builder b = dev.perso.emv.cps.CpsPersonalizer.builder(crypto);
      java.util.Set<String> added = new java.util.HashSet<>();
      for (ApplicationData a : data) {
        if (!added.add(a.profile())) {
          continue;
        }
        dev.perso.emv.cps.CardProfile profile = profileFor(a.profile(), given);
        boolean scp03 = profile.secureChannel().scp() == 3;
        // One KMC key object per cipher for the whole batch, not one per card; wiped when the run ends.
        b.profile(profile, kmcs.computeIfAbsent(scp03, aes -> aes
            ? CryptoCommand.key("--kmc", kmcBytes, "--kmc", CryptoCommand.AES, dev.perso.crypto.KeyUsage.KMC)
            : CryptoCommand.desKey("--kmc", kmcBytes, dev.perso.crypto.KeyUsage.KMC)));
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
      return b.build();
    }
  }
}
