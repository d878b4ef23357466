package dev.perso.samples.cli;

import dev.perso.core.Bytes;
import dev.perso.core.internal.Hex;
import dev.perso.devices.atr.Atr;
import dev.perso.devices.atr.FiDi;
import dev.perso.devices.atr.HistoricalBytes;
import dev.perso.devices.atr.Protocol;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code perso atr parse HEX}: explains an Answer To Reset (ISO/IEC 7816-3), offline.
 *
 * <pre>
 * perso atr parse 3BF81300008131FE454A434F5076323431B7
 * perso atr parse --json "3B 95 13 81 01 80 73 FF 01 00 0B"
 * </pre>
 */
@Command(name = "atr", description = "Answer To Reset tools.", subcommands = {AtrCommand.Parse.class})
final class AtrCommand extends CommandGroup {

  @Command(name = "parse", description = "Parse an ATR: convention, every interface byte, Fi/Di, protocols with "
      + "their T=0 (WI) and T=1 (IFSC, BWI, CWI, EDC) parameters, historical bytes (compact-TLV, status "
      + "indicator) and TCK. A malformed ATR is reported with the offset of the offending byte.")
  static final class Parse implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "HEX", description = "The ATR in hex; spaces and colons are ignored.")
    String hex;

    @Override
    public void run() {
      Atr atr = Atr.parse(CryptoCommand.hex("HEX", hex));
      output.print(spec.commandLine().getOut(), json(atr), atr.describe());
    }
  }

  /**
   * @param atr a parsed ATR
   * @return its fields as a JSON-ready map
   */
  static Map<String, Object> json(Atr atr) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("atr", atr.bytes().toHex());
    m.put("convention", atr.convention().name());
    m.put("t0", Hex.byteToHex(atr.t0()));
    m.put("historicalLength", atr.t0() & 0x0F);
    List<Object> groups = new ArrayList<>();
    for (Atr.InterfaceGroup g : atr.groups()) {
      Map<String, Object> gm = new LinkedHashMap<>();
      gm.put("i", g.index());
      g.qualifier().ifPresent(q -> gm.put("qualifier", q.toString()));
      put(gm, "ta", g.ta());
      put(gm, "tb", g.tb());
      put(gm, "tc", g.tc());
      put(gm, "td", g.td());
      groups.add(gm);
    }
    m.put("interfaceBytes", groups);
    m.put("ta1", Hex.byteToHex(atr.fiDi()));
    if (FiDi.isValid(atr.fiDi())) {
      m.put("fi", atr.fi());
      m.put("di", atr.di());
      m.put("cyclesPerEtu", FiDi.cyclesPerEtu(atr.fiDi()));
    }
    m.put("extraGuardTime", atr.extraGuardTime());
    m.put("protocols", atr.protocols().stream().map(Protocol::toString).toList());
    m.put("specificMode", atr.specificMode());
    atr.specificProtocol().ifPresent(p -> m.put("specificProtocol", p.toString()));
    if (atr.protocols().contains(Protocol.T0)) {
      m.put("t0Parameters", Map.of("wi", atr.wi()));
    }
    if (atr.protocols().contains(Protocol.T1)) {
      Map<String, Object> t1 = new LinkedHashMap<>();
      t1.put("ifsc", atr.ifsc());
      t1.put("bwi", atr.bwi());
      t1.put("cwi", atr.cwi());
      t1.put("edc", atr.edc().name());
      m.put("t1Parameters", t1);
    }
    atr.clockStop().ifPresent(c -> m.put("clockStop", c.name()));
    if (!atr.voltageClasses().isEmpty()) {
      m.put("voltageClasses", atr.voltageClasses().stream().map(Enum::name).toList());
    }
    m.put("historical", historical(atr.historical()));
    OptionalInt tck = atr.tck();
    m.put("tck", tck.isPresent() ? Hex.byteToHex(tck.getAsInt()) : null);
    return m;
  }

  private static Map<String, Object> historical(HistoricalBytes h) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("hex", h.raw().toHex());
    h.text().ifPresent(t -> m.put("text", t));
    put(m, "category", h.category());
    if (h.isCompactTlv()) {
      List<Object> objects = new ArrayList<>();
      for (HistoricalBytes.CompactTlv o : h.objects()) {
        Map<String, Object> om = new LinkedHashMap<>();
        om.put("tag", Integer.toHexString(o.tag()).toUpperCase());
        om.put("value", o.value().toHex());
        objects.add(om);
      }
      m.put("compactTlv", objects);
    }
    put(m, "lifeCycleStatus", h.lifeCycleStatus());
    h.statusWord().ifPresent(sw -> m.put("sw", sw.toHex()));
    h.problem().ifPresent(p -> m.put("problem", p));
    return m;
  }

  private static void put(Map<String, Object> m, String key, OptionalInt v) {
    if (v.isPresent()) {
      m.put(key, Hex.byteToHex(v.getAsInt()));
    }
  }
}
