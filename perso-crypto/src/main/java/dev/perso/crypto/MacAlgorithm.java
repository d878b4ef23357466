package dev.perso.crypto;

/**
 * MAC algorithms a backend computes as whole operations.
 *
 * <pre>{@code
 * Bytes mac = backend.mac(smi, MacAlgorithm.ISO9797_1_ALG3, Padding.METHOD_2, apdu);
 * }</pre>
 */
public enum MacAlgorithm {
  /** ISO/IEC 9797-1 MAC algorithm 1: CBC-MAC with the whole key (TDES or AES), IV zero. */
  ISO9797_1_ALG1,
  /**
   * ISO/IEC 9797-1 MAC algorithm 3 ("retail MAC", ANSI X9.19): single-DES CBC with K, then decrypt
   * with K' and encrypt with K. Double- or triple-length DES keys; K and K' are the first two halves.
   */
  ISO9797_1_ALG3,
  /** NIST SP 800-38B CMAC with AES or TDES; the padding must be {@link Padding#NONE} (CMAC pads itself). */
  CMAC
}
