package dev.perso.crypto;

/**
 * The named key check value conventions.
 *
 * <pre>{@code
 * Kcv kcv = backend.kcv(aesKey, KcvMethod.AES_CMAC_ZEROS);   // 5 bytes, X9.24-1-2017
 * }</pre>
 */
public enum KcvMethod {
  /**
   * Encrypt a block of zeros (DES/TDES: 8 bytes; legacy AES: 16 bytes) in ECB, keep the leftmost
   * bytes; 3 by default (payShield, GlobalPlatform).
   */
  ENCRYPT_ZEROS(3),
  /** AES-CMAC over 16 zero bytes, leftmost 5 bytes (ANSI X9.24-1-2017, PCI PIN 15-1). AES only. */
  AES_CMAC_ZEROS(5),
  /** GlobalPlatform SCP03: AES encrypt 16 bytes of {@code 01}, leftmost 3 bytes. AES only. */
  GP_AES_ONES(3);

  private final int defaultLength;

  KcvMethod(int defaultLength) {
    this.defaultLength = defaultLength;
  }

  /** @return the usual number of KCV bytes for this convention */
  public int defaultLength() {
    return defaultLength;
  }

  /**
   * The method an issuer would pick for a key type: {@link #ENCRYPT_ZEROS} for DES family,
   * {@link #AES_CMAC_ZEROS} for AES.
   *
   * @param algorithm the key algorithm
   * @return the default convention
   */
  public static KcvMethod defaultFor(KeyAlgorithm algorithm) {
    return algorithm.isAes() ? AES_CMAC_ZEROS : ENCRYPT_ZEROS;
  }
}
