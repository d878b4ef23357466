package dev.perso.samples.cli;

import dev.perso.core.Bytes;
import dev.perso.core.CryptoException;
import dev.perso.core.ValidationException;
import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.CryptogramKeyRef;
import dev.perso.crypto.KcvMethod;
import dev.perso.crypto.KeyAlgorithm;
import dev.perso.crypto.KeyComponent;
import dev.perso.crypto.KeyRef;
import dev.perso.crypto.KeyTemplate;
import dev.perso.crypto.KeyUsage;
import dev.perso.crypto.payshield.PayShieldBackend;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code perso hsm ...}: key ceremony on a payment HSM. {@code perso hsm import} forms a key under the LMK
 * from 2 or 3 clear components, each checked against its KCV, or imports a key given under a KEK (A6, KCV
 * checked), and prints the key under the LMK with its KCV, ready for {@code --crypto payshield://…} commands.
 */
@Command(name = "hsm", description = "Payment HSM key ceremony: import keys under the LMK.",
    subcommands = {HsmCommand.ImportCmd.class})
final class HsmCommand extends CommandGroup {

  static KeyUsage usage(String value) {
    try {
      return KeyUsage.valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new ValidationException("--usage", "must be one of cvk, pvk, imk-ac, imk-smi, imk-smc, imk-dn, kmc, kek, "
          + "dek, enc, mac, rmac, data; was " + value);
    }
  }

  @Command(name = "import", description = "Form a key under the HSM's LMK from clear components with their KCVs "
      + "(--component KEY --component-kcv HEX, 2 or 3 times), or import one under a KEK (--kek U… --cryptogram HEX).")
  static final class ImportCmd implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Option(names = "--crypto", required = true, paramLabel = "payshield://HOST:PORT") String crypto;
    @Option(names = "--usage", required = true, paramLabel = "cvk|pvk|imk-ac|kmc|kek|dek|…") String usage;
    @Option(names = "--component", paramLabel = "KEY", description = KeyInput.SYNTAX) List<String> components;
    @Option(names = "--component-kcv", paramLabel = "HEX") List<String> componentKcvs;
    @Option(names = "--kek", paramLabel = "U…", description = "KEK (a ZMK) under the LMK") String kek;
    @Option(names = "--cryptogram", paramLabel = "HEX", description = "the key encrypted (ECB) under --kek") String cryptogram;
    @Option(names = "--kcv", paramLabel = "HEX", description = "the key's expected check value") String kcv;

    @Override
    public void run() {
      if (!crypto.startsWith("payshield://")) {
        throw new ValidationException("--crypto", "perso hsm works with a payment HSM: payshield://HOST:PORT");
      }
      KeyUsage u = usage(usage);
      Map<String, Object> result = new LinkedHashMap<>();
      try (CryptoBackend hsm = CryptoBackends.open(crypto)) {
        KeyRef key;
        if (kek != null) {
          if (components != null || cryptogram == null || kcv == null) {
            throw new ValidationException("--kek", "takes --cryptogram and --kcv, and no --component");
          }
          Bytes c = CryptoCommand.hex("--cryptogram", cryptogram);
          key = hsm.importUnderKek(KeyTemplate.of(usage, algorithm("--cryptogram", c.length()), u),
              PayShieldBackend.key(kek, KeyUsage.KEK), c, CryptoCommand.hex("--kcv", kcv));
        } else {
          key = fromComponents(hsm, u);
        }
        CryptogramKeyRef g = (CryptogramKeyRef) key;
        String actual = g.kcv().isPresent() ? g.kcv().get().hex() : hsm.kcv(g, KcvMethod.ENCRYPT_ZEROS).hex();
        if (kcv != null && kek == null && !actual.startsWith(kcv.toUpperCase(Locale.ROOT))) {
          throw new CryptoException("the formed key's check value " + actual + " is not the expected " + kcv);
        }
        result.put("key", PayShieldBackend.wireForm(g));
        result.put("keyType", g.deviceKeyType().orElse(dev.perso.crypto.payshield.PayShieldBackend.keyTypeOf(u)));
        result.put("kcv", actual);
      }
      StringBuilder text = new StringBuilder();
      result.forEach((k, v) -> text.append(k).append(": ").append(v).append('\n'));
      output.print(spec.commandLine().getOut(), result, text.toString());
    }

    private KeyRef fromComponents(CryptoBackend hsm, KeyUsage u) {
      if (components == null || components.size() < 2 || components.size() > 3) {
        throw new ValidationException("--component", "give 2 or 3 components (or --kek and --cryptogram)");
      }
      if (componentKcvs == null || componentKcvs.size() != components.size()) {
        throw new ValidationException("--component-kcv", "give one KCV per --component, in the same order");
      }
      List<KeyComponent> parts = new ArrayList<>();
      KeyAlgorithm alg = null;
      for (int i = 0; i < components.size(); i++) {
        Bytes v = KeyInput.read(spec, "--component", components.get(i));
        alg = algorithm("--component", v.length());
        parts.add(KeyComponent.of(v, CryptoCommand.hex("--component-kcv", componentKcvs.get(i))));
      }
      return hsm.importComponents(KeyTemplate.of(usage, alg, u), parts);
    }

    private static KeyAlgorithm algorithm(String option, int length) {
      switch (length) {
        case 8: return KeyAlgorithm.DES;
        case 16: return KeyAlgorithm.TDES_2KEY;
        case 24: return KeyAlgorithm.TDES_3KEY;
        default: throw new ValidationException(option, "a DES key is 8, 16 or 24 bytes, was " + length);
      }
    }
  }
}
