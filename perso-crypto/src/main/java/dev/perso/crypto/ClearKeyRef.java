package dev.perso.crypto;

import dev.perso.core.Bytes;
import dev.perso.core.SecretBytes;
import dev.perso.core.ValidationException;
import dev.perso.crypto.internal.KeyOps;
import java.util.Arrays;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.Optional;
import java.util.function.Function;

/**
 * Clear key bytes, for tests and software use, and for per-card keys a backend derived. Never printed:
 * {@code toString} shows algorithm, usage and KCV only. The bytes live only in one wipeable
 * {@link SecretBytes}; {@link #close()} wipes them, and also every keyed engine a backend built from
 * them (see {@link #onClose}), after which any use fails. Equality is identity, so no hash of the key
 * is ever computed.
 *
 * <pre>{@code
 * try (ClearKeyRef cvk = ClearKeyRef.of(KeyAlgorithm.TDES_2KEY, KeyUsage.CVK,
 *     Bytes.fromHex("0123456789ABCDEFFEDCBA9876543210"))) {
 *   String cvv = backend.cvv(cvk, CvvInput.of("4123456789012345", "8701", "101"));
 * }
 * }</pre>
 */
public final class ClearKeyRef implements KeyRef, AutoCloseable {
  private final KeyAlgorithm algorithm;
  private final KeyUsage usage;
  private final SecretBytes value;
  private final Kcv kcv;
  /** Wipers of engines keyed from these bytes (weak: an engine a backend dropped goes away). */
  private final Set<KeyOps> wipers;

  private ClearKeyRef(KeyAlgorithm algorithm, KeyUsage usage, SecretBytes value, Kcv kcv, Set<KeyOps> wipers) {
    this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
    this.usage = Objects.requireNonNull(usage, "usage");
    this.value = value;
    this.kcv = kcv;
    this.wipers = wipers;
  }

  private static ClearKeyRef create(KeyAlgorithm algorithm, KeyUsage usage, SecretBytes value) {
    return new ClearKeyRef(algorithm, usage, value, null,
        Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>())));
  }

  /**
   * Copies key bytes into a new reference.
   *
   * @param algorithm cipher and length; the length must match
   * @param usage the key's role
   * @param key the key bytes (copied)
   * @return a clear key reference
   */
  public static ClearKeyRef of(KeyAlgorithm algorithm, KeyUsage usage, Bytes key) {
    Objects.requireNonNull(key, "key");
    checkLength(algorithm, key.length());
    return create(algorithm, usage, SecretBytes.takeOwnership(key.toByteArray()));
  }

  /**
   * Takes ownership of an array (wiped on {@link #close()}).
   *
   * @param algorithm cipher and length
   * @param usage the key's role
   * @param owned key bytes nobody else will use again
   * @return a clear key reference
   */
  public static ClearKeyRef ofOwned(KeyAlgorithm algorithm, KeyUsage usage, byte[] owned) {
    try {
      checkLength(algorithm, owned.length);
    } catch (ValidationException e) {
      Arrays.fill(owned, (byte) 0);
      throw e;
    }
    return create(algorithm, usage, SecretBytes.takeOwnership(owned));
  }

  /**
   * Parses hex key text (for tests and key ceremonies); the length must match {@code algorithm}. The
   * bytes are decoded straight into the wipeable holder, no other copy is kept. The text itself cannot
   * be wiped by this method: callers reading a key from a file or prompt should pass a {@code char[]}
   * (or {@link java.nio.CharBuffer}) and wipe it afterwards.
   *
   * @param algorithm cipher and length
   * @param usage the key's role
   * @param hex the key in hex
   * @return a clear key reference
   */
  public static ClearKeyRef fromHex(KeyAlgorithm algorithm, KeyUsage usage, CharSequence hex) {
    Objects.requireNonNull(hex, "hex");
    SecretBytes bytes = SecretBytes.fromHex(hex);
    try {
      checkLength(algorithm, bytes.length());
    } catch (RuntimeException e) {
      bytes.close();
      throw e;
    }
    return create(algorithm, usage, bytes);
  }

  private static void checkLength(KeyAlgorithm algorithm, int length) {
    Objects.requireNonNull(algorithm, "algorithm");
    if (length != algorithm.keyLength()) {
      throw new ValidationException("key", algorithm + " needs " + algorithm.keyLength() + " bytes, was " + length);
    }
  }

  /**
   * @param kcv the check value to record
   * @return a reference to the same bytes carrying the KCV (closing either wipes both)
   */
  public ClearKeyRef withKcv(Kcv kcv) {
    return new ClearKeyRef(algorithm, usage, value, Objects.requireNonNull(kcv, "kcv"), wipers);
  }

  /**
   * @param usage another role
   * @return a reference to the same bytes with another usage (closing either wipes both)
   */
  public ClearKeyRef withUsage(KeyUsage usage) {
    return new ClearKeyRef(algorithm, usage, value, kcv, wipers);
  }

  /**
   * Runs {@code use} with the key bytes; the array must not be kept or changed after the call.
   *
   * @param use what to do with the key
   * @param <T> the result type
   * @return what {@code use} returned
   */
  public <T> T apply(Function<byte[], T> use) {
    return value.apply(use);
  }

  /** @return a copy of the key marked secret, for export to a trusted place (tests, CLI) */
  public Bytes toSecretBytes() {
    return value.apply(Bytes::secret);
  }

  /** @return true once {@link #close()} wiped the key */
  public boolean isDestroyed() {
    return value.isDestroyed();
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

  /**
   * Registers the wiper of something keyed from these bytes (a backend's cached engine), run by
   * {@link #close()}. Held weakly: an engine nobody references any more needs no wiping.
   *
   * @param wiper engines keyed from these bytes; {@link KeyOps#wipe()} must be idempotent
   */
  void onClose(KeyOps wiper) {
    wipers.add(Objects.requireNonNull(wiper, "wiper"));
  }

  /** Wipes the key bytes and every engine keyed from them. Idempotent. */
  @Override
  public void close() {
    value.close();
    KeyOps[] all;
    synchronized (wipers) {
      all = wipers.toArray(new KeyOps[0]);
      wipers.clear();
    }
    for (KeyOps w : all) {
      w.wipe();
    }
  }

  @Override
  public String toString() {
    return "ClearKeyRef[" + algorithm + " " + usage + (kcv == null ? "" : " kcv=" + kcv.hex())
        + (isDestroyed() ? " wiped" : "") + " value=***]";
  }
}
