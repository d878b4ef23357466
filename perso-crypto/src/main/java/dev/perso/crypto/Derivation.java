package dev.perso.crypto;

import dev.perso.core.cardholder.Pan;
import dev.perso.core.Bytes;
import dev.perso.core.ValidationException;
import dev.perso.crypto.internal.Digits;
import java.util.Objects;

/**
 * A key derivation a backend runs with the master key inside the device. Each kind names its
 * {@link Operation} for capability checks.
 *
 * <pre>{@code
 * KeyRef iccMk = backend.derive(imkAc, Derivation.emvOptionA("5413330089020011", "01"));
 * KeyRef sk    = backend.derive(iccMk, Derivation.emvCommonSessionKey(Bytes.fromHex("001C000000000000")));
 * KeyRef sEnc  = backend.derive(kmcEnc, Derivation.gpScp02(Derivation.Scp02Key.S_ENC, Bytes.fromHex("0007")));
 * }</pre>
 */
public sealed interface Derivation {
  /** @return the operation this derivation needs */
  Operation operation();

  /**
   * EMV Book 2 A1.4.1 option A.
   *
   * @param pan 12..19 digits
   * @param psn PAN sequence number, 2 digits ("00" when absent)
   * @return the derivation
   */
  static EmvOptionA emvOptionA(String pan, String psn) {
    return new EmvOptionA(pan, psn);
  }

  /**
   * EMV Book 2 A1.4.2 option B (equal to option A for PANs of 16 digits or less).
   *
   * @param pan 12..19 digits
   * @param psn 2 digits
   * @return the derivation
   */
  static EmvOptionB emvOptionB(String pan, String psn) {
    return new EmvOptionB(pan, psn);
  }

  /**
   * EMV Book 2 A1.3.1 common session key.
   *
   * @param r the 8-byte diversification value (ATC‖00×6 for AC; the ARQC for secure messaging)
   * @return the derivation
   */
  static EmvCommonSessionKey emvCommonSessionKey(Bytes r) {
    return new EmvCommonSessionKey(r);
  }

  /**
   * Mastercard M/Chip session key derivation: R = ATC‖0000‖UN, then the common session key.
   *
   * @param atc 2 bytes
   * @param unpredictableNumber 4 bytes
   * @return the derivation
   */
  static MastercardSkd mastercardSkd(Bytes atc, Bytes unpredictableNumber) {
    return new MastercardSkd(atc, unpredictableNumber);
  }

  /**
   * GlobalPlatform SCP02 session key.
   *
   * @param key which session key
   * @param sequenceCounter 2 bytes
   * @return the derivation
   */
  static GpScp02 gpScp02(Scp02Key key, Bytes sequenceCounter) {
    return new GpScp02(key, sequenceCounter);
  }

  /**
   * GlobalPlatform SCP03 session key (Amendment D, SP 800-108 counter mode with AES-CMAC).
   *
   * @param key which session key
   * @param context host challenge ‖ card challenge (16 bytes, or 24 with pseudo-random challenge)
   * @return the derivation
   */
  static GpScp03 gpScp03(Scp03Key key, Bytes context) {
    return new GpScp03(key, context);
  }

  /**
   * GlobalPlatform card key diversification from the KMC.
   *
   * @param method EMV-CPS, VISA2 or KDF3
   * @param key which card key
   * @param kdd key diversification data, 10 bytes (from INITIALIZE UPDATE)
   * @return the derivation
   */
  static GpDiversification gpDiversification(GpDiversification.Method method, GpCardKey key, Bytes kdd) {
    return new GpDiversification(method, key, kdd);
  }

  /**
   * EMV option A.
   *
   * @param pan 12..19 digits
   * @param psn 2 digits
   */
  record EmvOptionA(String pan, String psn) implements Derivation {
    /** Checks the digits. */
    public EmvOptionA {
      Digits.require("pan", pan, 12, 19);
      Digits.require("psn", psn, 2, 2);
    }

    @Override
    public Operation operation() {
      return Operation.DERIVE_EMV_OPTION_A;
    }

    @Override
    public String toString() {
      return "EmvOptionA[pan=" + Pan.mask(pan) + " psn=" + psn + "]";
    }
  }

