package dev.perso.crypto;

/**
 * Block cipher mode; data must be a whole number of blocks (pad with {@link Padding} first).
 *
 * <pre>{@code
 * backend.encrypt(dek, CipherSpec.ecb(), keyBytes);
 * }</pre>
 */
public enum CipherMode {
  /** Electronic codebook. */
  ECB,
  /** Cipher block chaining with an IV. */
  CBC
}
