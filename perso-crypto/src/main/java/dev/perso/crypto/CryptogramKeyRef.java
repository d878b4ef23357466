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
    TR31,
    /**
     * A payment HSM's variant-LMK key: the 8, 16 or 24 encrypted bytes of a key written {@code Z}/none,
     * {@code U} or {@code T} + hex on the payShield wire ({@code dev.perso.crypto.payshield}).
     */
    LMK_VARIANT,
    /** A payment HSM's key-block-LMK key: the ASCII text of the {@code S} key block, after the {@code S}. */
    LMK_KEY_BLOCK
  }

  private final Scheme scheme;
  private final Bytes cryptogram;
  private final KeyAlgorithm algorithm;
  private final KeyUsage usage;
  private final Kcv kcv;
  private final String deviceKeyType;

  private CryptogramKeyRef(Scheme scheme, Bytes cryptogram, KeyAlgorithm algorithm, KeyUsage usage, Kcv kcv) {
    this(scheme, cryptogram, algorithm, usage, kcv, null);
  }

  private CryptogramKeyRef(Scheme scheme, Bytes cryptogram, KeyAlgorithm algorithm, KeyUsage usage, Kcv kcv,
      String deviceKeyType) {
    this.scheme = Objects.requireNonNull(scheme, "scheme");
    if (cryptogram == null || cryptogram.isEmpty()) {
      throw new ValidationException("cryptogram", "must not be empty");
    }
    this.cryptogram = cryptogram;
    this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
    this.usage = Objects.requireNonNull(usage, "usage");
    this.kcv = kcv;
    this.deviceKeyType = deviceKeyType;
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
    return new CryptogramKeyRef(scheme, cryptogram, algorithm, usage, Objects.requireNonNull(kcv, "kcv"),
        deviceKeyType);
  }

  /**
   * The device's own key type, for devices that bind a key to a type inside the master-key encryption
   * (payShield's 3-character LMK key type code, e.g. {@code 402} for a CVK); without it the device
   * backend picks the type from {@link #usage()}.
   *
   * @param type the device key type code
   * @return a copy carrying it
   */
  public CryptogramKeyRef withDeviceKeyType(String type) {
    if (type == null || type.isEmpty() || type.length() > 8) {
      throw new ValidationException("deviceKeyType", "must be 1..8 characters");
    }
    return new CryptogramKeyRef(scheme, cryptogram, algorithm, usage, kcv, type);
  }

  /** @return the device key type given with {@link #withDeviceKeyType}, if any */
  public Optional<String> deviceKeyType() {
    return Optional.ofNullable(deviceKeyType);
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
        && ((CryptogramKeyRef) o).algorithm == algorithm && ((CryptogramKeyRef) o).usage == usage
        && Objects.equals(((CryptogramKeyRef) o).deviceKeyType, deviceKeyType);
  }

  @Override
  public int hashCode() {
    return Objects.hash(scheme, cryptogram, algorithm, usage, deviceKeyType);
  }

  @Override
  public String toString() {
    return "CryptogramKeyRef[" + scheme + " " + algorithm + " " + usage + " " + cryptogram.length() + " bytes"
        + (deviceKeyType == null ? "" : " type " + deviceKeyType) + (kcv == null ? "" : " kcv=" + kcv.hex()) + "]";
  }
}