  /**
   * EMV option B.
   *
   * @param pan 12..19 digits
   * @param psn 2 digits
   */
  record EmvOptionB(String pan, String psn) implements Derivation {
    /** Checks the digits. */
    public EmvOptionB {
      Digits.require("pan", pan, 12, 19);
      Digits.require("psn", psn, 2, 2);
    }

    @Override
    public Operation operation() {
      return Operation.DERIVE_EMV_OPTION_B;
    }

    @Override
    public String toString() {
      return "EmvOptionB[pan=" + Pan.mask(pan) + " psn=" + psn + "]";
    }
  }

  /**
   * EMV common session key.
   *
   * @param r 8 bytes
   */
  record EmvCommonSessionKey(Bytes r) implements Derivation {
    /** Checks the length. */
    public EmvCommonSessionKey {
      requireLength("r", r, 8);
    }

    @Override
    public Operation operation() {
      return Operation.DERIVE_EMV_COMMON_SK;
    }
  }

  /**
   * Mastercard SKD.
   *
   * @param atc 2 bytes
   * @param unpredictableNumber 4 bytes
   */
  record MastercardSkd(Bytes atc, Bytes unpredictableNumber) implements Derivation {
    /** Checks the lengths. */
    public MastercardSkd {
      requireLength("atc", atc, 2);
      requireLength("unpredictableNumber", unpredictableNumber, 4);
    }

    /** @return R = ATC‖0000‖UN */
    public Bytes r() {
      return Bytes.concat(atc, Bytes.of((byte) 0, (byte) 0), unpredictableNumber);
    }

    @Override
    public Operation operation() {
      return Operation.DERIVE_MASTERCARD_SKD;
    }
  }

  /** SCP02 session keys and their derivation constants. */
  enum Scp02Key {
    /** C-MAC, constant 0101. */
    C_MAC(0x0101, KeyUsage.MAC),
    /** R-MAC, constant 0102. */
    R_MAC(0x0102, KeyUsage.RMAC),
    /** Session DEK, constant 0181. */
    DEK(0x0181, KeyUsage.DEK),
    /** Session ENC, constant 0182. */
    S_ENC(0x0182, KeyUsage.ENC);

    private final int constant;
    private final KeyUsage usage;

    Scp02Key(int constant, KeyUsage usage) {
      this.constant = constant;
      this.usage = usage;
    }

    /** @return the 2-byte derivation constant */
    public int constant() {
      return constant;
    }

    /** @return the usage of the derived key */
    public KeyUsage usage() {
      return usage;
    }
  }

  /**
   * SCP02 session key.
   *
   * @param key which session key
   * @param sequenceCounter 2 bytes
   */
  record GpScp02(Scp02Key key, Bytes sequenceCounter) implements Derivation {
    /** Checks the components. */
    public GpScp02 {
      Objects.requireNonNull(key, "key");
      requireLength("sequenceCounter", sequenceCounter, 2);
    }

    @Override
    public Operation operation() {
      return Operation.DERIVE_GP_SCP02;
    }
  }

  /** SCP03 session keys and their derivation constants. */
  enum Scp03Key {
    /** S-ENC, constant 04. */
    S_ENC(0x04, KeyUsage.ENC),
    /** S-MAC, constant 06. */
    S_MAC(0x06, KeyUsage.MAC),
    /** S-RMAC, constant 07. */
    S_RMAC(0x07, KeyUsage.RMAC);

    private final int constant;
    private final KeyUsage usage;

    Scp03Key(int constant, KeyUsage usage) {
      this.constant = constant;
      this.usage = usage;
    }

    /** @return the derivation constant */
    public int constant() {
      return constant;
    }

    /** @return the usage of the derived key */
    public KeyUsage usage() {
      return usage;
    }
  }

  /**
   * SCP03 session key; the derived key has the master key's length.
   *
   * @param key which session key
   * @param context derivation context (host challenge ‖ card challenge)
   */
  record GpScp03(Scp03Key key, Bytes context) implements Derivation {
    /** Checks the components. */
    public GpScp03 {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(context, "context");
      if (context.isEmpty() || context.length() > 64) {
        throw new ValidationException("context", "must be 1..64 bytes");
      }
    }

