package dev.perso.crypto;

import dev.perso.core.CryptoException;
import dev.perso.core.ValidationException;
import dev.perso.crypto.internal.KeyOps;
import dev.perso.crypto.internal.P11KeyOps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AuthProvider;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PKCS#11 token (HSM) through the JDK's SunPKCS11 provider; tested on SoftHSM2. Master keys (IMK,
 * KMC, CVK, PVK, KEK) are token objects created {@code CKA_SENSITIVE=true, CKA_EXTRACTABLE=false} and
 * are used only through token ciphers: every derivation, MAC, CVV, PVV and IBM 3624 computation runs the
 * block cipher with the master key inside the token.
 *
 * <p>What passes through JVM memory (standard PKCS#11 through SunPKCS11 on JDK 17 offers no
 * {@code C_DeriveKey} for {@code *_ENCRYPT_DATA}, no CMAC, no DES3 wrap):
 * <ul>
 *   <li>{@link #derive}: the derived per-card or session key bytes come back from the token's ECB/CBC
 *       call, are parity-adjusted in the JVM and returned as a {@link ClearKeyRef}; close it to wipe.</li>
 *   <li>CMAC (MAC, AES-CMAC KCV, SCP03 and KDF3 derivations): L = E<sub>K</sub>(0) leaves the token to
 *       form the subkeys, and the message's last block is masked in the JVM; the key itself stays inside.</li>
 *   <li>{@link #translate}, {@link #importUnderKek}: the clear data or key is in JVM memory between the
 *       token's decrypt and encrypt (wiped right after).</li>
 *   <li>{@link #importComponents}, {@link #importClear}: components are clear by nature; they are XORed
 *       and checked in the JVM, then imported and wiped.</li>
 *   <li>{@link #exportUnderKek} works for {@link ClearKeyRef}s (derived keys) under a token KEK; token
 *       keys are non-extractable and cannot be exported.</li>
 * </ul>
 * Operations on {@link ClearKeyRef}s (for example an ARQC with a derived session key) run in software.
 *
 * <p>Keys are stored as DESede objects: double-length keys as K1‖K2‖K1 (SunPKCS11's KeyStore cannot read
 * back {@code CKK_DES2}), single DES as K‖K‖K. For double and triple-length keys the import also creates the
 * single-DES halves K and K' as objects labelled {@code label#K1} and {@code label#K2}, which ISO 9797-1
 * algorithm 3 (retail MAC, ARQC, CVV) needs because PKCS#11 has no retail-MAC mechanism.
 *
 * <pre>{@code
 * try (Pkcs11Backend hsm = Pkcs11Backend.builder()
 *     .library(Path.of("/usr/lib/softhsm/libsofthsm2.so"))
 *     .slotListIndex(0)
 *     .pin(() -> System.console().readPassword("PIN: "))
 *     .build()) {
 *   TokenKeyRef cvk = hsm.key("CVK-1", KeyAlgorithm.TDES_2KEY, KeyUsage.CVK);
 *   String cvv = hsm.cvv(cvk, CvvInput.of(pan, "2612", "101"));
 * }
 * }</pre>
 */
public final class Pkcs11Backend extends AbstractBackend {
  private static final Logger LOG = LoggerFactory.getLogger(Pkcs11Backend.class);
  private static final Set<Operation> CAPABILITIES = Collections.unmodifiableSet(EnumSet.allOf(Operation.class));

  private final String name;
  private final Provider provider;
  private final KeyStore keyStore;
  private final SoftwareBackend software = new SoftwareBackend();
  private final Map<String, SecretKey> keys = new ConcurrentHashMap<>();
  private final ThreadLocal<Map<String, Cipher>> ciphers = ThreadLocal.withInitial(HashMap::new);

  private Pkcs11Backend(Builder b) {
    this.name = b.name;
    String config = "--name=" + b.name + "\nlibrary=" + b.library + "\nslotListIndex=" + b.slotListIndex
        + "\nattributes(*,CKO_SECRET_KEY,*) = {\n  CKA_SENSITIVE = true\n  CKA_EXTRACTABLE = false\n}\n";
    Provider base = Security.getProvider("SunPKCS11");
    if (base == null) {
      throw new CryptoException("the JDK has no SunPKCS11 provider (module jdk.crypto.cryptoki)");
    }
    char[] pin = b.pin.get();
    try {
      this.provider = base.configure(config);
      this.keyStore = KeyStore.getInstance("PKCS11", provider);
      keyStore.load(null, pin);
    } catch (GeneralSecurityException | java.io.IOException | RuntimeException e) {
      throw new CryptoException("cannot open PKCS#11 token '" + b.name + "' (library " + b.library + ", slot index "
          + b.slotListIndex + "): " + e.getClass().getSimpleName(), e);
    } finally {
      if (pin != null) {
        Arrays.fill(pin, '\0');
      }
    }
    LOG.info("opened PKCS#11 token '{}' via {}", name, b.library);
  }

  /** @return a builder */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String id() {
    return "pkcs11:" + name;
  }

  @Override
  public Set<Operation> capabilities() {
    return CAPABILITIES;
  }

  /**
   * A reference to a key already on the token.
   *
   * @param label the key's label
   * @param algorithm its algorithm (16-byte keys are stored as 24-byte DESede objects, so the token
   *     cannot tell)
   * @param usage its role
   * @return the reference
   * @throws CryptoException if no such key exists
   */
  public TokenKeyRef key(String label, KeyAlgorithm algorithm, KeyUsage usage) {
    TokenKeyRef ref = TokenKeyRef.of(label, algorithm, usage);
    find(label);
    return ref;
  }

  /**
   * @param label a label
   * @return true if the token holds a secret key with that label
   */
  public boolean contains(String label) {
    try {
      return keyStore.containsAlias(label);
    } catch (GeneralSecurityException e) {
      throw new CryptoException("token '" + name + "': cannot list keys", e);
    }
  }

  private SecretKey find(String label) {
    return keys.computeIfAbsent(label, l -> {
      try {
        Key k = keyStore.getKey(l, null);
        if (!(k instanceof SecretKey)) {
          throw new CryptoException("token '" + name + "' has no secret key labelled '" + l + "'");
        }
        return (SecretKey) k;
      } catch (GeneralSecurityException e) {
        throw new CryptoException("token '" + name + "': cannot read key '" + l + "'", e);
      }
    });
  }

  private Cipher cipher(String transformation) {
    return ciphers.get().computeIfAbsent(transformation, t -> {
      try {
        return Cipher.getInstance(t, provider);
      } catch (GeneralSecurityException e) {
        throw new CryptoException("token '" + name + "' does not offer " + t, e);
      }
    });
  }

  @Override
  KeyOps ops(KeyRef key) {
    if (key instanceof TokenKeyRef) {
      TokenKeyRef t = (TokenKeyRef) key;
      SecretKey k = find(t.label());
      return new P11KeyOps(t.algorithm(), k, t.label(), this::cipher, i -> halfOps(t, i));
    }
    if (key instanceof ClearKeyRef) {
      return software.ops(key);
    }
    throw new CryptoException("backend '" + id() + "' cannot use " + key);
  }

  private KeyOps halfOps(TokenKeyRef t, int index) {
    String label = t.label() + "#K" + (index + 1);
    if (!contains(label)) {
      throw new CryptoException("token key '" + t.label() + "' has no single-DES half '" + label
          + "' (import keys through Pkcs11Backend to create them); ISO 9797-1 algorithm 3 needs it");
    }
    return new P11KeyOps(KeyAlgorithm.DES, find(label), label, this::cipher, i -> {
      throw new ValidationException("key", "a single-DES half has no halves");
    });
  }

  @Override
  KeyRef store(KeyTemplate template, byte[] owned, Kcv kcv) {
    String label = template.label();
    try {
      if (contains(label)) {
        throw new ValidationException("label", "a key labelled '" + label + "' already exists on token '" + name + "'");
      }
      KeyAlgorithm alg = template.algorithm();
      if (alg.isAes()) {
        put(label, "AES", owned);
      } else {
        put(label, "DESede", desede(owned, 0, owned.length));
        if (alg != KeyAlgorithm.DES) {
          put(label + "#K1", "DESede", desede(owned, 0, 8));
          put(label + "#K2", "DESede", desede(owned, 8, 8));
        }
      }
      LOG.info("{} stored key '{}' {} {} kcv={}", id(), label, alg, template.usage(), kcv.hex());
      return TokenKeyRef.of(label, alg, template.usage()).withKcv(kcv);
    } finally {
      Arrays.fill(owned, (byte) 0);
    }
  }

  /** 8 → K‖K‖K, 16 → K1‖K2‖K1, 24 → as is. */
  private static byte[] desede(byte[] key, int off, int len) {
    byte[] out = new byte[24];
    for (int i = 0; i < 24; i++) {
      out[i] = key[off + (len == 24 ? i : i % (len == 16 && i >= 16 ? 8 : len))];
    }
    return out;
  }

  private void put(String label, String alg, byte[] material) {
    SecretKeySpec spec = new SecretKeySpec(material, alg);
    try {
      SecretKey k = SecretKeyFactory.getInstance(alg, provider).translateKey(spec);
      keyStore.setEntry(label, new KeyStore.SecretKeyEntry(k), null);
      keys.remove(label);
    } catch (GeneralSecurityException e) {
      throw new CryptoException("token '" + name + "': cannot store key '" + label + "'", e);
    } finally {
      Arrays.fill(material, (byte) 0);
    }
  }

  /**
   * Deletes a key (and its single-DES halves) from the token.
   *
   * @param label the key's label
   */
  public void delete(String label) {
    try {
      for (String l : new String[] {label, label + "#K1", label + "#K2"}) {
        if (keyStore.containsAlias(l)) {
          keyStore.deleteEntry(l);
        }
        keys.remove(l);
      }
    } catch (GeneralSecurityException e) {
      throw new CryptoException("token '" + name + "': cannot delete key '" + label + "'", e);
    }
  }

  /** Logs out of the token and drops cached ciphers and keys. */
  @Override
  public void close() {
    ciphers.remove();
    keys.clear();
    software.close();
    if (provider instanceof AuthProvider) {
      try {
        ((AuthProvider) provider).logout();
      } catch (Exception e) {
        LOG.debug("logout from token '{}' failed: {}", name, e.toString());
      }
    }
  }

  @Override
  public String toString() {
    return "Pkcs11Backend[" + id() + "]";
  }

  /** Builder for {@link Pkcs11Backend}. */
  public static final class Builder {
    private String name = "perso";
    private Path library;
    private int slotListIndex;
    private Supplier<char[]> pin;

    private Builder() {}

    /**
     * @param name a provider name for messages (letters, digits, '-', '_')
     * @return this
     */
    public Builder name(String name) {
      if (name == null || !name.matches("[A-Za-z0-9_-]{1,32}")) {
        throw new ValidationException("name", "must be 1..32 letters, digits, '-' or '_'");
      }
      this.name = name;
      return this;
    }

    /**
     * @param library the PKCS#11 module, e.g. {@code /usr/lib/softhsm/libsofthsm2.so}
     * @return this
     */
    public Builder library(Path library) {
      this.library = Objects.requireNonNull(library, "library");
      return this;
    }

    /**
     * @param index index in the list of slots with a token (SoftHSM slot ids are random)
     * @return this
     */
    public Builder slotListIndex(int index) {
      if (index < 0) {
        throw new ValidationException("slotListIndex", "must be >= 0");
      }
      this.slotListIndex = index;
      return this;
    }

    /**
     * @param pin supplies the user PIN once, at {@link #build()}; the array is wiped after login
     * @return this
     */
    public Builder pin(Supplier<char[]> pin) {
      this.pin = Objects.requireNonNull(pin, "pin");
      return this;
    }

    /** @return a logged-in backend */
    public Pkcs11Backend build() {
      if (library == null || !Files.isReadable(library)) {
        throw new ValidationException("library", "must be a readable PKCS#11 module file");
      }
      if (pin == null) {
        throw new ValidationException("pin", "a PIN supplier is required");
      }
      return new Pkcs11Backend(this);
    }
  }
}
