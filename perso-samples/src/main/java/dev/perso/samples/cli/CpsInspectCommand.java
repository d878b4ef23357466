package dev.perso.samples.cli;

import dev.perso.core.PersoException;
import dev.perso.core.tlv.Tlv;
import dev.perso.core.tlv.TlvPrinter;
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
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code perso cps inspect}: the cards, applications and DGIs of a perso-data file, offline. */
@Command(name = "inspect", description = "List the cards, applications and DGIs of a perso-data file "
    + "(JSON Lines, or a DGI script ending in .dgi). Sensitive DGIs (8xxx, or encrypted under a transport key) "
    + "appear as lengths only; TLV content is shown with PAN, track and name values masked.")
final class CpsInspectCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Mixin
  OutputOptions output;

  @Mixin
  CpsCommand.LineLimit limit;

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
    try (RecordSource source = CpsCommand.open(file, max); OutputOptions.JsonStream json = output.json ? output.stream(out) : null) {
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
