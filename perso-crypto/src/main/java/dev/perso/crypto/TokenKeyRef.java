package dev.perso.crypto;

import dev.perso.core.ValidationException;
import java.util.Objects;
import java.util.Optional;

/**
 * A key object on a PKCS#11 token, addressed by its {@code CKA_LABEL}. Carries no key bytes.
 *
 * <pre>{@code
 * KeyRef kmc = TokenKeyRef.of("KMC", KeyAlgorithm.TDES_2KEY, KeyUsage.KMC);
 * }</pre>
 */
public final class TokenKeyRef implements KeyRef {
  private final String label;
  private final KeyAlgorithm algorithm;
  private final KeyUsage usage;
  private final Kcv kcv;

  private TokenKeyRef(String label, KeyAlgorithm algorithm, KeyUsage usage, Kcv kcv) {
    if (label == null || label.isBlank() || label.length() > 64) {
      throw new ValidationException("label", "must be 1..64 characters");
    }
    this.label = label;
    this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
    this.usage = Objects.requireNonNull(usage, "usage");
    this.kcv = kcv;
  }

  /**
   * @param label the token object's label
   * @param algorithm cipher and length
   * @param usage the key's role
   * @return a reference
   */
  public static TokenKeyRef of(String label, KeyAlgorithm algorithm, KeyUsage usage) {
    return new TokenKeyRef(label, algorithm, usage, null);
  }

  /**
   * @param kcv the check value to record
   * @return a copy carrying the check value
   */
  public TokenKeyRef withKcv(Kcv kcv) {
    return new TokenKeyRef(label, algorithm, usage, Objects.requireNonNull(kcv, "kcv"));
  }

  /** @return the token object's label */
  public String label() {
    return label;
  }

  @Override
  public KeyAlgorithm algorithm() {
    return algorithm;
  }

  @Override
  public KeyUsage usage() {
    return usage;
  }

  @Override
  public Optional<Kcv> kcv() {
    return Optional.ofNullable(kcv);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TokenKeyRef && ((TokenKeyRef) o).label.equals(label)
        && ((TokenKeyRef) o).algorithm == algorithm && ((TokenKeyRef) o).usage == usage;
  }

  @Override
  public int hashCode() {
    return Objects.hash(label, algorithm, usage);
  }

  @Override
  public String toString() {
    return "TokenKeyRef[" + label + " " + algorithm + " " + usage + (kcv == null ? "" : " kcv=" + kcv.hex()) + "]";
  }
}
