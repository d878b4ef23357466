package dev.perso.samples.cli;

import dev.perso.core.Bytes;
import dev.perso.core.ValidationException;
import dev.perso.crypto.ClearKeyRef;
import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.KcvMethod;
import dev.perso.crypto.KeyAlgorithm;
import dev.perso.crypto.KeyRef;
import dev.perso.crypto.KeyUsage;
import dev.perso.gp.CardCryptogram;
import dev.perso.gp.Diversification;
import dev.perso.gp.GpKeys;
import dev.perso.gp.InitializeUpdateResponse;
import dev.perso.gp.Scp02Variant;
import dev.perso.gp.ScpVersion;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code perso gp ...}: GlobalPlatform secure channel calculators, which never talk to a card, and
 * {@code perso gp open}, which opens a secure channel on a card in a PC/SC reader.
 *
 * <pre>
 * perso gp diversify --key 404142434445464748494A4B4C4D4E4F --kdd 00010203040506070809 --method emv
 * perso gp session-keys --scp 02 --key 404142434445464748494A4B4C4D4E4F --seq 0001
 * perso gp identify-keys --iu-response HEX --host-challenge HEX --key HEX --key HEX
 * perso gp wrap --key HEX --method emv --host-challenge HEX --iu-response HEX --level 03 --apdu 80E2800003010203
 * perso gp open --reader "ACS ACR39U*" --key 404142434445464748494A4B4C4D4E4F --method emv --level 03
 * </pre>
 */
@Command(name = "gp", description = "GlobalPlatform SCP02/SCP03 calculators: diversification, session keys, "
    + "key identification, offline wrapping (none of them talks to a card); open, which opens a secure "
    + "channel on a card in a PC/SC reader; card management (status, cplc, put-key, install, delete, load, "
    + "set-status) and cap inspect.", mixinStandardHelpOptions = true,
    subcommands = {GpDiversifyCommand.class, GpSessionKeysCommand.class, GpIdentifyKeysCommand.class,
        GpWrapCommand.class, GpOpenCommand.class, GpManageCommand.Status.class, GpManageCommand.CplcCommand.class,
        GpManageCommand.PutKey.class, GpManageCommand.Install.class, GpManageCommand.Delete.class,
        GpManageCommand.Load.class, GpManageCommand.SetStatus.class, GpManageCommand.Cap.class})
final class GpCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static Bytes hex(String field, String value, int... lengths) {
    Bytes b = CryptoCommand.hex(field, value);
    if (lengths.length == 0) {
      return b;
    }
    for (int n : lengths) {
      if (b.length() == n) {
        return b;
      }
    }
    StringBuilder s = new StringBuilder();
    for (int n : lengths) {
      s.append(s.length() == 0 ? "" : " or ").append(n);
    }
    throw new ValidationException(field, "must be " + s + " bytes, was " + b.length());
  }

  static ClearKeyRef key(String field, Bytes b, boolean aes) {
    if (aes && b.length() != 16 && b.length() != 24 && b.length() != 32) {
      throw new ValidationException(field, "an AES key must be 16, 24 or 32 bytes, was " + b.length());
    }
    KeyAlgorithm alg = aes ? KeyAlgorithm.aesForLength(b.length()) : desKey(field, b.length());
    return ClearKeyRef.of(alg, KeyUsage.KMC, b);
  }

  private static KeyAlgorithm desKey(String field, int length) {
    if (length != 16 && length != 24) {
      throw new ValidationException(field, "a 3DES key must be 16 or 24 bytes, was " + length);
    }
    return KeyAlgorithm.desForLength(length);
  }

  /** @return the diversification named by {@code --method}, in any case */
  /**
   * The protocol a card answered INITIALIZE UPDATE with, "i" included: SCP03 with the "i" the card states
   * (a given {@code --i} must be that one); SCP02, whose "i" is not on the wire, with {@code --i}, or else 55
   * or 15 as its challenge tells ({@link CardCryptogram#version}).
   *
   * @param iu the card's response
   * @param i the {@code --i} value, or null
   * @param crypto the backend
   * @param keys the card's keys
   * @param aid the AID selected before INITIALIZE UPDATE
   * @return the protocol to authenticate with
   */
  static ScpVersion version(InitializeUpdateResponse iu, Integer i, CryptoBackend crypto, GpKeys keys, Bytes aid) {
    ScpVersion stated = iu.version(Scp02Variant.I_15);
    if (stated instanceof ScpVersion.Scp03Protocol) {
      if (i != null && i != stated.i()) {
        throw new ValidationException("--i", "the card states SCP03 i=" + iu.iHex() + ", not " + String.format("%02X", i));
      }
      return stated;
    }
    return i != null ? iu.version(Scp02Variant.of(i)) : CardCryptogram.version(crypto, keys, aid, iu);
  }

  static Diversification method(String method) {
    try {
      return Diversification.named(method);
    } catch (ValidationException e) {
      throw new ValidationException("--method", e.rule());
    }
  }

  static String kcv(CryptoBackend crypto, KeyRef k) {
    return crypto.kcv(k, k.algorithm().isAes() ? KcvMethod.GP_AES_ONES : KcvMethod.ENCRYPT_ZEROS).hex();
  }

  static String clearHex(KeyRef k) {
    return ((ClearKeyRef) k).toSecretBytes().toHex();
  }

  static String text(Map<String, ?> values) {
    StringBuilder s = new StringBuilder();
    values.forEach((k, v) -> s.append(String.format("%-22s %s%n", k, v)));
    return s.toString();
  }
}