    @Override
    public Operation operation() {
      return Operation.DERIVE_GP_SCP03;
    }
  }

  /** GlobalPlatform card keys and their diversification numbers. */
  enum GpCardKey {
    /** ENC, 01. */
    ENC(1, KeyUsage.ENC),
    /** MAC, 02. */
    MAC(2, KeyUsage.MAC),
    /** DEK, 03. */
    DEK(3, KeyUsage.DEK);

    private final int number;
    private final KeyUsage usage;

    GpCardKey(int number, KeyUsage usage) {
      this.number = number;
      this.usage = usage;
    }

    /** @return the key number used in the diversification data */
    public int number() {
      return number;
    }

    /** @return the usage of the derived key */
    public KeyUsage usage() {
      return usage;
    }
  }

  /**
   * GP card key diversification.
   *
   * @param method the method
   * @param key which card key
   * @param kdd 10 bytes of key diversification data
   */
  record GpDiversification(Method method, GpCardKey key, Bytes kdd) implements Derivation {
    /** Diversification methods (GlobalPlatformPro names: emv, visa2, kdf3). */
    public enum Method {
      /** EMV CPS: KDD[4..9]‖F0‖k ‖ KDD[4..9]‖0F‖k under TDES-ECB. */
      EMV_CPS,
      /** VISA2: KDD[0..1]‖KDD[4..7]‖F0‖k ‖ KDD[0..1]‖KDD[4..7]‖0F‖k under TDES-ECB. */
      VISA2,
      /** KDF3: SP 800-108 counter KDF with AES-CMAC over i‖000000‖k‖00‖KDD (AES master keys). */
      KDF3
    }

    /** Checks the components. */
    public GpDiversification {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(key, "key");
      requireLength("kdd", kdd, 10);
    }

    @Override
    public Operation operation() {
      switch (method) {
        case EMV_CPS: return Operation.DERIVE_GP_EMV_CPS;
        case VISA2: return Operation.DERIVE_GP_VISA2;
        default: return Operation.DERIVE_GP_KDF3;
      }
    }
  }

  /**
   * GP card key diversification by an issuer-defined template: the derived key is the ECB encryption
   * of {@code data} under the KMC ({@code cmac == false}, one data element), or the concatenation of
   * AES-CMACs of counter blocks ({@code cmac == true}, SP 800-108 style), cut to the key length.
   *
   * @param key which card key (gives the derived key's usage)
   * @param data the diversification data (one element for ECB; one block per counter value for CMAC)
   * @param cmac true for CMAC counter blocks
   * @param algorithm the derived key's algorithm
   * @return the derivation
   */
  static GpTemplate gpTemplate(GpCardKey key, java.util.List<Bytes> data, boolean cmac, KeyAlgorithm algorithm) {
    return new GpTemplate(key, data, cmac, algorithm);
  }

  /**
   * GP card key diversification by an issuer-defined template; see {@link #gpTemplate}.
   *
   * @param key which card key
   * @param blocks the diversification data
   * @param cmac true for CMAC counter blocks, false for ECB
   * @param algorithm the derived key's algorithm
   */
  record GpTemplate(GpCardKey key, java.util.List<Bytes> blocks, boolean cmac, KeyAlgorithm algorithm)
      implements Derivation {
    /** Checks the components. */
    public GpTemplate {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(algorithm, "algorithm");
      if (blocks == null || blocks.isEmpty() || (!cmac && blocks.size() != 1)) {
        throw new ValidationException("data", cmac ? "needs at least one counter block" : "needs exactly one data element");
      }
      blocks = java.util.List.copyOf(blocks);
    }

    @Override
    public Operation operation() {
      return Operation.DERIVE_GP_TEMPLATE;
    }

    @Override
    public String toString() {
      return "GpTemplate[" + key + ", " + blocks.size() + " block(s), " + (cmac ? "CMAC" : "ECB") + ", " + algorithm + "]";
    }
  }

  private static void requireLength(String field, Bytes value, int length) {
    if (value == null || value.length() != length) {
      throw new ValidationException(field, "must be " + length + " bytes");
    }
  }

}
