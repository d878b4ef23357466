package dev.perso.samples.cli;

import dev.perso.core.Bytes;
import dev.perso.crypto.ClearKeyRef;
import dev.perso.crypto.Derivation;
import dev.perso.crypto.KeyRef;
import dev.perso.crypto.SoftwareBackend;
import dev.perso.gp.Diversification;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code perso gp diversify}: the card keys a KMC gives with each diversification. */
@Command(name = "diversify", mixinStandardHelpOptions = true,
    description = "Derive a card's static ENC, MAC and DEK keys from a master key (KMC) and the KDD, with KCVs "
        + "(3DES: ECB of zeros; AES: GP convention, ECB of 01 bytes). With --method none, 16/24-byte keys are 3DES "
        + "and 32-byte keys AES; kdf3 takes AES keys; emv and visa2 take 3DES keys.")
final class GpDiversifyCommand implements Runnable {
  @Spec
  CommandSpec spec;
  @Mixin
  OutputOptions output;
  @Option(names = "--key", required = true, paramLabel = "KEY", description = "The master key (KMC): "
      + KeyInput.SYNTAX + ".")
  String key;
  @Option(names = "--kdd", required = true, paramLabel = "HEX20", description = "Key diversification data, 10 bytes.")
  String kdd;
  @Option(names = "--method", required = true, paramLabel = "none|emv|visa2|kdf3", description = "Diversification.")
  String method;

  @Override
  public void run() {
    Diversification d = GpCommand.method(method);
    Bytes kddBytes = GpCommand.hex("--kdd", kdd, 10);
    Bytes raw = KeyInput.read(spec, "--key", key);
    boolean aes = d == Diversification.KDF3 || (d.isNone() && raw.length() == 32);
    try (SoftwareBackend crypto = new SoftwareBackend(); ClearKeyRef kmc = GpCommand.key("--key", raw, aes)) {
      KeyRef[] keys = new KeyRef[3];
      if (d.isNone()) {
        keys[0] = kmc;
        keys[1] = kmc;
        keys[2] = kmc;
      } else {
        Derivation.GpCardKey[] which = Derivation.GpCardKey.values();
        for (int i = 0; i < 3; i++) {
          keys[i] = crypto.derive(kmc, Derivation.gpDiversification(d.method().orElseThrow(), which[i], kddBytes));
        }
      }
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("enc", GpCommand.clearHex(keys[0]));
      out.put("mac", GpCommand.clearHex(keys[1]));
      out.put("dek", GpCommand.clearHex(keys[2]));
      out.put("kcvEnc", GpCommand.kcv(crypto, keys[0]));
      out.put("kcvMac", GpCommand.kcv(crypto, keys[1]));
      out.put("kcvDek", GpCommand.kcv(crypto, keys[2]));
      if (!d.isNone()) {
        for (KeyRef k : keys) {
          ((ClearKeyRef) k).close();
        }
      }
      output.print(spec.commandLine().getOut(), out, GpCommand.text(out));
    }
  }
}
