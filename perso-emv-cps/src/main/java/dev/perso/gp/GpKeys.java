package dev.perso.gp;

import dev.perso.core.internal.OwnedBytes;
import dev.perso.core.Bytes;
import dev.perso.core.ValidationException;
import dev.perso.crypto.ClearKeyRef;
import dev.perso.crypto.CipherSpec;
import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.Derivation;
import dev.perso.crypto.KeyAlgorithm;
import dev.perso.crypto.KeyRef;
import dev.perso.crypto.KeyUsage;
import dev.perso.crypto.MacAlgorithm;
import dev.perso.crypto.Padding;
import dev.perso.gp.internal.StaticKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The keys a host opens a secure channel with: either the card's static ENC, MAC and DEK keys, or a
 * master key (KMC) and a {@link Diversification} that turns it into the card's keys from the KDD.
 * Keys are {@link KeyRef}s, so a KMC can stay inside a PKCS#11 token. Immutable; {@code toString}
 * never shows key values.
 *
 * <pre>{@code
 * GpKeys keys = GpKeys.diversified(TokenKeyRef.of("KMC", KeyAlgorithm.TDES_2KEY, KeyUsage.KMC), Diversification.EMV_CPS)
 *     .withKeyVersion(0x20).withLabel("issuer KMC v20");
 * GpKeys test = GpKeys.single(ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.KMC, "404142434445464748494A4B4C4D4E4F"));
 * }</pre>
 */
public final class GpKeys {
  static {
    // the card side (dev.perso.gp.card) resolves keys through StaticKeys, without a public resolve here
    StaticKeys.register(GpKeys::resolve);
  }

  private final KeyRef enc;
  private final KeyRef mac;
  private final KeyRef dek;
  private final KeyRef master;
  private final Diversification diversification;
  private final int keyVersion;
  private final String label;

  private GpKeys(KeyRef enc, KeyRef mac, KeyRef dek, KeyRef master, Diversification diversification, int keyVersion,
      String label) {
    this.enc = enc;
    this.mac = mac;
    this.dek = dek;
    this.master = master;
    this.diversification = diversification;
    this.keyVersion = keyVersion;
    this.label = label;
  }

  /**
   * The card's static keys.
   *
   * @param enc the static ENC key
   * @param mac the static MAC key
   * @param dek the static DEK (may be null if no sensitive data is sent)
   * @return the keys
   */
  public static GpKeys of(KeyRef enc, KeyRef mac, KeyRef dek) {
    Objects.requireNonNull(enc, "enc");
    Objects.requireNonNull(mac, "mac");
    if (enc.algorithm() != mac.algorithm() || (dek != null && dek.algorithm() != enc.algorithm())) {
      throw new ValidationException("keys", "ENC, MAC and DEK must have the same algorithm");
    }
    return new GpKeys(enc, mac, dek, null, Diversification.NONE, 0, "static keys");
  }

  /**
   * One key used as ENC, MAC and DEK (test cards, the GP default key).
   *
   * @param key the key
   * @return the keys
   */
  public static GpKeys single(KeyRef key) {
    Objects.requireNonNull(key, "key");
    return new GpKeys(role(key, KeyUsage.ENC), role(key, KeyUsage.MAC), role(key, KeyUsage.DEK), null,
        Diversification.NONE, 0, "single key");
  }

  /**
   * One key playing one GP role: a clear key is presented with that role's {@link KeyUsage} (the same
   * bytes), so the backends' usage checks see ENC, MAC and DEK. A token key keeps its pinned usage: give
   * a token separate ENC, MAC and DEK objects ({@link #of}).
   */
  private static KeyRef role(KeyRef key, KeyUsage usage) {
    if (key instanceof ClearKeyRef && key.usage() != usage) {
      return ((ClearKeyRef) key).withUsage(usage);
    }
    return key;
  }

  /**
   * A master key diversified per card.
   *
   * @param kmc the master key
   * @param diversification how to derive the card keys; {@link Diversification#NONE} uses the KMC as is
   * @return the keys
   */
  public static GpKeys diversified(KeyRef kmc, Diversification diversification) {
    Objects.requireNonNull(kmc, "kmc");
    Objects.requireNonNull(diversification, "diversification");
    if (diversification.isNone()) {
      return new GpKeys(role(kmc, KeyUsage.ENC), role(kmc, KeyUsage.MAC), role(kmc, KeyUsage.DEK), null,
          Diversification.NONE, 0, "KMC");
    }
    return new GpKeys(null, null, null, kmc, diversification, 0, "KMC " + diversification.name());
  }

