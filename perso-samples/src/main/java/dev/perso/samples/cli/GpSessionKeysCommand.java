package dev.perso.samples.cli;

import dev.perso.core.Bytes;
import dev.perso.core.ValidationException;
import dev.perso.crypto.ClearKeyRef;
import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.Derivation;
import dev.perso.crypto.KeyRef;
import dev.perso.crypto.SoftwareBackend;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code perso gp session-keys}: SCP02/SCP03 session keys from static keys. */
@Command(name = "session-keys", mixinStandardHelpOptions = true,
    description = "Compute session keys from one static key used as ENC, MAC and DEK. SCP02 needs --seq; "
        + "SCP03 needs --host-challenge and --card-challenge.")
final class GpSessionKeysCommand implements Runnable {
  @Spec
  CommandSpec spec;
  @Mixin
  OutputOptions output;
  @Option(names = "--scp", required = true, paramLabel = "02|03", description = "Secure channel protocol.")
  String scp;
  @Option(names = "--key", required = true, paramLabel = "KEY", description = "The static key (ENC = MAC = DEK): "
      + KeyInput.SYNTAX + ".")
  String key;
  @Option(names = "--seq", paramLabel = "HEX4", description = "SCP02 sequence counter, 2 bytes.")
  String seq;
  @Option(names = "--host-challenge", paramLabel = "HEX", description = "SCP03 host challenge, 8 or 16 bytes.")
  String hostChallenge;
  @Option(names = "--card-challenge", paramLabel = "HEX", description = "SCP03 card challenge, 8 or 16 bytes.")
  String cardChallenge;

  @Override
  public void run() {
    Map<String, Object> out = new LinkedHashMap<>();
    try (SoftwareBackend crypto = new SoftwareBackend()) {
      if (scp.equals("02") || scp.equals("2")) {
        if (seq == null) {
          throw new ValidationException("--seq", "SCP02 needs the 2-byte sequence counter");
        }
        Bytes s = GpCommand.hex("--seq", seq, 2);
        try (ClearKeyRef k = GpCommand.key("--key", KeyInput.read(spec, "--key", key), false)) {
          out.put("enc", derived(crypto, k, Derivation.gpScp02(Derivation.Scp02Key.S_ENC, s)));
          out.put("cmac", derived(crypto, k, Derivation.gpScp02(Derivation.Scp02Key.C_MAC, s)));
          out.put("rmac", derived(crypto, k, Derivation.gpScp02(Derivation.Scp02Key.R_MAC, s)));
          out.put("dek", derived(crypto, k, Derivation.gpScp02(Derivation.Scp02Key.DEK, s)));
        }
      } else if (scp.equals("03") || scp.equals("3")) {
        if (hostChallenge == null || cardChallenge == null) {
          throw new ValidationException("--host-challenge", "SCP03 needs --host-challenge and --card-challenge");
        }
        Bytes host = GpCommand.hex("--host-challenge", hostChallenge, 8, 16);
        Bytes card = GpCommand.hex("--card-challenge", cardChallenge, host.length());
        Bytes context = host.concat(card);
        try (ClearKeyRef k = GpCommand.key("--key", KeyInput.read(spec, "--key", key), true)) {
          out.put("enc", derived(crypto, k, Derivation.gpScp03(Derivation.Scp03Key.S_ENC, context)));
          out.put("mac", derived(crypto, k, Derivation.gpScp03(Derivation.Scp03Key.S_MAC, context)));
          out.put("rmac", derived(crypto, k, Derivation.gpScp03(Derivation.Scp03Key.S_RMAC, context)));
        }
      } else {
        throw new ValidationException("--scp", "must be 02 or 03, was " + scp);
      }
    }
    output.print(spec.commandLine().getOut(), out, GpCommand.text(out));
  }

  private static String derived(CryptoBackend crypto, KeyRef k, Derivation d) {
    try (ClearKeyRef s = (ClearKeyRef) crypto.derive(k, d)) {
      return s.toSecretBytes().toHex();
    }
  }
}
