package dev.perso.samples.cli;

import dev.perso.core.Bytes;
import dev.perso.core.MalformedDataException;
import dev.perso.core.ValidationException;
import dev.perso.crypto.ClearKeyRef;
import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.CvvInput;
import dev.perso.crypto.Derivation;
import dev.perso.crypto.Ibm3624;
import dev.perso.crypto.Kcv;
import dev.perso.crypto.KcvMethod;
import dev.perso.crypto.KeyAlgorithm;
import dev.perso.crypto.KeyRef;
import dev.perso.crypto.KeyUsage;
import dev.perso.crypto.MacAlgorithm;
import dev.perso.crypto.Padding;
import dev.perso.crypto.SoftwareBackend;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code perso crypto ...}: a card engineer's calculator over the {@code SoftwareBackend}. Keys typed on
 * the command line are never echoed in errors.
 */
@Command(name = "crypto", description = "Crypto calculator: KCV, CVV, PVV, IBM 3624, key derivation, MAC, ARQC.",
    subcommands = {CryptoCommand.KcvCmd.class, CryptoCommand.CvvCmd.class, CryptoCommand.PvvCmd.class,
        CryptoCommand.PinOffsetCmd.class, CryptoCommand.DeriveCmd.class, CryptoCommand.MacCmd.class,
        CryptoCommand.ArqcCmd.class})
final class CryptoCommand extends CommandGroup {

  /**
   * Parses a secret hex option without ever quoting it.
   *
   * @param option the option's name, e.g. {@code --key}
   * @param hex the value
   * @return the bytes, marked secret
   */
  static Bytes secretHex(String option, String hex) {
    try {
      return Bytes.fromHex(hex).asSecret();
    } catch (MalformedDataException e) {
      throw new ValidationException(option, "not hex (" + e.reason().replaceAll("'.*'", "a non-hex character")
          + " at character " + e.offset() + ")");
    }
  }

  static KeyRef desKey(String option, String hex, KeyUsage usage) {
    Bytes k = secretHex(option, hex);
    KeyAlgorithm alg = switch (k.length()) {
      case 8 -> KeyAlgorithm.DES;
      case 16 -> KeyAlgorithm.TDES_2KEY;
      case 24 -> KeyAlgorithm.TDES_3KEY;
      default -> throw new ValidationException(option, "a DES key is 8, 16 or 24 bytes, was " + k.length());
    };
    return opened(ClearKeyRef.of(alg, usage, k));
  }

  /** Keys parsed on this thread by {@link #desKey}/{@link #key}, wiped by {@link #closeKeys()}. */
  private static final ThreadLocal<java.util.List<ClearKeyRef>> OPENED = ThreadLocal.withInitial(java.util.ArrayList::new);

  private static ClearKeyRef opened(ClearKeyRef key) {
    OPENED.get().add(key);
    return key;
  }

  /** Wipes the keys this thread's command parsed (a {@code crypto} calculation, {@code cps run}). */
  static void closeKeys() {
    OPENED.get().forEach(ClearKeyRef::close);
    OPENED.remove();
  }

  static KeyRef key(String option, String hex, String cipher, KeyUsage usage) {
    if ("tdes".equals(cipher)) {
      return desKey(option, hex, usage);
    }
    if (!"aes".equals(cipher)) {
      throw new ValidationException("--alg", "must be tdes or aes, was " + cipher);
    }
    Bytes k = secretHex(option, hex);
    KeyAlgorithm alg = switch (k.length()) {
      case 16 -> KeyAlgorithm.AES_128;
      case 24 -> KeyAlgorithm.AES_192;
      case 32 -> KeyAlgorithm.AES_256;
      default -> throw new ValidationException(option, "an AES key is 16, 24 or 32 bytes, was " + k.length());
    };
    return opened(ClearKeyRef.of(alg, usage, k));
  }

  /** Shared plumbing: the backend, the {@code --json} option and printing one JSON object. */
  abstract static class Calc implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    final Map<String, Object> result = new LinkedHashMap<>();

    abstract void compute(CryptoBackend crypto);

