package dev.perso.emv.cps;

import dev.perso.core.ValidationException;
import dev.perso.crypto.KcvMethod;
import dev.perso.crypto.KeyAlgorithm;
import java.util.Objects;

/**
 * How a card profile checks the keys of a key DGI against its KCV DGI: the keys' algorithm (which fixes
 * how many bytes each key takes in the DGI), the KCV method and the KCV length per key.
 *
 * <pre>{@code
 * KcvRule.tdes(0x8000);                                              // TDES 2-key, DES(K, 00..), 3 bytes
 * new KcvRule(0x8000, KeyAlgorithm.AES_128, KcvMethod.AES_CMAC_ZEROS, 5);
 * }</pre>
 *
 * @param keyDgi the DGI holding the keys, e.g. {@code 0x8000}
 * @param keyAlgorithm the keys' algorithm
 * @param method the KCV method
 * @param length KCV bytes per key
 */
public record KcvRule(int keyDgi, KeyAlgorithm keyAlgorithm, KcvMethod method, int length) {
  /** Validates. */
  public KcvRule {
    if (keyDgi < 0 || keyDgi > 0xFFFF) {
      throw new ValidationException("kcv keys", "a DGI is 0000..FFFF, was " + keyDgi);
    }
    Objects.requireNonNull(keyAlgorithm, "keyAlgorithm");
    Objects.requireNonNull(method, "method");
    if (length < 1 || length > 16) {
      throw new ValidationException("kcv length", "must be 1..16, was " + length);
    }
    if (keyAlgorithm == KeyAlgorithm.DES) {
      throw new ValidationException("kcv keyAlgorithm", "card keys are TDES or AES, not single DES");
    }
    if (method != KcvMethod.ENCRYPT_ZEROS && !keyAlgorithm.isAes()) {
      throw new ValidationException("kcv method", method + " is for AES keys, not " + keyAlgorithm);
    }
  }

  /**
   * @param keyDgi the key DGI
   * @return the common EMV CPS rule: double-length TDES keys, DES-encrypted zeros, 3 bytes (EMV CPS 1.1 §5.3)
   */
  public static KcvRule tdes(int keyDgi) {
    return new KcvRule(keyDgi, KeyAlgorithm.TDES_2KEY, KcvMethod.ENCRYPT_ZEROS, 3);
  }
}
