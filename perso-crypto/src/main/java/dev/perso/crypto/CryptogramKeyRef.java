package dev.perso.crypto;

import dev.perso.core.Bytes;
import dev.perso.core.ValidationException;
import java.util.Objects;
import java.util.Optional;

/**
 * A key encrypted under a crypto device's master key, for example a payment HSM's "key under LMK" or
 * a key block. Only the device that owns the master key can use it; {@link SoftwareBackend} accepts
 * the scheme {@link Scheme#ECB_UNDER_MASTER} when it is built with a master key.
 *
 * <pre>{@code
 * KeyRef cvk = CryptogramKeyRef.of(CryptogramKeyRef.Scheme.ECB_UNDER_MASTER, cryptogram,
 *     KeyAlgorithm.TDES_2KEY, KeyUsage.CVK);
 * }</pre>
 */
public final class CryptogramKeyRef implements KeyRef {
  /** How the key is encrypted. */
  public enum Scheme {
    /** Key bytes encrypted in ECB under the backend's master key (software and simple HSMs). */
    ECB_UNDER_MASTER,
    /** A TR-31 key block under the backend's master key. */
    TR31
  }

  private final Scheme scheme;
  private final Bytes cryptogram;
  private final KeyAlgorithm algorithm;
  private final KeyUsage usage;
  private final Kcv kcv;

  private CryptogramKeyRef(Scheme scheme, Bytes cryptogram, KeyAlgorithm algorithm, KeyUsage usage, Kcv kcv) {
    this.scheme = Objects.requireNonNull(scheme, "scheme");
    if (cryptogram == null || cryptogram.isEmpty()) {
      throw new ValidationException("cryptogram", "must not be empty");
    }
    this.cryptogram = cryptogram;
    this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
    this.usage = Objects.requireNonNull(usage, "usage");
    this.kcv = kcv;
  }

  /**
   * @param scheme how the key is encrypted
   * @param cryptogram the encrypted key
   * @param algorithm cipher and length of the clear key
   * @param usage the key's role
   * @return a reference
   */
  public static CryptogramKeyRef of(Scheme scheme, Bytes cryptogram, KeyAlgorithm algorithm, KeyUsage usage) {
    return new CryptogramKeyRef(scheme, cryptogram, algorithm, usage, null);
  }

  /**
   * @param kcv the check value of the clear key
   * @return a copy carrying it
   */
  public CryptogramKeyRef withKcv(Kcv kcv) {
    return new CryptogramKeyRef(scheme, cryptogram, algorithm, usage, Objects.requireNonNull(kcv, "kcv"));
  }

  /** @return how the key is encrypted */
  public Scheme scheme() {
    return scheme;
  }

  /** @return the encrypted key (not secret: useless without the master key) */
  public Bytes cryptogram() {
    return cryptogram;
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
    return o instanceof CryptogramKeyRef && ((CryptogramKeyRef) o).scheme == scheme
        && ((CryptogramKeyRef) o).cryptogram.equals(cryptogram)
        && ((CryptogramKeyRef) o).algorithm == algorithm && ((CryptogramKeyRef) o).usage == usage;
  }

  @Override
  public int hashCode() {
    return Objects.hash(scheme, cryptogram, algorithm, usage);
  }

  @Override
  public String toString() {
    return "CryptogramKeyRef[" + scheme + " " + algorithm + " " + usage + " " + cryptogram.length() + " bytes"
        + (kcv == null ? "" : " kcv=" + kcv.hex()) + "]";
  }
}