    @Override
    public void run() {
      try (CryptoBackend crypto = new SoftwareBackend()) {
        compute(crypto);
      } finally {
        closeKeys();   // every key the command parsed is wiped before the result is printed
      }
      StringBuilder text = new StringBuilder();
      result.forEach((k, v) -> text.append(k).append(": ").append(v).append('\n'));
      output.print(spec.commandLine().getOut(), result, text.toString());
    }
  }

  @Command(name = "kcv", description = "Key check value. Methods: zeros (encrypt zeros), ones (GlobalPlatform AES, "
      + "encrypt 01x16), cmac (AES-CMAC of zeros, X9.24-1).")
  static final class KcvCmd extends Calc {
    @Option(names = "--key", required = true, paramLabel = "HEX") String key;
    @Option(names = "--alg", defaultValue = "tdes", paramLabel = "tdes|aes") String alg;
    @Option(names = "--method", paramLabel = "zeros|ones|cmac") String method;
    @Option(names = "--length", paramLabel = "N") Integer length;

    @Override
    void compute(CryptoBackend crypto) {
      KeyRef k = key("--key", key, alg, KeyUsage.KEK);
      KcvMethod m = method == null ? KcvMethod.ENCRYPT_ZEROS : switch (method) {
        case "zeros" -> KcvMethod.ENCRYPT_ZEROS;
        case "ones" -> KcvMethod.GP_AES_ONES;
        case "cmac" -> KcvMethod.AES_CMAC_ZEROS;
        default -> throw new ValidationException("--method", "must be zeros, ones or cmac, was " + method);
      };
      Kcv kcv = length == null ? crypto.kcv(k, m) : crypto.kcv(k, m, length);
      result.put("kcv", kcv.hex());
    }
  }

  @Command(name = "cvv", description = "Visa CVV / Mastercard CVC (service code 000 gives CVV2, 999 iCVV).")
  static final class CvvCmd extends Calc {
    @Option(names = "--cvk", required = true, paramLabel = "HEX32") String cvk;
    @Option(names = "--pan", required = true, paramLabel = "DIGITS") String pan;
    @Option(names = "--expiry", required = true, paramLabel = "YYMM") String expiry;
    @Option(names = "--service-code", required = true, paramLabel = "DDD") String serviceCode;

    @Override
    void compute(CryptoBackend crypto) {
      result.put("cvv", crypto.cvv(desKey("--cvk", cvk, KeyUsage.CVK), CvvInput.of(pan, expiry, serviceCode)));
    }
  }

  @Command(name = "pvv", description = "Visa PIN verification value.")
  static final class PvvCmd extends Calc {
    @Option(names = "--pvk", required = true, paramLabel = "HEX") String pvk;
    @Option(names = "--pvki", required = true, paramLabel = "D") int pvki;
    @Option(names = "--pin", required = true, paramLabel = "DDDD") String pin;
    @Option(names = "--pan", required = true, paramLabel = "DIGITS") String pan;

    @Override
    void compute(CryptoBackend crypto) {
      result.put("pvv", crypto.pvv(desKey("--pvk", pvk, KeyUsage.PVK), pan, pvki, pin));
    }
  }

  @Command(name = "pin-offset", description = "IBM 3624 natural PIN and PIN offset.")
  static final class PinOffsetCmd extends Calc {
    @Option(names = "--pvk", required = true, paramLabel = "HEX") String pvk;
    @Option(names = "--pan", required = true, paramLabel = "DIGITS") String pan;
    @Option(names = "--pin", required = true, paramLabel = "DIGITS") String pin;
    @Option(names = "--dec-table", required = true, paramLabel = "16DIGITS") String decTable;
    @Option(names = "--validation-data", required = true, paramLabel = "HEX16") String validationData;

    @Override
    void compute(CryptoBackend crypto) {
      if (!pan.matches("\\d{12,19}")) {
        throw new ValidationException("--pan", "must be 12..19 digits");
      }
      if (!pin.matches("\\d{4,12}")) {
        throw new ValidationException("--pin", "must be 4..12 digits");
      }
      KeyRef k = desKey("--pvk", pvk, KeyUsage.PVK);
      Ibm3624 params = Ibm3624.of(validationData, decTable, pin.length());
      result.put("naturalPin", crypto.ibm3624NaturalPin(k, params));
      result.put("offset", crypto.ibm3624Offset(k, params, pin));
    }
  }

  @Command(name = "derive", description = "EMV key derivation: option-a / option-b (ICC master key from an IMK), "
      + "common-sk (session key, R = 8 bytes), mchip-skd (Mastercard session key from ATC and UN).")
  static final class DeriveCmd extends Calc {
    @Option(names = "--method", required = true, paramLabel = "option-a|option-b|common-sk|mchip-skd") String method;
    @Option(names = "--key", required = true, paramLabel = "HEX") String key;
    @Option(names = "--pan", paramLabel = "D") String pan;
    @Option(names = "--psn", defaultValue = "00", paramLabel = "NN") String psn;
    @Option(names = "--r", paramLabel = "HEX16") String r;
    @Option(names = "--atc", paramLabel = "HEX4") String atc;
    @Option(names = "--un", paramLabel = "HEX8") String un;

    @Override
    void compute(CryptoBackend crypto) {
      Derivation d = switch (method.toLowerCase(Locale.ROOT)) {
        case "option-a" -> Derivation.emvOptionA(required("--pan", pan), psn);
        case "option-b" -> Derivation.emvOptionB(required("--pan", pan), psn);
        case "common-sk" -> Derivation.emvCommonSessionKey(Bytes.fromHex(required("--r", r)));
        case "mchip-skd" -> Derivation.mastercardSkd(Bytes.fromHex(required("--atc", atc)), Bytes.fromHex(required("--un", un)));
        default -> throw new ValidationException("--method", "must be option-a, option-b, common-sk or mchip-skd, was " + method);
      };
      KeyRef derived = crypto.derive(desKey("--key", key, KeyUsage.IMK_AC), d);
      if (!(derived instanceof ClearKeyRef)) {
        throw new ValidationException("--key", "the backend kept the derived key inside; it cannot be printed");
      }
      result.put("key", ((ClearKeyRef) derived).apply(dev.perso.core.Hex::encode));
      result.put("kcv", crypto.kcv(derived, KcvMethod.ENCRYPT_ZEROS).hex());
    }

    private static String required(String option, String value) {
      if (value == null) {
        throw new ValidationException(option, "is required for this --method");
      }
      return value;
    }
  }

  static Padding padding(String pad) {
    return switch (pad) {
      case "1" -> Padding.METHOD_1;
      case "2" -> Padding.METHOD_2;
      case "3" -> Padding.METHOD_3;
      default -> throw new ValidationException("--pad", "must be 1, 2 or 3 (ISO/IEC 9797-1 padding method), was " + pad);
    };
  }

  @Command(name = "mac", description = "MAC: ISO/IEC 9797-1 algorithm 1 or 3 with padding 1, 2 or 3, or CMAC "
      + "(which pads itself; --pad is then ignored).")
  static final class MacCmd extends Calc {
    @Option(names = "--alg", required = true, paramLabel = "iso9797-1-m1|iso9797-1-m3|cmac") String alg;
    @Option(names = "--pad", defaultValue = "2", paramLabel = "1|2|3") String pad;
    @Option(names = "--key", required = true, paramLabel = "HEX") String key;
    @Option(names = "--cipher", paramLabel = "tdes|aes",
        description = "Block cipher of the key; default aes for cmac, tdes otherwise.") String cipher;
    @Option(names = "--data", required = true, paramLabel = "HEX") String data;

    @Override
    void compute(CryptoBackend crypto) {
      MacAlgorithm a = switch (alg.toLowerCase(Locale.ROOT)) {
        case "iso9797-1-m1" -> MacAlgorithm.ISO9797_1_ALG1;
        case "iso9797-1-m3" -> MacAlgorithm.ISO9797_1_ALG3;
        case "cmac" -> MacAlgorithm.CMAC;
        default -> throw new ValidationException("--alg", "must be iso9797-1-m1, iso9797-1-m3 or cmac, was " + alg);
      };
      String c = cipher != null ? cipher : a == MacAlgorithm.CMAC ? "aes" : "tdes";
      KeyRef k = key("--key", key, c, KeyUsage.MAC);
      Padding p = a == MacAlgorithm.CMAC ? Padding.NONE : padding(pad);
      result.put("mac", crypto.mac(k, a, p, Bytes.fromHex(data)).toHex());
    }
  }

  @Command(name = "arqc", description = "EMV ARQC (ISO/IEC 9797-1 algorithm 3 over the CDOL1 data) with a session key.")
  static final class ArqcCmd extends Calc {
    @Option(names = "--key", required = true, paramLabel = "HEX") String key;
    @Option(names = "--data", required = true, paramLabel = "HEX") String data;
    @Option(names = "--pad", defaultValue = "2", paramLabel = "1|2") String pad;

    @Override
    void compute(CryptoBackend crypto) {
      if (!pad.equals("1") && !pad.equals("2")) {
        throw new ValidationException("--pad", "must be 1 (Visa CVN 10) or 2 (EMV), was " + pad);
      }
      result.put("arqc", crypto.arqc(desKey("--key", key, KeyUsage.IMK_AC), padding(pad), Bytes.fromHex(data)).toHex());
    }
  }
}
