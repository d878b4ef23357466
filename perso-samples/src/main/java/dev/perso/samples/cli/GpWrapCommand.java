package dev.perso.samples.cli;

import dev.perso.core.Bytes;
import dev.perso.core.ValidationException;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.channel.CardChannel;
import dev.perso.crypto.ClearKeyRef;
import dev.perso.crypto.SoftwareBackend;
import dev.perso.gp.ChallengeStatus;
import dev.perso.gp.Diversification;
import dev.perso.gp.GpKeys;
import dev.perso.gp.GpOptions;
import dev.perso.gp.GpSecureChannel;
import dev.perso.gp.InitializeUpdateResponse;
import dev.perso.gp.Scp02Variant;
import dev.perso.gp.ScpVersion;
import dev.perso.gp.SecurityLevel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code perso gp wrap}: wraps commands under a secure channel, offline. */
@Command(name = "wrap", mixinStandardHelpOptions = true,
    description = "Offline calculator: from the host challenge and the card's INITIALIZE UPDATE response, print "
        + "EXTERNAL AUTHENTICATE and each APDU wrapped at the level. Give --key [--method] or --enc --mac [--dek].")
final class GpWrapCommand implements Runnable {
  @Spec
  CommandSpec spec;
  @Mixin
  OutputOptions output;
  @Option(names = "--key", paramLabel = "KEY", description = "One static key, or the KMC with --method: "
      + KeyInput.SYNTAX + ".")
  String key;
  @Option(names = "--method", paramLabel = "none|emv|visa2|kdf3", defaultValue = "none",
      description = "Diversification of --key (default none).")
  String method;
  @Option(names = "--enc", paramLabel = "KEY", description = "Static ENC key (as --key).")
  String enc;
  @Option(names = "--mac", paramLabel = "KEY", description = "Static MAC key (as --key).")
  String mac;
  @Option(names = "--dek", paramLabel = "KEY", description = "Static DEK (as --key).")
  String dek;
  @Option(names = "--host-challenge", required = true, paramLabel = "HEX", description = "The host challenge sent.")
  String hostChallenge;
  @Option(names = "--iu-response", required = true, paramLabel = "HEX",
      description = "The INITIALIZE UPDATE response data, with or without its status word.")
  String iuResponse;
  @Option(names = "--level", required = true, paramLabel = "HEX2", description = "Security level: 00 01 03 10 11 13 33.")
  String level;
  @Option(names = "--i", paramLabel = "HEX2", description = "SCP02 i: 05, 15 (default), 45, 55. SCP03 takes i from the card.")
  String i;
  @Option(names = "--aid", paramLabel = "HEX", defaultValue = "A000000151000000",
      description = "The selected AID, for pseudo-random challenges (default: the ISD AID).")
  String aid;
  @Option(names = "--skip-challenge-check",
      description = "Report a non-conforming pseudo-random card challenge instead of failing.")
  boolean skipChallengeCheck;
  @Option(names = "--apdu", required = true, paramLabel = "HEX", description = "A plain command APDU; repeat for more.")
  List<String> apdus;

  @Override
  public void run() {
    InitializeUpdateResponse iu = InitializeUpdateResponse.parse(GpCommand.hex("--iu-response", iuResponse));
    // the protocol decides the keys' cipher and the challenge length; SCP02's "i" comes from --i below
    ScpVersion stated = iu.version(Scp02Variant.I_15);
    boolean aes = stated.aes();
    Bytes host = GpCommand.hex("--host-challenge", hostChallenge, stated.hostChallengeLength());
    SecurityLevel lvl = SecurityLevel.fromP1(GpCommand.hex("--level", level, 1).getUnsigned(0));
    List<CommandApdu> commands = new ArrayList<>();
    for (String a : apdus) {
      commands.add(CommandApdu.parse(GpCommand.hex("--apdu", a)));
    }
    List<ClearKeyRef> opened = new ArrayList<>();
    try (SoftwareBackend crypto = new SoftwareBackend()) {
      GpKeys keys;
      if (key != null) {
        if (enc != null || mac != null || dek != null) {
          throw new ValidationException("--key", "give either --key or --enc/--mac/--dek, not both");
        }
        ClearKeyRef k = GpCommand.key("--key", KeyInput.read(spec, "--key", key), aes);
        opened.add(k);
        keys = GpKeys.diversified(k, GpCommand.method(method));
      } else {
        if (enc == null || mac == null) {
          throw new ValidationException("--enc", "give --key, or --enc and --mac (and --dek)");
        }
        ClearKeyRef e = GpCommand.key("--enc", KeyInput.read(spec, "--enc", enc), aes);
        ClearKeyRef m = GpCommand.key("--mac", KeyInput.read(spec, "--mac", mac), aes);
        ClearKeyRef d = dek == null ? null : GpCommand.key("--dek", KeyInput.read(spec, "--dek", dek), aes);
        opened.add(e);
        opened.add(m);
        if (d != null) {
          opened.add(d);
        }
        keys = GpKeys.of(e, m, d);
      }
      GpOptions.Builder ob = GpOptions.builder(crypto).level(lvl).hostChallenge(host).aid(GpCommand.hex("--aid", aid))
          .challengeCheck(skipChallengeCheck ? GpOptions.ChallengeCheck.REPORT : GpOptions.ChallengeCheck.VERIFY)
          .scp03Mode(host.length() == 16 ? GpOptions.Scp03Mode.S16 : GpOptions.Scp03Mode.S8);
      // without --i, an SCP02 card is taken as the options' default variant (no challenge check is guessed)
      ScpVersion v = i == null && stated instanceof ScpVersion.Scp02Protocol ? iu.version(ob.build().scp02Variant())
          : GpCommand.version(iu, i == null ? null : GpCommand.hex("--i", i, 1).getUnsigned(0), crypto, keys,
              GpCommand.hex("--aid", aid));
      List<CommandApdu> sent = new ArrayList<>();
      CardChannel offline = c -> {
        sent.add(c);
        return ResponseApdu.of(0x9000);
      };
      GpOptions options = v.configure(ob).build();
      Map<String, Object> out = new LinkedHashMap<>();
      List<String> wrapped = new ArrayList<>();
      try (GpSecureChannel s = v.authenticate(offline, keys, options, iu)) {
        out.put("externalAuthenticate", sent.get(0).encode().toHex());
        for (CommandApdu c : commands) {
          wrapped.add(s.wrap(c).encode().toHex());
        }
        out.put("apdus", wrapped);
        if (s.challengeStatus() == ChallengeStatus.MISMATCH_IGNORED) {
          out.put("warning", "the card's pseudo-random challenge does not match AID " + aid.toUpperCase()
              + "; check skipped (--skip-challenge-check)");
        }
      }
      StringBuilder text = new StringBuilder();
      text.append("EXTERNAL AUTHENTICATE  ").append(out.get("externalAuthenticate")).append('\n');
      for (int n = 0; n < wrapped.size(); n++) {
        text.append(String.format("APDU %-17d  %s%n", n + 1, wrapped.get(n)));
      }
      if (out.containsKey("warning")) {
        text.append("WARNING: ").append(out.get("warning")).append('\n');
      }
      output.print(spec.commandLine().getOut(), out, text.toString());
    } finally {
      opened.forEach(ClearKeyRef::close);
    }
  }
}
