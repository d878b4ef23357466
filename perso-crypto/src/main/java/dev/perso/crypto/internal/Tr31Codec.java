package dev.perso.crypto.internal;

import dev.perso.core.CryptoException;
import dev.perso.core.internal.Hex;
import dev.perso.core.MalformedDataException;
import dev.perso.core.ValidationException;
import dev.perso.crypto.KeyAlgorithm;
import dev.perso.crypto.Tr31Header;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * TR-31 / ANSI X9.143 key blocks, versions B (TDES-CMAC derivation, TDES-CBC) and D (AES-CMAC derivation,
 * AES-CBC). The KBPK is used through {@link KeyOps} (CMAC for the derivation of KBEK and KBAK); the
 * derived block keys and the clear key data live briefly in JVM memory and are wiped.
 */
public final class Tr31Codec {
  private Tr31Codec() {}

  /**
   * Wraps a key.
   *
   * @param kbpk the key block protection key
   * @param header the header (version must fit the KBPK)
   * @param key the clear key
   * @param pad random padding, at least as long as needed to reach the block size
   * @return the key block
   */
  public static String wrap(KeyOps kbpk, Tr31Header header, byte[] key, byte[] pad) {
    checkKbpk(kbpk, header.version());
    int bs = header.blockSize();
    int dataLen = (2 + key.length + bs - 1) / bs * bs;
    if (pad.length < dataLen - 2 - key.length) {
      throw new ValidationException("padding", "too short");
    }
    byte[] clear = new byte[dataLen];
    clear[0] = (byte) ((key.length * 8) >>> 8);
    clear[1] = (byte) (key.length * 8);
    System.arraycopy(key, 0, clear, 2, key.length);
    System.arraycopy(pad, 0, clear, 2 + key.length, dataLen - 2 - key.length);
    int total = header.length() + dataLen * 2 + header.macLength() * 2;
    String h = header.encode(total);
    byte[][] keys = blockKeys(kbpk, header.version());
    SoftKeyOps kbek = null;
    SoftKeyOps kbak = null;
    try {
      kbek = new SoftKeyOps(algorithmOf(kbpk), keys[0]);
      kbak = new SoftKeyOps(algorithmOf(kbpk), keys[1]);
      byte[] mac = mac(kbak, h, clear, header.macLength());
      byte[] enc = kbek.encrypt(true, Arrays.copyOf(mac, bs), clear);
      return h + Hex.encode(enc) + Hex.encode(mac);
    } finally {
      wipe(kbek, kbak);
      Arrays.fill(clear, (byte) 0);
      Arrays.fill(keys[0], (byte) 0);
      Arrays.fill(keys[1], (byte) 0);
    }
  }

  /**
   * Unwraps a key block after verifying its MAC in constant time.
   *
   * @param kbpk the key block protection key
   * @param block the key block text
   * @return the clear key (caller wipes)
   */
  public static byte[] unwrap(KeyOps kbpk, String block) {
    Tr31Header header = Tr31Header.parse(block);
    checkKbpk(kbpk, header.version());
    int macHex = header.macLength() * 2;
    int dataStart = header.length();
    int dataHex = block.length() - dataStart - macHex;
    int bs = header.blockSize();
    if (dataHex <= 0 || dataHex % (bs * 2) != 0) {
      throw new MalformedDataException(dataStart, "encrypted key data must be a non-empty multiple of " + bs + " bytes");
    }
    byte[] enc = Hex.decode(block.substring(dataStart, dataStart + dataHex));
    byte[] mac = Hex.decode(block.substring(dataStart + dataHex));
    byte[][] keys = blockKeys(kbpk, header.version());
    byte[] clear = null;
    SoftKeyOps kbek = null;
    SoftKeyOps kbak = null;
    try {
      kbek = new SoftKeyOps(algorithmOf(kbpk), keys[0]);
      kbak = new SoftKeyOps(algorithmOf(kbpk), keys[1]);
      clear = kbek.decrypt(true, Arrays.copyOf(mac, bs), enc);
      byte[] expected = mac(kbak, block.substring(0, dataStart), clear, header.macLength());
      if (!MessageDigest.isEqual(expected, mac)) {
        throw new CryptoException("TR-31 key block MAC does not verify (wrong KBPK or altered block)");
      }
      int bits = ((clear[0] & 0xFF) << 8) | (clear[1] & 0xFF);
      if (bits == 0 || bits % 64 != 0 || bits / 8 > clear.length - 2) {
        throw new MalformedDataException(dataStart, "decrypted key length is invalid");
      }
      return Arrays.copyOfRange(clear, 2, 2 + bits / 8);
    } finally {
      wipe(kbek, kbak);
      if (clear != null) {
        Arrays.fill(clear, (byte) 0);
      }
      Arrays.fill(keys[0], (byte) 0);
      Arrays.fill(keys[1], (byte) 0);
    }
  }

  private static byte[] mac(KeyOps kbak, String header, byte[] clear, int length) {
    byte[] h = header.getBytes(StandardCharsets.US_ASCII);
    byte[] input = new byte[h.length + clear.length];
    System.arraycopy(h, 0, input, 0, h.length);
    System.arraycopy(clear, 0, input, h.length, clear.length);
    try {
      return Arrays.copyOf(kbak.cmac(input), length);
    } finally {
      Arrays.fill(input, (byte) 0);
    }
  }

  /** KBEK (index 0) and KBAK (index 1), derived with CMAC under the KBPK. */
  private static byte[][] blockKeys(KeyOps kbpk, Tr31Header.Version v) {
    KeyAlgorithm a = kbpk.algorithm();
    int len = a.keyLength();
    int algCode;
    switch (a) {
      case TDES_2KEY: algCode = 0; break;
      case TDES_3KEY: algCode = 1; break;
      case AES_128: algCode = 2; break;
      case AES_192: algCode = 3; break;
      default: algCode = 4; break;
    }
    byte[][] out = new byte[2][];
    for (int usage = 0; usage < 2; usage++) {
      byte[] k = new byte[len];
      byte[] d = new byte[8];
      d[2] = (byte) usage;
      d[5] = (byte) algCode;
      d[6] = (byte) ((len * 8) >>> 8);
      d[7] = (byte) (len * 8);
      for (int i = 1, at = 0; at < len; i++) {
        d[0] = (byte) i;
        byte[] block = kbpk.cmac(d);
        int n = Math.min(block.length, len - at);
        System.arraycopy(block, 0, k, at, n);
        Arrays.fill(block, (byte) 0);
        at += n;
      }
      out[usage] = k;
    }
    return out;
  }

  private static KeyAlgorithm algorithmOf(KeyOps kbpk) {
    return kbpk.algorithm();
  }

  private static void checkKbpk(KeyOps kbpk, Tr31Header.Version v) {
    KeyAlgorithm a = kbpk.algorithm();
    if (v == Tr31Header.Version.B && a != KeyAlgorithm.TDES_2KEY && a != KeyAlgorithm.TDES_3KEY) {
      throw new ValidationException("kbpk", "version B needs a double or triple-length TDES KBPK, was " + a);
    }
    if (v == Tr31Header.Version.D && !a.isAes()) {
      throw new ValidationException("kbpk", "version D needs an AES KBPK, was " + a);
    }
  }

  /** Zeroes the key schedules of the block keys that were made. */
  private static void wipe(SoftKeyOps... ops) {
    for (SoftKeyOps o : ops) {
      if (o != null) {
        o.wipe();
      }
    }
  }
}
