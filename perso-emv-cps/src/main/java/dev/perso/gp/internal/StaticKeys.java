package dev.perso.gp.internal;

import dev.perso.core.Bytes;
import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.KeyRef;
import dev.perso.gp.GpKeys;
import java.util.List;
import java.util.Objects;

/**
 * A card's static ENC, MAC and DEK keys for one KDD, as {@link GpKeys} resolves them for a session:
 * the host side ({@code Opener}, {@code CardCryptogram}) and the card side ({@code dev.perso.gp.card})
 * derive their session keys from it. Closing wipes the keys derived for it (static keys given as such
 * belong to the caller and stay).
 */
public final class StaticKeys implements AutoCloseable {
  /** How {@link GpKeys} resolves itself; registered once by {@link GpKeys}' class initializer. */
  @FunctionalInterface
  public interface Resolver {
    /**
     * @param keys the keys
     * @param crypto the backend
     * @param kdd the 10-byte key diversification data
     * @return the static keys for that card
     */
    StaticKeys resolve(GpKeys keys, CryptoBackend crypto, Bytes kdd);
  }

  private static volatile Resolver resolver;

  /** The static ENC key. */
  public final KeyRef enc;
  /** The static MAC key. */
  public final KeyRef mac;
  /** The static DEK, or null when none was given. */
  public final KeyRef dek;
  private final List<AutoCloseable> owned;

  /**
   * @param enc the ENC key
   * @param mac the MAC key
   * @param dek the DEK, or null
   * @param owned the keys this value wipes on close
   */
  public StaticKeys(KeyRef enc, KeyRef mac, KeyRef dek, List<AutoCloseable> owned) {
    this.enc = enc;
    this.mac = mac;
    this.dek = dek;
    this.owned = List.copyOf(owned);
  }

  /**
   * Resolves {@code keys} for one card: the way code outside {@code dev.perso.gp} reaches
   * {@link GpKeys}' package-private resolution without making it public API.
   *
   * @param keys the keys (its class is initialized, so its resolver is registered)
   * @param crypto the backend
   * @param kdd the 10-byte key diversification data
   * @return the card's static keys; close them after the session
   */
  public static StaticKeys resolve(GpKeys keys, CryptoBackend crypto, Bytes kdd) {
    Objects.requireNonNull(keys, "keys");
    return resolver.resolve(keys, crypto, kdd);
  }

  /**
   * Called once, by {@link GpKeys}' class initializer.
   *
   * @param r the resolution
   */
  public static void register(Resolver r) {
    if (resolver != null) {
      throw new IllegalStateException("a GpKeys resolver is registered already");
    }
    resolver = Objects.requireNonNull(r, "r");
  }

  @Override
  public void close() {
    for (AutoCloseable c : owned) {
      try {
        c.close();
      } catch (Exception ignored) {
        // ClearKeyRef.close does not throw
      }
    }
  }
}
