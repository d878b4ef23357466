package dev.perso.crypto;

import dev.perso.core.internal.OwnedBytes;
import dev.perso.core.Bytes;
import dev.perso.core.CryptoException;
import dev.perso.crypto.internal.KeyOps;
import dev.perso.crypto.internal.SoftKeyOps;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * All operations in software: SunJCE for AES (AES-NI) and AES-CMAC, the project's own DES for DES,
 * triple DES, ISO 9797-1 and DES CMAC (FIPS 46-3, checked against Bouncy Castle and SunJCE). Keyed
 * engines are cached per thread and per key (a small LRU), so repeated operations with the same
 * {@link ClearKeyRef} skip the key schedule; closing the key zeroes the schedules.
 *
 * <p>Works with {@link ClearKeyRef}s. Built with a master key, it also plays a minimal "HSM": imports
 * return {@link CryptogramKeyRef}s (ECB under the master key) instead of clear keys, and such
 * cryptograms are accepted wherever a key is. {@link TokenKeyRef}s are refused.
 *
 * <pre>{@code
 * CryptoBackend sw = new SoftwareBackend();
 * ClearKeyRef cvk = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.CVK, "0123456789ABCDEFFEDCBA9876543210");
 * sw.cvv(cvk, CvvInput.of("4123456789012345", "8701", "101"));   // "561"
 * }</pre>
 */
public final class SoftwareBackend extends AbstractBackend {
  private static final Set<Operation> CAPABILITIES = Collections.unmodifiableSet(EnumSet.allOf(Operation.class));
  private static final int CACHE_SIZE = 16;

  private final ClearKeyRef master;
  private final ThreadLocal<Map<KeyRef, KeyOps>> cache = ThreadLocal.withInitial(() ->
      new LinkedHashMap<KeyRef, KeyOps>(32, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<KeyRef, KeyOps> eldest) {
          if (size() > CACHE_SIZE) {
            eldest.getValue().wipe();   // the key itself lives on in its KeyRef; the engine's copy goes
            return true;
          }
          return false;
        }
      });

  /** A backend for clear keys (also what {@link java.util.ServiceLoader} creates). */
  public SoftwareBackend() {
    this.master = null;
  }

  private SoftwareBackend(ClearKeyRef master) {
    this.master = master;
  }

  /**
   * A backend that keeps imported keys encrypted under {@code master} (ECB), like a payment HSM keeps
   * keys under its LMK.
   *
   * @param master the master key (the backend does not close it)
   * @return the backend
   */
  public static SoftwareBackend withMasterKey(ClearKeyRef master) {
    return new SoftwareBackend(master);
  }

  @Override
  public String id() {
    return master == null ? "software" : "software+master";
  }

  @Override
  public Set<Operation> capabilities() {
    return CAPABILITIES;
  }

  @Override
  KeyOps ops(KeyRef key) {
    if (key instanceof ClearKeyRef) {
      ClearKeyRef c = (ClearKeyRef) key;
      if (c.isDestroyed()) {
        cache.get().remove(key);
        throw new CryptoException("key " + key + " was closed (wiped)");
      }
      return cache.get().computeIfAbsent(key, k -> c.apply(b -> {
        SoftKeyOps o = new SoftKeyOps(c.algorithm(), b);
        c.onClose(o);   // closing the key wipes this engine too, in whichever thread's cache it sits
        return o;
      }));
    }
    if (key instanceof CryptogramKeyRef) {
      CryptogramKeyRef g = (CryptogramKeyRef) key;
      if (master == null || g.scheme() != CryptogramKeyRef.Scheme.ECB_UNDER_MASTER) {
        throw new CryptoException("backend '" + id() + "' cannot use " + key + ": no master key for scheme " + g.scheme());
      }
      return cache.get().computeIfAbsent(key, k -> {
        byte[] clear = ops(master).decrypt(false, null, g.cryptogram().toByteArray());
        try {
          return new SoftKeyOps(g.algorithm(), Arrays.copyOf(clear, g.algorithm().keyLength()));
        } finally {
          Arrays.fill(clear, (byte) 0);
        }
      });
    }
    throw new CryptoException("backend '" + id() + "' cannot use token key " + key);
  }

  @Override
  KeyRef store(KeyTemplate template, byte[] owned, Kcv kcv) {
    if (master == null) {
      return ClearKeyRef.ofOwned(template.algorithm(), template.usage(), owned).withKcv(kcv);
    }
    try {
      KeyOps m = ops(master);
      byte[] padded = Arrays.copyOf(owned, (owned.length + m.blockSize() - 1) / m.blockSize() * m.blockSize());
      byte[] cryptogram = m.encrypt(false, null, padded);
      Arrays.fill(padded, (byte) 0);
      return CryptogramKeyRef.of(CryptogramKeyRef.Scheme.ECB_UNDER_MASTER, OwnedBytes.wrap(cryptogram),
          template.algorithm(), template.usage()).withKcv(kcv);
    } finally {
      Arrays.fill(owned, (byte) 0);
    }
  }

  /** Wipes and drops this thread's cached engines. */
  @Override
  public void close() {
    cache.get().values().forEach(KeyOps::wipe);
    cache.remove();
  }

  @Override
  public String toString() {
    return "SoftwareBackend[" + id() + "]";
  }
}
