package dev.perso.samples.cli;

import dev.perso.core.PersoException;
import dev.perso.core.tlv.Tlv;
import dev.perso.core.tlv.TlvPrinter;
import dev.perso.emv.cps.ApplicationData;
import dev.perso.emv.cps.DgiScript;
import dev.perso.emv.cps.InputDgi;
import dev.perso.emv.cps.JsonLinesPersoData;
import dev.perso.emv.cps.PersoDataSource;
import dev.perso.emv.cps.PersoInput;
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

/** {@code perso cps ...}: EMV CPS perso-data tools. */
@Command(name = "cps", description = "EMV CPS personalization data.",
    subcommands = {CpsCommand.Inspect.class, CpsCommand.Script.class})
final class CpsCommand extends CommandGroup {

  /**
   * @param file a perso-data file: {@code .dgi} / {@code .txt} is a DGI script, anything else JSON Lines
   * @return a streaming source
   */
  static PersoDataSource open(Path file) {
    String n = file.getFileName().toString();
    return n.endsWith(".dgi") || n.endsWith(".txt") ? DgiScript.open(file) : JsonLinesPersoData.open(file);
  }

  @Command(name = "inspect", description = "List the cards, applications and DGIs of a perso-data file "
      + "(JSON Lines, or a DGI script ending in .dgi). Sensitive DGIs (8xxx, or encrypted under a transport key) "
      + "appear as lengths only; TLV content is shown with PAN, track and name values masked.")
  static final class Inspect implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "FILE", description = "The perso-data file.")
    Path file;

    @Override
    public void run() {
      List<Object> cards = new ArrayList<>();
      StringBuilder text = new StringBuilder();
      int ok = 0;
      int rejected = 0;
      try (PersoDataSource source = open(file)) {
        while (source.hasNext()) {
          PersoInput in = source.next();
          Map<String, Object> card = new LinkedHashMap<>();
          card.put("location", in.location());
          if (in instanceof PersoInput.Rejected) {
            PersoInput.Rejected r = (PersoInput.Rejected) in;
            rejected++;
            card.put("cardId", r.cardId());
            card.put("rejected", r.reason().getMessage());
            text.append("card ").append(r.cardId()).append("  REJECTED  ").append(r.reason().getMessage()).append('\n');
          } else {
            PersoInput.Card c = (PersoInput.Card) in;
            ok++;
            card.put("cardId", c.data().cardId());
            text.append("card ").append(c.data().cardId()).append("  (").append(in.location()).append(")\n");
            List<Object> apps = new ArrayList<>();
            for (ApplicationData a : c.data().applications()) {
              apps.add(application(a, text));
            }
            card.put("applications", apps);
            card.put("magstripeFields", new ArrayList<>(c.data().magstripe().keySet()));
            card.put("surfaceFields", new ArrayList<>(c.data().surface().keySet()));
          }
          cards.add(card);
        }
      }
      text.append(ok).append(" card(s), ").append(rejected).append(" rejected\n");
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("file", file.getFileName().toString());
      json.put("cards", cards);
      json.put("accepted", ok);
      json.put("rejected", rejected);
      output.print(spec.commandLine().getOut(), json, text.toString());
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
        if (sensitive) {
          m.put("sensitive", true);
          text.append(d.transportKey().map(k -> "  encrypted under " + k).orElse("  sensitive")).append('\n');
        } else {
          Optional<List<Tlv>> tlv = tlv(d);
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

  @Command(name = "script", description = "Offline dry run: print the exact APDUs (SELECT through the last STORE "
      + "DATA) that would personalize one card, given the card's INITIALIZE UPDATE response. Never talks to a card. "
      + "The card's profile is one of the shipped examples (vsdc-example, mchip-example).")
  static final class Script implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Option(names = "--input", required = true, paramLabel = "FILE", description = "Perso data (JSON Lines or .dgi).")
    Path input;

    @Option(names = "--card", required = true, paramLabel = "ID", description = "The card id.")
    String cardId;

    @Option(names = "--key", required = true, paramLabel = "HEX", description = "The KMC (TDES for SCP02, AES for SCP03).")
    String key;

    @Option(names = "--method", paramLabel = "emv|visa2|kdf3|none",
        description = "Diversification; default: the profile's.")
    String method;

    @Option(names = "--host-challenge", required = true, paramLabel = "HEX", description = "The host challenge.")
    String hostChallenge;

    @Option(names = "--iu-response", required = true, paramLabel = "HEX",
        description = "The card's INITIALIZE UPDATE response, with or without its status word.")
    String iuResponse;

    @Option(names = "--transport-kek", paramLabel = "HEX",
        description = "The transport KEK the data's sensitive DGIs are under (named as in the file).")
    String transportKek;

    @Override
    public void run() {
      dev.perso.emv.cps.CardPersoData card = findCard();
      String profileName = card.applications().get(0).profile();
      dev.perso.emv.cps.CardProfile profile = dev.perso.emv.cps.CardProfile.example(profileName);
      if (method != null) {
        dev.perso.emv.cps.SecureChannelProfile sc = profile.secureChannel();
        profile = profile.newBuilder().secureChannel(new dev.perso.emv.cps.SecureChannelProfile(sc.scp(), sc.i(),
            sc.securityLevel(), sc.keyVersion(), method)).build();
      }
      boolean scp03 = profile.secureChannel().scp() == 3;
      dev.perso.crypto.KeyRef kmc = scp03
          ? CryptoCommand.key("--key", key, "aes", dev.perso.crypto.KeyUsage.KMC)
          : CryptoCommand.desKey("--key", key, dev.perso.crypto.KeyUsage.KMC);
      dev.perso.core.Bytes iu = dev.perso.core.Bytes.fromHex(iuResponse);
      if (iu.length() > 2 && iu.slice(iu.length() - 2).equals(dev.perso.core.Bytes.fromHex("9000"))
          && (iu.length() - 2 == 28 || iu.length() - 2 == 29 || iu.length() - 2 == 32 || iu.length() - 2 == 45
          || iu.length() - 2 == 48)) {
        iu = iu.slice(0, iu.length() - 2);
      }
      dev.perso.core.Bytes iuData = iu;
      try (dev.perso.crypto.CryptoBackend crypto = new dev.perso.crypto.SoftwareBackend()) {
        dev.perso.emv.cps.CpsPersonalizer.Builder b = dev.perso.emv.cps.CpsPersonalizer.builder(crypto)
            .profile(profile, kmc).hostChallenge(dev.perso.core.Bytes.fromHex(hostChallenge));
        if (transportKek != null) {
          dev.perso.crypto.KeyRef kek = CryptoCommand.desKey("--transport-kek", transportKek, dev.perso.crypto.KeyUsage.KEK);
          card.applications().forEach(a -> a.dgis().forEach(d -> d.transportKey().ifPresent(n -> b.transportKey(n, kek))));
        }
        List<String> apdus = new ArrayList<>();
        // A recording card: OK to everything, the given INITIALIZE UPDATE response to INITIALIZE UPDATE.
        dev.perso.core.channel.CardChannel recorder = c -> {
          apdus.add(c.encode().toHex());
          return c.ins() == 0x50 ? dev.perso.core.apdu.ResponseApdu.of(iuData, 0x9000)
              : dev.perso.core.apdu.ResponseApdu.of(0x9000);
        };
        b.build().personalize(recorder, card);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("apdus", apdus);
        output.print(spec.commandLine().getOut(), json, String.join("\n", apdus));
      }
    }

    private dev.perso.emv.cps.CardPersoData findCard() {
      try (PersoDataSource source = open(input)) {
        while (source.hasNext()) {
          PersoInput in = source.next();
          if (in instanceof PersoInput.Card && ((PersoInput.Card) in).data().cardId().equals(cardId)) {
            return ((PersoInput.Card) in).data();
          }
          if (in instanceof PersoInput.Rejected && ((PersoInput.Rejected) in).cardId().equals(cardId)) {
            throw ((PersoInput.Rejected) in).reason();
          }
        }
      }
      throw new dev.perso.core.ValidationException("--card", "no card '" + cardId + "' in " + input.getFileName());
    }
  }
}
