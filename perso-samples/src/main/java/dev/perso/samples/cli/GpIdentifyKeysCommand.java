package dev.perso.samples.cli;

import dev.perso.core.Bytes;
import dev.perso.core.ValidationException;
import dev.perso.crypto.ClearKeyRef;
import dev.perso.crypto.SoftwareBackend;
import dev.perso.gp.CardCryptogram;
import dev.perso.gp.Diversification;
import dev.perso.gp.GpKeys;
import dev.perso.gp.GpOptions;
import dev.perso.gp.InitializeUpdateResponse;
import dev.perso.gp.Scp02Variant;
import dev.perso.gp.ScpVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code perso gp identify-keys}: which keys and diversification verify an INITIALIZE UPDATE response. */
@Command(name = "identify-keys", mixinStandardHelpOptions = true,
    description = "Find which of the given keys, with which diversification (none, emv, visa2, kdf3), verify the "
        + "card cryptogram of an INITIALIZE UPDATE response. Never talks to a card, so it cannot lock one. "
        + "\"key\" is the 0-based index of --key. For SCP02 (whose card does not state i), \"i\" is 55 when the "
        + "card challenge is the pseudo-random one for the selected AID (--aid, default the ISD A000000151000000), "
        + "otherwise 15 (05 and 45 cannot be told apart offline).")
final class GpIdentifyKeysCommand implements Runnable {
  @Spec
  CommandSpec spec;
  @Mixin
  OutputOptions output;
  @Option(names = "--iu-response", required = true, paramLabel = "HEX",
      description = "The INITIALIZE UPDATE response data, with or without its status word.")
  String iuResponse;
  @Option(names = "--host-challenge", required = true, paramLabel = "HEX", description = "The host challenge sent.")
  String hostChallenge;
  @Option(names = "--key", required = true, paramLabel = "KEY", description = "A candidate key; repeat for more: "
      + KeyInput.SYNTAX + ".")
  List<String> keys;
  @Option(names = "--aid", paramLabel = "HEX", description = "The AID selected before INITIALIZE UPDATE (the "
      + "pseudo-random challenge is the card's MAC over it); default the ISD A000000151000000.")
  String aid;

  @Override
  public void run() {
    InitializeUpdateResponse iu = InitializeUpdateResponse.parse(GpCommand.hex("--iu-response", iuResponse));
    // the protocol decides the keys' cipher and the challenge length; SCP02's "i" is found per match below
    ScpVersion stated = iu.version(Scp02Variant.I_15);
    Bytes host = GpCommand.hex("--host-challenge", hostChallenge, stated.hostChallengeLength());
    List<Map<String, Object>> matches = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    Bytes selected = aid == null ? GpOptions.ISD_AID : GpCommand.hex("--aid", aid);
    List<ClearKeyRef> parsed = new ArrayList<>();
    try (SoftwareBackend crypto = new SoftwareBackend()) {
      List<GpKeys> candidates = new ArrayList<>();
      Map<GpKeys, Integer> keyIndex = new java.util.IdentityHashMap<>();
      Map<GpKeys, Diversification> method = new java.util.IdentityHashMap<>();
      for (int n = 0; n < keys.size(); n++) {
        Bytes raw = KeyInput.read(spec, "--key", keys.get(n));
        boolean fits = raw.length() == 16 || raw.length() == 24 || stated.aes() && raw.length() == 32;
        if (!fits) {
          throw new ValidationException("--key", "key " + n + " has " + raw.length() + " bytes, which SCP"
              + iu.scpHex() + " cannot use");
        }
        ClearKeyRef k = GpCommand.key("--key", raw, stated.aes());
        parsed.add(k);
        for (Diversification d : Diversification.builtIns()) {
          GpKeys candidate = GpKeys.diversified(k, d);
          candidates.add(candidate);
          keyIndex.put(candidate, n);
          method.put(candidate, d);
        }
      }
      // The library's own search: every key x diversification whose card cryptogram verifies.
      for (GpKeys match : CardCryptogram.matching(crypto, candidates, iu, host)) {
        String i = String.format("%02X", CardCryptogram.version(crypto, match, selected, iu).i());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", keyIndex.get(match));
        m.put("method", method.get(match).name());
        m.put("scp", iu.scpHex());
        m.put("i", i);
        matches.add(m);
        text.append("key #").append(keyIndex.get(match)).append(" with diversification ").append(method.get(match).name())
            .append(": SCP").append(iu.scpHex()).append(" i=").append(i).append(" (card cryptogram verifies)\n");
      }
    } finally {
      parsed.forEach(ClearKeyRef::close);
    }
    if (matches.isEmpty()) {
      text.append("no key/diversification verifies the card cryptogram (KDD ").append(iu.kdd().toHex())
          .append(", key version ").append(String.format("%02X", iu.keyVersion())).append(")\n");
    }
    output.print(spec.commandLine().getOut(), Map.of("matches", matches), text.toString());
  }
}
