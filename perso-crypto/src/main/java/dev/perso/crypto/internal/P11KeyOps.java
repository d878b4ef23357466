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
 * leaves the token. DES-family keys are DESede objects (single DES as K‖K‖K, double length as
 * K1‖K2‖K1); the single-DES halves needed by ISO 9797-1 algorithm 3 are separate objects.
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
}