  /**
   * @param kvn the key version number sent in INITIALIZE UPDATE P1 (0 = the card's default)
   * @return a copy with that key version
   */
  public GpKeys withKeyVersion(int kvn) {
    if (kvn < 0 || kvn > 0xFF) {
      throw new ValidationException("keyVersion", "must be 0..255, was " + kvn);
    }
    return new GpKeys(enc, mac, dek, master, diversification, kvn, label);
  }

  /**
   * @param label a name for messages (never a key value)
   * @return a copy with that label
   */
  public GpKeys withLabel(String label) {
    if (label == null || label.isBlank()) {
      throw new ValidationException("label", "must not be blank");
    }
    return new GpKeys(enc, mac, dek, master, diversification, keyVersion, label);
  }

  /** @return the key version number, 0 for the card's default */
  public int keyVersion() {
    return keyVersion;
  }

  /** @return the label used in messages */
  public String label() {
    return label;
  }

  /** @return the diversification ({@link Diversification#NONE} for static keys) */
  public Diversification diversification() {
    return diversification;
  }

  /** @return the algorithm of the master or static keys */
  public KeyAlgorithm algorithm() {
    return master != null ? master.algorithm() : enc.algorithm();
  }

  /**
   * Resolves the card's static keys for one KDD. Keys this call derives are owned by the result and
   * wiped by its {@link StaticKeys#close()}.
   *
   * @param crypto the backend
   * @param kdd the 10-byte key diversification data
   * @return ENC, MAC, DEK
   */
  StaticKeys resolve(CryptoBackend crypto, Bytes kdd) {
    if (master == null) {
      return new StaticKeys(enc, mac, dek, List.of());
    }
    List<AutoCloseable> owned = new ArrayList<>();
    try {
      KeyRef e = derive(crypto, Derivation.GpCardKey.ENC, kdd, owned);
      KeyRef m = derive(crypto, Derivation.GpCardKey.MAC, kdd, owned);
      KeyRef d = derive(crypto, Derivation.GpCardKey.DEK, kdd, owned);
      return new StaticKeys(e, m, d, owned);
    } catch (RuntimeException ex) {
      new StaticKeys(null, null, null, owned).close();
      throw ex;
    }
  }

  private KeyRef derive(CryptoBackend crypto, Derivation.GpCardKey which, Bytes kdd, List<AutoCloseable> owned) {
    KeyRef k;
    if (diversification.method().isPresent()) {
      k = crypto.derive(master, Derivation.gpDiversification(diversification.method().get(), which, kdd));
    } else {
      k = template(crypto, which, kdd);
    }
    if (k instanceof AutoCloseable) {
      owned.add((AutoCloseable) k);
    }
    return k;
  }

  private KeyRef template(CryptoBackend crypto, Derivation.GpCardKey which, Bytes kdd) {
    byte[] kddBytes = kdd.toByteArray();
    KeyAlgorithm alg = master.algorithm();
    // The KMC only ever diversifies (KeyUsage): the template's data goes to the backend as a derivation,
    // never as a plain encrypt or MAC call with the KMC.
    if (diversification.isKdfTemplate()) {
      if (!alg.isAes()) {
        throw new ValidationException("diversification", "template '" + diversification.name() + "' with $_ needs an AES master key");
      }
      List<Bytes> blocks = new ArrayList<>();
      for (int i = 1, off = 0; off < alg.keyLength(); i++, off += 16) {
        blocks.add(OwnedBytes.wrap(diversification.data(which.number(), kddBytes, i)));
      }
      return crypto.derive(master, Derivation.gpTemplate(which, blocks, true, alg));
    }
    byte[] data = diversification.data(which.number(), kddBytes, 0);
    KeyAlgorithm out = alg.isAes() ? KeyAlgorithm.aesForLength(data.length) : KeyAlgorithm.desForLength(data.length);
    return crypto.derive(master, Derivation.gpTemplate(which, List.of(OwnedBytes.wrap(data)), false, out));
  }

  @Override
  public String toString() {
    return "GpKeys[" + label + ", " + algorithm() + ", diversification " + diversification.name()
        + (keyVersion == 0 ? "" : ", KVN " + String.format("%02X", keyVersion)) + "]";
  }
}
