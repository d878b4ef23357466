package dev.perso.crypto;

import dev.perso.core.ValidationException;

/**
 * The block cipher and key length of a key.
 *
 * <pre>{@code
 * KeyAlgorithm a = KeyAlgorithm.TDES_2KEY;
 * a.keyLength();   // 16
 * a.blockSize();   // 8
 * }</pre>
 */
public enum KeyAlgorithm {
  /** Single DES, 8 bytes. Legacy only: PVKs and ISO 9797-1 key halves. */
  DES(8, 8),
  /** Double-length triple DES (K1 K2 K1), 16 bytes. */
  TDES_2KEY(16, 8),
  /** Triple-length triple DES, 24 bytes. */
  TDES_3KEY(24, 8),
  /** AES with a 128-bit key. */
  AES_128(16, 16),
  /** AES with a 192-bit key. */
  AES_192(24, 16),
  /** AES with a 256-bit key. */
  AES_256(32, 16);

  private final int keyLength;
  private final int blockSize;

  KeyAlgorithm(int keyLength, int blockSize) {
    this.keyLength = keyLength;
    this.blockSize = blockSize;
  }

  /** @return key length in bytes */
  public int keyLength() {
    return keyLength;
  }

  /** @return cipher block size in bytes: 8 for DES family, 16 for AES */
  public int blockSize() {
    return blockSize;
  }

  /** @return true for AES keys */
  public boolean isAes() {
    return blockSize == 16;
  }

  /** @return true for DES and triple-DES keys */
  public boolean isDes() {
    return blockSize == 8;
  }

  /**
   * The DES-family algorithm for a key length.
   *
   * @param length 8, 16 or 24
   * @return the matching algorithm
   */
  public static KeyAlgorithm desForLength(int length) {
    switch (length) {
      case 8: return DES;
      case 16: return TDES_2KEY;
      case 24: return TDES_3KEY;
      default: throw new ValidationException("key", "DES key length must be 8, 16 or 24 bytes, was " + length);
    }
  }

  /**
   * The AES algorithm for a key length.
   *
   * @param length 16, 24 or 32
   * @return the matching algorithm
   */
  public static KeyAlgorithm aesForLength(int length) {
    switch (length) {
      case 16: return AES_128;
      case 24: return AES_192;
      case 32: return AES_256;
      default: throw new ValidationException("key", "AES key length must be 16, 24 or 32 bytes, was " + length);
    }
  }
}
