package dev.perso.samples.cli;

import dev.perso.core.tlv.EmvTags;
import dev.perso.core.tlv.Tlv;
import dev.perso.core.tlv.TlvPrinter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code perso tlv decode HEX}: BER-TLV as a tree with EMV tag names. */
@Command(name = "tlv", description = "Decode BER-TLV.",
    subcommands = {TlvCommand.Decode.class})
final class TlvCommand extends CommandGroup {

  @Command(name = "decode",
      description = "Decode BER-TLV (EMV Book 3 Annex B) into a tree with EMV tag names. "
          + "Values of sensitive tags (PAN, track data, cardholder name...) are masked unless --reveal is given.")
  static final class Decode implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Option(names = "--reveal", description = "Show the values of sensitive tags (PAN, track data) too.")
    boolean reveal;

    @Parameters(index = "0", paramLabel = "HEX", description = "The TLV data in hex; spaces and colons are ignored.")
    String hex;

    @Override
    public void run() {
      List<Tlv> tlvs = Tlv.parseAll(CryptoCommand.hex("HEX", hex));
      TlvPrinter printer = reveal ? TlvPrinter.masked().revealingSecrets() : TlvPrinter.masked();
      List<Object> json = new ArrayList<>();
      for (Tlv t : tlvs) {
        json.add(toJson(t));
      }
      output.print(spec.commandLine().getOut(), json, printer.print(tlvs));
    }

    private Map<String, Object> toJson(Tlv t) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("tag", t.tag().toHex());
      EmvTags.name(t.tag()).ifPresent(n -> m.put("name", n));
      m.put("length", t.length());
      if (t.isConstructed()) {
        List<Object> children = new ArrayList<>();
        for (Tlv c : t.children()) {
          children.add(toJson(c));
        }
        m.put("children", children);
      } else if (reveal || !EmvTags.isSensitive(t.tag())) {
        m.put("value", t.value().toHex());
      } else {
        m.put("masked", true);
      }
      return m;
    }
  }
}
