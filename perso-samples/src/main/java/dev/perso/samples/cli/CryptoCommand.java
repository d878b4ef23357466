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
import dev.perso.crypto.payshield.PayShieldBackend;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code perso crypto ...}: a card engineer's calculator over the {@code SoftwareBackend}, or over a payment
 * HSM with {@code --crypto payshield://HOST:PORT}. Key options take {@code file:PATH}, {@code env:NAME},
 * {@code prompt} or hex ({@link KeyInput}); with a payShield they take keys under the LMK ({@code U…},
 * {@code T…}, {@code S…}) and {@code --key-type} the LMK key type. Keys are never echoed in errors.
 */
@Command(name = "crypto", description = "Crypto calculator: KCV, CVV, PVV, IBM 3624, key derivation, MAC, ARQC.",
    subcommands = {CryptoCommand.KcvCmd.class, CryptoCommand.CvvCmd.class, CryptoCommand.PvvCmd.class,
        CryptoCommand.PinOffsetCmd.class, CryptoCommand.DeriveCmd.class, CryptoCommand.MacCmd.class,
        CryptoCommand.ArqcCmd.class})
final class CryptoCommand extends CommandGroup {

  /** The choices of a {@code --cipher}/{@code --alg} option naming a key's block cipher. */
  static final String TDES = "tdes";
  static final String AES = "aes";

  static KeyRef desKey(String option, Bytes k, KeyUsage usage) {
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
  /** @return the keys this thread's command parsed and has not closed yet (for tests) */
  static int openKeys() {
    return OPENED.get().size();
  }

  static void closeKeys() {
    OPENED.get().forEach(ClearKeyRef::close);
    OPENED.remove();
  }

  /**
   * @param option the key's option
   * @param k the key
   * @param cipherOption the option that chose the cipher, for its error
   * @param cipher tdes or aes, in any case
   * @param usage the key's usage
   * @return the key
   */
  static KeyRef key(String option, Bytes k, String cipherOption, String cipher, KeyUsage usage) {
    String c = choice(cipherOption, cipher, TDES, AES);
    if (c.equals(TDES)) {
      return desKey(option, k, usage);
    }
    KeyAlgorithm alg = switch (k.length()) {
      case 16 -> KeyAlgorithm.AES_128;
      case 24 -> KeyAlgorithm.AES_192;
      case 32 -> KeyAlgorithm.AES_256;
      default -> throw new ValidationException(option, "an AES key is 16, 24 or 32 bytes, was " + k.length());
    };
    return opened(ClearKeyRef.of(alg, usage, k));
  }

  /**
   * Options with a fixed set of words take them in any case, as picocli takes enum values.
   *
   * @param option the option, for the error
   * @param value the value given
   * @param choices the choices, lower case
   * @return the choice, lower case
   */
  static String choice(String option, String value, String... choices) {
    String v = value.toLowerCase(Locale.ROOT);
    for (String c : choices) {
      if (c.equals(v)) {
        return c;
      }
    }
    throw new ValidationException(option, "must be " + String.join(", ", choices) + ", was " + value);
  }

  /**
   * Parses a hex option that is not secret, naming the option when it is not hex.
   *
   * @param option the option
   * @param value its value
   * @return the bytes
   */
  static Bytes hex(String option, String value) {
    if (value.isBlank()) {
      throw new ValidationException(option, "is empty");
    }
    try {
      return Bytes.fromHex(value);
    } catch (MalformedDataException e) {
      throw new ValidationException(option, "not hex (" + e.reason() + ")");
    }
  }

  /** Shared plumbing: the backend, the {@code --json} option and printing one JSON object. */
  abstract static class Calc implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Option(names = "--crypto", defaultValue = "software", paramLabel = "software|payshield://HOST:PORT",
        description = "Crypto backend: software keys (default) or a payShield HSM with keys under its LMK.")
    String backend;

    @Option(names = "--key-type", paramLabel = "TTT",
        description = "payShield only: the LMK key type of the key (e.g. 402 CVK, 002 PVK, 003 TAK, 109 MK-AC).")
    String keyType;

    final Map<String, Object> result = new LinkedHashMap<>();

    abstract void compute(CryptoBackend crypto);

    /** @return the key an option gives, read as {@link KeyInput} says */
    Bytes keyOf(String option, String value) {
      return KeyInput.read(spec, option, value);
    }

    /** @return true when the keys are under a payShield LMK */
    boolean underLmk() {
      return !backend.equals("software");
    }

    /**
     * A DES key option: hex/KeyInput for the software backend, an LMK cryptogram for a payShield.
     *
     * @param option the option
     * @param value its value
     * @param usage the key's usage
     * @return the key
     */
    KeyRef desKeyOption(String option, String value, KeyUsage usage) {
      if (underLmk()) {
        return keyType == null ? PayShieldBackend.key(value, usage) : PayShieldBackend.key(value, usage, keyType);
      }
      return desKey(option, keyOf(option, value), usage);
    }

    @Override
    public void run() {
      if (keyType != null && !underLmk()) {
        throw new ValidationException("--key-type", "applies to keys under a payShield LMK (--crypto payshield://…)");
      }
      try (CryptoBackend crypto = CryptoBackends.open(backend)) {
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
    @Option(names = "--key", required = true, paramLabel = "KEY", description = KeyInput.SYNTAX) String key;
    @Option(names = "--alg", defaultValue = "tdes", paramLabel = "tdes|aes") String alg;
    @Option(names = "--method", paramLabel = "zeros|ones|cmac") String method;
    @Option(names = "--length", paramLabel = "N") Integer length;

    @Override
    void compute(CryptoBackend crypto) {
      String cipher = choice("--alg", alg, TDES, AES);
      KcvMethod m = method == null ? KcvMethod.ENCRYPT_ZEROS : switch (choice("--method", method, "zeros", "ones", "cmac")) {
        case "zeros" -> KcvMethod.ENCRYPT_ZEROS;
        case "ones" -> KcvMethod.GP_AES_ONES;
        default -> KcvMethod.AES_CMAC_ZEROS;
      };
      KeyRef k = underLmk() ? desKeyOption("--key", key, KeyUsage.KEK)
          : key("--key", keyOf("--key", key), "--alg", cipher, KeyUsage.KEK);
      Kcv kcv = length == null ? crypto.kcv(k, m) : crypto.kcv(k, m, length);
      result.put("kcv", kcv.hex());
    }
  }

  @Command(name = "cvv", description = "Visa CVV / Mastercard CVC (service code 000 gives CVV2, 999 iCVV).")
  static final class CvvCmd extends Calc {
    @Option(names = "--cvk", required = true, paramLabel = "KEY", description = KeyInput.SYNTAX) String cvk;
    @Option(names = "--pan", required = true, paramLabel = "DIGITS") String pan;
    @Option(names = "--expiry", required = true, paramLabel = "YYMM") String expiry;
    @Option(names = "--service-code", required = true, paramLabel = "DDD") String serviceCode;

    @Override
    void compute(CryptoBackend crypto) {
      result.put("cvv", crypto.cvv(desKeyOption("--cvk", cvk, KeyUsage.CVK), CvvInput.of(pan, expiry, serviceCode)));
    }
  }

  @Command(name = "pvv", description = "Visa PIN verification value.")
  static final class PvvCmd extends Calc {
    @Option(names = "--pvk", required = true, paramLabel = "KEY", description = KeyInput.SYNTAX) String pvk;
    @Option(names = "--pvki", required = true, paramLabel = "D") int pvki;
    @Option(names = "--pin", required = true, paramLabel = "DDDD") String pin;
    @Option(names = "--pan", required = true, paramLabel = "DIGITS") String pan;

    @Override
    void compute(CryptoBackend crypto) {
      result.put("pvv", crypto.pvv(desKeyOption("--pvk", pvk, KeyUsage.PVK), pan, pvki, pin));
    }
  }

  @Command(name = "pin-offset", description = "IBM 3624 natural PIN and PIN offset.")
  static final class PinOffsetCmd extends Calc {
    @Option(names = "--pvk", required = true, paramLabel = "KEY", description = KeyInput.SYNTAX) String pvk;
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
      KeyRef k = desKeyOption("--pvk", pvk, KeyUsage.PVK);
      Ibm3624 params = Ibm3624.of(validationData, decTable, pin.length());
      result.put("naturalPin", crypto.ibm3624NaturalPin(k, params));
      result.put("offset", crypto.ibm3624Offset(k, params, pin));
    }
  }

  @Command(name = "derive", description = "EMV key derivation: option-a / option-b (ICC master key from an IMK), "
      + "common-sk (session key, R = 8 bytes), mchip-skd (Mastercard session key from ATC and UN).")
  static final class DeriveCmd extends Calc {
    @Option(names = "--method", required = true, paramLabel = "option-a|option-b|common-sk|mchip-skd") String method;
    @Option(names = "--key", required = true, paramLabel = "KEY", description = KeyInput.SYNTAX) String key;
    @Option(names = "--pan", paramLabel = "D") String pan;
    @Option(names = "--psn", defaultValue = "00", paramLabel = "NN") String psn;
    @Option(names = "--r", paramLabel = "HEX16") String r;
    @Option(names = "--atc", paramLabel = "HEX4") String atc;
    @Option(names = "--un", paramLabel = "HEX8") String un;

    @Override
    void compute(CryptoBackend crypto) {
      Derivation d = switch (choice("--method", method, "option-a", "option-b", "common-sk", "mchip-skd")) {
        case "option-a" -> Derivation.emvOptionA(required("--pan", pan), psn);
        case "option-b" -> Derivation.emvOptionB(required("--pan", pan), psn);
        case "common-sk" -> Derivation.emvCommonSessionKey(hex("--r", required("--r", r)));
        default -> Derivation.mastercardSkd(hex("--atc", required("--atc", atc)), hex("--un", required("--un", un)));
      };
      KeyRef derived = crypto.derive(desKeyOption("--key", key, KeyUsage.IMK_AC), d);
      if (derived instanceof dev.perso.crypto.CryptogramKeyRef g) {
        // derived inside the HSM: it stays under the LMK
        result.put("key", PayShieldBackend.wireForm(g));
        result.put("keyType", g.deviceKeyType().orElse(""));
        result.put("kcv", crypto.kcv(derived, KcvMethod.ENCRYPT_ZEROS).hex());
        return;
      }
      if (!(derived instanceof ClearKeyRef)) {
        throw new ValidationException("--key", "the backend kept the derived key inside; it cannot be printed");
      }
      result.put("key", ((ClearKeyRef) derived).apply(dev.perso.core.internal.Hex::encode));
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
    @Option(names = "--key", required = true, paramLabel = "KEY", description = KeyInput.SYNTAX) String key;
    @Option(names = "--cipher", paramLabel = "tdes|aes",
        description = "Block cipher of the key; default aes for cmac, tdes otherwise.") String cipher;
    @Option(names = "--data", required = true, paramLabel = "HEX") String data;

    @Override
    void compute(CryptoBackend crypto) {
      MacAlgorithm a = switch (choice("--alg", alg, "iso9797-1-m1", "iso9797-1-m3", "cmac")) {
        case "iso9797-1-m1" -> MacAlgorithm.ISO9797_1_ALG1;
        case "iso9797-1-m3" -> MacAlgorithm.ISO9797_1_ALG3;
        default -> MacAlgorithm.CMAC;
      };
      String c = cipher != null ? choice("--cipher", cipher, TDES, AES) : a == MacAlgorithm.CMAC ? AES : TDES;
      Padding p = a == MacAlgorithm.CMAC ? Padding.NONE : padding(pad);
      Bytes message = hex("--data", data);
      KeyRef k = underLmk() ? desKeyOption("--key", key, KeyUsage.MAC)
          : key("--key", keyOf("--key", key), "--cipher", c, KeyUsage.MAC);
      result.put("mac", crypto.mac(k, a, p, message).toHex());
    }
  }

  @Command(name = "arqc", description = "EMV ARQC (ISO/IEC 9797-1 algorithm 3 over the CDOL1 data) with a session key.")
  static final class ArqcCmd extends Calc {
    @Option(names = "--key", required = true, paramLabel = "KEY", description = KeyInput.SYNTAX) String key;
    @Option(names = "--data", required = true, paramLabel = "HEX") String data;
    @Option(names = "--pad", defaultValue = "2", paramLabel = "1|2") String pad;

    @Override
    void compute(CryptoBackend crypto) {
      if (!pad.equals("1") && !pad.equals("2")) {
        throw new ValidationException("--pad", "must be 1 (Visa CVN 10) or 2 (EMV), was " + pad);
      }
      Bytes cdol = hex("--data", data);
      result.put("arqc", crypto.arqc(desKeyOption("--key", key, KeyUsage.IMK_AC), padding(pad), cdol).toHex());
    }
  }
}
