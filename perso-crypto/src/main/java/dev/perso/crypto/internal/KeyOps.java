package dev.perso.crypto.internal;

import dev.perso.core.ValidationException;
import dev.perso.crypto.KeyAlgorithm;
import java.util.Arrays;

/**
 * The block-cipher primitives of one key, wherever the key lives (software engine or token object).
 * Every payment algorithm in {@link Algorithms} is written once over this interface, so that all
 * backends give identical bytes. The MAC methods have generic implementations built from
 * {@link #encrypt}/{@link #decrypt}; software overrides them with faster paths.
 *
 * <p>Instances are not thread-safe; backends keep them per thread.
 */
public interface KeyOps {
  /** @return the key's algorithm */
  KeyAlgorithm algorithm();

  /**
   * @param cbc true for CBC, false for ECB
   * @param iv CBC IV (null for zeros)
   * @param data whole blocks
   * @return ciphertext
   */
  byte[] encrypt(boolean cbc, byte[] iv, byte[] data);

  /**
   * @param cbc true for CBC, false for ECB
   * @param iv CBC IV (null for zeros)
   * @param data whole blocks
   * @return plaintext
   */
  byte[] decrypt(boolean cbc, byte[] iv, byte[] data);

  /**
   * The single-DES key K (index 0) or K' (index 1) of a double/triple-length key, for ISO 9797-1
   * MAC algorithm 3.
   *
   * @param index 0 or 1
   * @return the half's primitives
   */
  KeyOps half(int index);

  /** Forgets the key: wipes any key bytes and key schedule held; later use fails. Idempotent. */
  default void wipe() {}

  /** @return the block size */
  default int blockSize() {
    return algorithm().blockSize();
  }

  /**
   * ISO 9797-1 MAC algorithm 1: the last block of CBC with a zero IV.
   *
   * @param padded whole blocks
   * @return one block
   */
  default byte[] cbcMac(byte[] padded) {
    byte[] c = encrypt(true, null, padded);
    return Arrays.copyOfRange(c, c.length - blockSize(), c.length);
  }

  /**
   * ISO 9797-1 MAC algorithm 3.
   *
   * @param padded whole 8-byte blocks
   * @return 8 bytes
   */
  default byte[] retailMac(byte[] padded) {
    requireDoubleDes(algorithm());
    KeyOps k = half(0);
    byte[] h = k.cbcMac(padded);
    h = half(1).decrypt(false, null, h);
    return k.encrypt(false, null, h);
  }

  /**
   * NIST SP 800-38B CMAC over the whole message.
   *
   * @param message any length
   * @return one block
   */
  default byte[] cmac(byte[] message) {
    int bs = blockSize();
    byte[] l = encrypt(false, null, new byte[bs]);
    byte[] k1 = Algorithms.dbl(l);
    byte[] k2 = Algorithms.dbl(k1);
    byte[] padded = Algorithms.cmacLastBlock(message, bs, k1, k2);
    try {
      return cbcMac(padded);
    } finally {
      Arrays.fill(l, (byte) 0);
      Arrays.fill(k1, (byte) 0);
      Arrays.fill(k2, (byte) 0);
      Arrays.fill(padded, (byte) 0);
    }
  }

  /**
   * @param algorithm a key algorithm
   * @throws ValidationException unless double or triple length DES
   */
  static void requireDoubleDes(KeyAlgorithm algorithm) {
    if (algorithm != KeyAlgorithm.TDES_2KEY && algorithm != KeyAlgorithm.TDES_3KEY) {
      throw new ValidationException("key", "needs a double- or triple-length DES key, was " + algorithm);
    }
  }
}
