package dev.perso.crypto.internal;

import dev.perso.core.CryptoException;
import dev.perso.core.ValidationException;
import dev.perso.crypto.CvvInput;
import dev.perso.crypto.Derivation;
import dev.perso.crypto.Ibm3624;
import dev.perso.crypto.KcvMethod;
import dev.perso.crypto.KeyAlgorithm;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The payment and GlobalPlatform algorithms, written once over {@link KeyOps} so every backend gives
 * the same bytes. Inputs are validated by the public value types; results are fresh arrays the caller
 * owns (and wipes when secret).
 */
public final class Algorithms {
  private static final byte[] ONES16 = filled(16, 0x01);

  private Algorithms() {}

  private static byte[] filled(int n, int v) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) v);
    return b;
  }

  /**
   * Key check value.
   *
   * @param k the key
   * @param method the convention
   * @param length bytes to keep
   * @return the KCV bytes
   */
  public static byte[] kcv(KeyOps k, KcvMethod method, int length) {
    int bs = k.blockSize();
    if (length < 1 || length > bs) {
      throw new ValidationException("length", "must be 1.." + bs + ", was " + length);
    }
    byte[] full;
    switch (method) {
      case ENCRYPT_ZEROS:
        full = k.encrypt(false, null, new byte[bs]);
        break;
      case AES_CMAC_ZEROS:
        requireAes(k.algorithm());
        full = k.cmac(new byte[16]);
        break;
      case GP_AES_ONES:
        requireAes(k.algorithm());
        full = k.encrypt(false, null, ONES16.clone());
        break;
      default:
        throw new IllegalStateException();
    }
    byte[] out = Arrays.copyOf(full, length);
    Arrays.fill(full, (byte) 0);
    return out;
  }

  /**
   * Sets odd parity on every byte (DES keys).
   *
   * @param key the key, changed in place
   * @return {@code key}
   */
  public static byte[] adjustParity(byte[] key) {
    for (int i = 0; i < key.length; i++) {
      int b = key[i] & 0xFE;
      key[i] = (byte) (b | ((Integer.bitCount(b) & 1) == 0 ? 1 : 0));
    }
    return key;
  }

  /**
   * EMV option A: Y = rightmost 16 digits of PAN‖PSN; MK = parity(3DES(Y) ‖ 3DES(Y XOR FF..)).
   *
   * @param imk the issuer master key
   * @param pan PAN digits
   * @param psn 2 digits
   * @return 16 bytes
   */
  public static byte[] emvOptionA(KeyOps imk, String pan, String psn) {
    String d = pan + psn;
    String y = d.length() >= 16 ? d.substring(d.length() - 16) : "0".repeat(16 - d.length()) + d;
    return emvIccMk(imk, Digits.pack(y));
  }

  /**
   * EMV option B (A1.4.2); option A for PANs of 16 digits or less.
   *
   * @param imk the issuer master key
   * @param pan PAN digits
   * @param psn 2 digits
   * @return 16 bytes
   */
  public static byte[] emvOptionB(KeyOps imk, String pan, String psn) {
    if (pan.length() <= 16) {
      return emvOptionA(imk, pan, psn);
    }
    String x = pan + psn;
    if (x.length() % 2 != 0) {
      x = "0" + x;
    }
    byte[] digest;
    try {
      digest = MessageDigest.getInstance("SHA-1").digest(Digits.pack(x));
    } catch (NoSuchAlgorithmException e) {
      throw new CryptoException("SHA-1 not available", e);
    }
    String y = Digits.decimalize(digest, 16);
    Arrays.fill(digest, (byte) 0);
    return emvIccMk(imk, Digits.pack(y));
  }

  private static byte[] emvIccMk(KeyOps imk, byte[] y) {
    KeyOps.requireDoubleDes(imk.algorithm());
    byte[] both = new byte[16];
    System.arraycopy(y, 0, both, 0, 8);
    for (int i = 0; i < 8; i++) {
      both[8 + i] = (byte) ~y[i];
    }
    byte[] mk = imk.encrypt(false, null, both);
    return adjustParity(mk);
  }

  /**
   * EMV common session key (A1.3.1), parity-adjusted.
   *
   * @param mk the ICC master key
   * @param r 8 bytes
   * @return 16 bytes
   */
  public static byte[] emvCommonSessionKey(KeyOps mk, byte[] r) {
    KeyOps.requireDoubleDes(mk.algorithm());
    byte[] d = new byte[16];
    System.arraycopy(r, 0, d, 0, 8);
    System.arraycopy(r, 0, d, 8, 8);
    d[2] = (byte) 0xF0;
    d[10] = (byte) 0x0F;
    return adjustParity(mk.encrypt(false, null, d));
  }

  /**
   * GP SCP02 session key: 3DES-CBC, IV zero, over const‖seq‖00×12. Not parity-adjusted.
   *
   * @param key the static card key
   * @param constant the 2-byte constant
   * @param seq the 2-byte sequence counter
   * @return 16 bytes
   */
  public static byte[] gpScp02(KeyOps key, int constant, byte[] seq) {
    KeyOps.requireDoubleDes(key.algorithm());
    byte[] d = new byte[16];
    d[0] = (byte) (constant >>> 8);
    d[1] = (byte) constant;
    d[2] = seq[0];
    d[3] = seq[1];
    return key.encrypt(true, null, d);
  }

  /**
   * NIST SP 800-108 counter-mode KDF with AES-CMAC and a one-byte counter: block i =
   * CMAC(K, before ‖ i ‖ after).
   *
   * @param key an AES key
   * @param before fixed input before the counter
   * @param after fixed input after the counter
   * @param length output bytes
   * @return derived bytes
   */
  public static byte[] kdfCounterCmac(KeyOps key, byte[] before, byte[] after, int length) {
    requireAes(key.algorithm());
    byte[] out = new byte[length];
    byte[] input = new byte[before.length + 1 + after.length];
    System.arraycopy(before, 0, input, 0, before.length);
    System.arraycopy(after, 0, input, before.length + 1, after.length);
    for (int i = 1, at = 0; at < length; i++) {
      input[before.length] = (byte) i;
      byte[] block = key.cmac(input);
      int n = Math.min(block.length, length - at);
      System.arraycopy(block, 0, out, at, n);
      Arrays.fill(block, (byte) 0);
      at += n;
    }
    return out;
  }

  /**
   * GP SCP03 session key: label 00×11 ‖ const ‖ 00 ‖ L(bits, 2 bytes) ‖ i ‖ context.
   *
   * @param key the static card key (AES)
   * @param constant derivation constant
   * @param context host challenge ‖ card challenge
   * @return a key as long as the static key
   */
  public static byte[] gpScp03(KeyOps key, int constant, byte[] context) {
    int len = key.algorithm().keyLength();
    byte[] before = new byte[15];
    before[11] = (byte) constant;
    before[13] = (byte) ((len * 8) >>> 8);
    before[14] = (byte) (len * 8);
    return kdfCounterCmac(key, before, context, len);
  }

  /**
   * GP card key diversification.
   *
   * @param kmc the master key
   * @param method the method
   * @param keyNumber 1 ENC, 2 MAC, 3 DEK
   * @param kdd 10 bytes
   * @return the card key
   */
  public static byte[] gpDiversify(KeyOps kmc, Derivation.GpDiversification.Method method, int keyNumber, byte[] kdd) {
    byte k = (byte) keyNumber;
    switch (method) {
      case EMV_CPS:
      case VISA2: {
        KeyOps.requireDoubleDes(kmc.algorithm());
        byte[] six = method == Derivation.GpDiversification.Method.EMV_CPS
            ? Arrays.copyOfRange(kdd, 4, 10)
            : new byte[] {kdd[0], kdd[1], kdd[4], kdd[5], kdd[6], kdd[7]};
        byte[] d = new byte[16];
        System.arraycopy(six, 0, d, 0, 6);
        d[6] = (byte) 0xF0;
        d[7] = k;
        System.arraycopy(six, 0, d, 8, 6);
        d[14] = 0x0F;
        d[15] = k;
        return kmc.encrypt(false, null, d);
      }
      case KDF3: {
        byte[] after = new byte[15];
        after[3] = k;
        System.arraycopy(kdd, 0, after, 5, 10);
        return kdfCounterCmac(kmc, new byte[0], after, kmc.algorithm().keyLength());
      }
      default:
        throw new IllegalStateException();
    }
  }

  /**
   * GP diversification by an issuer template: ECB of the data, or CMACs of counter blocks.
   *
   * @param kmc the master key
   * @param blocks data (ECB: one element) or counter blocks (CMAC)
   * @param cmac CMAC counter mode
   * @param keyLength the derived key's length (CMAC mode)
   * @return the derived key bytes
   */
  public static byte[] gpTemplate(KeyOps kmc, java.util.List<dev.perso.core.Bytes> blocks, boolean cmac, int keyLength) {
    if (!cmac) {
      byte[] data = blocks.get(0).toByteArray();
      try {
        if (data.length == 0 || data.length % kmc.blockSize() != 0) {
          throw new dev.perso.core.ValidationException("data", "must be whole " + kmc.blockSize() + "-byte blocks");
        }
        return kmc.encrypt(false, null, data);
      } finally {
        Arrays.fill(data, (byte) 0);
      }
    }
    byte[] key = new byte[keyLength];
    int off = 0;
    for (dev.perso.core.Bytes b : blocks) {
      if (off >= keyLength) {
        break;
      }
      byte[] in = b.toByteArray();
      byte[] mac = kmc.cmac(in);
      System.arraycopy(mac, 0, key, off, Math.min(mac.length, keyLength - off));
      off += mac.length;
      Arrays.fill(mac, (byte) 0);
      Arrays.fill(in, (byte) 0);
    }
    if (off < keyLength) {
      Arrays.fill(key, (byte) 0);
      throw new dev.perso.core.ValidationException("data", "too few counter blocks for a " + keyLength + "-byte key");
    }
    return key;
  }

  /**
   * ARPC method 1.
   *
   * @param sk the session key
   * @param arqc 8 bytes
   * @param arc 2 bytes
   * @return 8 bytes
   */
  public static byte[] arpcMethod1(KeyOps sk, byte[] arqc, byte[] arc) {
    KeyOps.requireDoubleDes(sk.algorithm());
    byte[] x = arqc.clone();
    x[0] ^= arc[0];
    x[1] ^= arc[1];
    return sk.encrypt(false, null, x);
  }

  /**
   * Visa CVV / CVC: retail MAC (K = CVK-A, K' = CVK-B) over the two data blocks, decimalized.
   *
   * @param cvk the CVK
   * @param input the data
   * @return 3 digits
   */
  public static String cvv(KeyOps cvk, CvvInput input) {
    KeyOps.requireDoubleDes(cvk.algorithm());
    byte[] blocks = Digits.pack(input.dataDigits());
    byte[] r = cvk.retailMac(blocks);
    try {
      return Digits.decimalize(r, 3);
    } finally {
      Arrays.fill(r, (byte) 0);
      Arrays.fill(blocks, (byte) 0);
    }
  }

  /**
   * Visa PVV.
   *
   * @param pvk the PVK
   * @param pan PAN digits
   * @param pvki 0..9
   * @param pin PIN digits
   * @return 4 digits
   */
  public static String pvv(KeyOps pvk, String pan, int pvki, String pin) {
    requireDes(pvk.algorithm());
    Digits.require("pan", pan, 8, 19);
    if (pan.length() < 12) {
      // Visa PVV: the TSP takes the 11 PAN digits left of the check digit.
      throw new ValidationException("pan", "the PVV needs 11 digits left of the check digit: 12..19 digits, was "
          + pan.length());
    }
    Digits.require("pin", pin, 4, 12);
    if (pvki < 0 || pvki > 9) {
      throw new ValidationException("pvki", "must be 0..9, was " + pvki);
    }
    String tsp = pan.substring(pan.length() - 12, pan.length() - 1) + pvki + pin.substring(0, 4);
    byte[] t = Digits.pack(tsp);
    byte[] e = pvk.encrypt(false, null, t);
    try {
      return Digits.decimalize(e, 4);
    } finally {
      Arrays.fill(t, (byte) 0);
      Arrays.fill(e, (byte) 0);
    }
  }

  /**
   * IBM 3624 natural PIN.
   *
   * @param pvk the PVK
   * @param p parameters
   * @return the natural PIN
   */
  public static String ibm3624NaturalPin(KeyOps pvk, Ibm3624 p) {
    requireDes(pvk.algorithm());
    byte[] v = Digits.pack(p.validationData());
    byte[] e = pvk.encrypt(false, null, v);
    char[] pin = new char[p.pinLength()];
    for (int i = 0; i < pin.length; i++) {
      pin[i] = p.decimalizationTable().charAt(Digits.nibble(e, i));
    }
    Arrays.fill(e, (byte) 0);
    String out = new String(pin);
    Arrays.fill(pin, '\0');
    return out;
  }

  /**
   * Doubling in GF(2^n) for CMAC subkeys (Rb = 0x87 for 16-byte blocks, 0x1B for 8-byte blocks).
   *
   * @param l a block
   * @return 2·l
   */
  public static byte[] dbl(byte[] l) {
    int bs = l.length;
    byte[] r = new byte[bs];
    int carry = 0;
    for (int i = bs - 1; i >= 0; i--) {
      int v = ((l[i] & 0xFF) << 1) | carry;
      r[i] = (byte) v;
      carry = (l[i] & 0x80) != 0 ? 1 : 0;
    }
    if ((l[0] & 0x80) != 0) {
      r[bs - 1] ^= (byte) (bs == 16 ? 0x87 : 0x1B);
    }
    return r;
  }

  /**
   * The CMAC input with its last block padded and masked with K1 or K2.
   *
   * @param m the message
   * @param bs block size
   * @param k1 subkey 1
   * @param k2 subkey 2
   * @return whole blocks
   */
  public static byte[] cmacLastBlock(byte[] m, int bs, byte[] k1, byte[] k2) {
    int n = m.length == 0 ? 1 : (m.length + bs - 1) / bs;
    boolean complete = m.length > 0 && m.length % bs == 0;
    byte[] out = Arrays.copyOf(m, n * bs);
    if (!complete) {
      out[m.length] = (byte) 0x80;
    }
    byte[] sub = complete ? k1 : k2;
    for (int i = 0; i < bs; i++) {
      out[(n - 1) * bs + i] ^= sub[i];
    }
    return out;
  }

  /**
   * @param a algorithm
   * @throws ValidationException unless AES
   */
  public static void requireAes(KeyAlgorithm a) {
    if (!a.isAes()) {
      throw new ValidationException("key", "needs an AES key, was " + a);
    }
  }

  /**
   * @param a algorithm
   * @throws ValidationException unless DES family
   */
  public static void requireDes(KeyAlgorithm a) {
    if (!a.isDes()) {
      throw new ValidationException("key", "needs a DES or triple-DES key, was " + a);
    }
  }
}
