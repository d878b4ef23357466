package dev.perso.crypto.internal;

import dev.perso.core.CryptoException;
import dev.perso.crypto.KeyAlgorithm;
import java.security.GeneralSecurityException;
import java.util.function.Function;
import java.util.function.IntFunction;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.IvParameterSpec;

/**
 * Primitives of a key object inside a PKCS#11 token, through SunPKCS11 {@link Cipher}s: the key never
 * leaves the token. DES-family keys are one DESede object each (single DES as K‖K‖K, double length as
 * K1‖K2‖K1). There are no single-DES half objects: ISO 9797-1 algorithm 3 on one block is the whole
 * key's 3DES; on more blocks the chaining needs single DES under K1, which only the backend's opt-in
 * key-halves policy supplies (the {@code halves} function refuses otherwise).
 */
public final class P11KeyOps implements KeyOps {
  private final KeyAlgorithm algorithm;
  private final SecretKey key;
  private final String label;
  private final Function<String, Cipher> ciphers;
  private final IntFunction<KeyOps> halves;

  /**
   * @param algorithm the key's algorithm
   * @param key the token key object
   * @param label its label, for messages
   * @param ciphers a per-thread cache of SunPKCS11 ciphers by transformation
   * @param halves the single-DES halves by index (may throw if the token has none)
   */
  public P11KeyOps(KeyAlgorithm algorithm, SecretKey key, String label, Function<String, Cipher> ciphers,
      IntFunction<KeyOps> halves) {
    this.algorithm = algorithm;
    this.key = key;
    this.label = label;
    this.ciphers = ciphers;
    this.halves = halves;
  }

  @Override
  public KeyAlgorithm algorithm() {
    return algorithm;
  }

  @Override
  public byte[] encrypt(boolean cbc, byte[] iv, byte[] data) {
    return run(Cipher.ENCRYPT_MODE, cbc, iv, data);
  }

  @Override
  public byte[] decrypt(boolean cbc, byte[] iv, byte[] data) {
    return run(Cipher.DECRYPT_MODE, cbc, iv, data);
  }

  private byte[] run(int mode, boolean cbc, byte[] iv, byte[] data) {
    String alg = algorithm.isAes() ? "AES" : "DESede";
    Cipher c = ciphers.apply(alg + (cbc ? "/CBC/NoPadding" : "/ECB/NoPadding"));
    try {
      if (cbc) {
        c.init(mode, key, new IvParameterSpec(iv == null ? new byte[algorithm.blockSize()] : iv));
      } else {
        c.init(mode, key);
      }
      return c.doFinal(data);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new CryptoException("token " + alg + (cbc ? "/CBC" : "/ECB") + " with key '" + label + "' failed: "
          + e.getClass().getSimpleName(), e);
    }
  }

  @Override
  public KeyOps half(int index) {
    KeyOps.requireDoubleDes(algorithm);
    return halves.apply(index);
  }

  /**
   * ISO 9797-1 algorithm 3 composed from whole-key operations where possible. For a double-length key
   * K1‖K2 the output transformation E<sub>K1</sub>(D<sub>K2</sub>(h<sub>n</sub>)) with
   * h<sub>n</sub> = E<sub>K1</sub>(h<sub>n-1</sub> ⊕ x<sub>n</sub>) equals the token's 3DES (EDE with K1,K2,K1)
   * of h<sub>n-1</sub> ⊕ x<sub>n</sub>; so one block needs nothing but the token key, and longer messages
   * need single DES under K1 only for the chaining h<sub>1</sub>..h<sub>n-1</sub> (K2 never leaves the
   * token). Triple-length keys (whose 3DES ends with K3, not K1) need both halves.
   */
  @Override
  public byte[] retailMac(byte[] padded) {
    KeyOps.requireDoubleDes(algorithm);
    if (algorithm == KeyAlgorithm.TDES_3KEY) {
      KeyOps k1 = half(0);
      KeyOps k2 = half(1);
      try {
        byte[] h = k1.cbcMac(padded);
        byte[] d = k2.decrypt(false, null, h);
        java.util.Arrays.fill(h, (byte) 0);
        byte[] out = k1.encrypt(false, null, d);
        java.util.Arrays.fill(d, (byte) 0);
        return out;
      } finally {
        k1.wipe();
        k2.wipe();
      }
    }
    byte[] last = java.util.Arrays.copyOfRange(padded, padded.length - 8, padded.length);
    if (padded.length > 8) {
      KeyOps k1 = half(0);
      try {
        byte[] h = k1.cbcMac(java.util.Arrays.copyOf(padded, padded.length - 8));
        for (int i = 0; i < 8; i++) {
          last[i] ^= h[i];
        }
        java.util.Arrays.fill(h, (byte) 0);
      } finally {
        k1.wipe();
      }
    }
    try {
      return encrypt(false, null, last);
    } finally {
      java.util.Arrays.fill(last, (byte) 0);
    }
  }
}
