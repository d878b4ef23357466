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
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code perso cps ...}: EMV CPS perso-data tools. */
@Command(name = "cps", description = "EMV CPS personalization data.", subcommands = {CpsCommand.Inspect.class})
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
}
