package dev.perso.crypto;

import dev.perso.core.ValidationException;
import java.util.Objects;

/**
 * What to create when a key is imported: label (for tokens), algorithm, usage, and the KCV method
 * used to check components and report the result.
 *
 * <pre>{@code
 * KeyTemplate t = KeyTemplate.of("IMK-AC", KeyAlgorithm.TDES_2KEY, KeyUsage.IMK_AC);
 * KeyRef imk = backend.importComponents(t, List.of(c1, c2, c3));
 * }</pre>
 *
 * @param label object label on a token (ignored by software backends), 1..48 characters
 * @param algorithm cipher and length
 * @param usage the key's role
 * @param kcvMethod the check value convention
 */
public record KeyTemplate(String label, KeyAlgorithm algorithm, KeyUsage usage, KcvMethod kcvMethod) {
  /** Checks the components. */
  public KeyTemplate {
    if (label == null || label.isBlank() || label.length() > 48 || label.contains("#")) {
      throw new ValidationException("label", "must be 1..48 characters without '#'");
    }
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(usage, "usage");
    Objects.requireNonNull(kcvMethod, "kcvMethod");
    if (kcvMethod != KcvMethod.ENCRYPT_ZEROS && !algorithm.isAes()) {
      throw new ValidationException("kcvMethod", kcvMethod + " applies to AES keys only");
    }
  }

  /**
   * A template with the default KCV method for the algorithm.
   *
   * @param label token label
   * @param algorithm cipher and length
   * @param usage role
   * @return the template
   */
  public static KeyTemplate of(String label, KeyAlgorithm algorithm, KeyUsage usage) {
    return new KeyTemplate(label, algorithm, usage, KcvMethod.defaultFor(algorithm));
  }
}
