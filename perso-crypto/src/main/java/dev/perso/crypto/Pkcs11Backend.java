package dev.perso.crypto;

import dev.perso.core.CryptoException;
import dev.perso.core.ValidationException;
import dev.perso.crypto.internal.KeyOps;
import dev.perso.crypto.internal.P11KeyOps;
import dev.perso.crypto.internal.SoftKeyOps;
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
 *   <li>{@link #translate}, {@link #translatePinBlock}, {@link #importUnderKek}: the clear data, PIN block
 *       or key is in JVM memory between the token's decrypt and encrypt (wiped right after; PKCS#11 has no
 *       PIN translation mechanism).</li>
 *   <li>{@link #importComponents}, {@link #importClear}: components are clear by nature; they are XORed
 *       and checked in the JVM, then imported and wiped.</li>
 *   <li>{@link #exportUnderKek} works for {@link ClearKeyRef}s (derived keys) under a token KEK; token
 *       keys are non-extractable and cannot be exported.</li>
 * </ul>
 * Operations on {@link ClearKeyRef}s (for example an ARQC with a derived session key) run in software.
 *
 * <p>Every key is <b>one</b> token object, used only whole: DESede objects (double-length keys as
 * K1‖K2‖K1, since SunPKCS11's KeyStore cannot read back {@code CKK_DES2}; single DES as K‖K‖K) and AES
 * objects. There are no single-DES half objects, and labels of the form {@code label#K1}/{@code label#K2}
 * (left by versions before 0.2) are refused, so the token is never a single-DES oracle.
 *
 * <p><b>Key halves.</b> SoftHSM2 and SunPKCS11 offer no retail-MAC mechanism ({@code CKM_DES3_MAC*},
 * X9.19) and no way to use one half of a DES3 object. ISO 9797-1 MAC algorithm 3 with a double-length
 * key K1‖K2 is computed from the whole key where possible: a one-block message is exactly the token's 3DES,
 * and for longer messages the final step is the token's 3DES of h<sub>n-1</sub> ⊕ x<sub>n</sub>; only the
 * chaining h<sub>1</sub>..h<sub>n-1</sub> needs single DES under K1. So with a token key these operations
 * need K1 (and K2 too for triple-length keys) inside the JVM:
 * {@link Operation#MAC_ISO9797_1_ALG3} (messages longer than one block), {@link Operation#ARQC} (always
 * longer) and {@link Operation#CVV} (two blocks). They are refused unless the backend is built with
 * {@link Builder#allowKeyHalvesInJvm(Set)} naming them. With that opt-in policy, a double or triple-length
 * key imported through this backend instance also has its halves kept encrypted under a random AES
 * session key of the token (a session object, no label, gone at logout), never as token objects; for each
 * such operation they are decrypted into a buffer, used in software and wiped. Keys imported in an
 * earlier session have no halves here: compute such values with a software backend inside a secure room,
 * or use an HSM with a native mechanism. Every other operation uses whole keys only.
 *
 * <p>Every operation checks the key's {@link KeyUsage} against the one table in {@link KeyUsage}. A token
 * object's usage is pinned when this backend imports it, or at its first use in this session for keys
 * already on the token (SunPKCS11 cannot store custom attributes); a {@link TokenKeyRef} claiming another
 * usage for the same label is refused, so a KEK cannot be re-labelled a DEK to decrypt with it. Keep
 * production tokens' {@code CKA_ENCRYPT/DECRYPT/...} attributes restricted per role as a second line.
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
  private final Set<Operation> halvesPolicy;
  /** label → K1‖K2 encrypted (AES-ECB) under {@link #halvesKey}; only with the opt-in policy. */
  private final Map<String, byte[]> wrappedHalves = new ConcurrentHashMap<>();
  private volatile SecretKey halvesKey;
  /** label → usage, pinned at import or at the first use in this session. */
  private final Map<String, KeyUsage> usages = new ConcurrentHashMap<>();

  private Pkcs11Backend(Builder b) {
    this.name = b.name;
    this.halvesPolicy = b.halvesPolicy.isEmpty() ? Collections.emptySet()
        : Collections.unmodifiableSet(EnumSet.copyOf(b.halvesPolicy));
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
    refuseHalfLabel(label);
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

  /** @return the operations that may use key halves inside the JVM (empty unless opted in) */
  public Set<Operation> keyHalvesPolicy() {
    return halvesPolicy;
  }

  private static boolean isHalfLabel(String label) {
    return label.endsWith("#K1") || label.endsWith("#K2");
  }

  private void refuseHalfLabel(String label) {
    if (isHalfLabel(label)) {
      throw new CryptoException("token '" + name + "': '" + label + "' names a single-DES key half; halves are never "
          + "usable by label (delete such objects left by earlier versions with delete(\"" + label.substring(0,
          label.length() - 3) + "\"))");
    }
  }

  private SecretKey find(String label) {
    refuseHalfLabel(label);
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
    return ops(key, null);
  }

  @Override
  KeyOps ops(KeyRef key, Operation operation) {
    if (key instanceof TokenKeyRef) {
      TokenKeyRef t = (TokenKeyRef) key;
      SecretKey k = find(t.label());
      KeyUsage pinned = usages.putIfAbsent(t.label(), t.usage());
      if (pinned != null && pinned != t.usage()) {
        throw new CryptoException("token key '" + t.label() + "' has usage " + pinned + "; a reference claiming usage "
            + t.usage() + " is refused");
      }
      return new P11KeyOps(t.algorithm(), k, t.label(), this::cipher, i -> halfOps(t, i, operation));
    }
    if (key instanceof ClearKeyRef) {
      return software.ops(key);
    }
    throw new CryptoException("backend '" + id() + "' cannot use " + key);
  }

  /** A single-DES half in software, for one operation; the caller wipes it ({@link KeyOps#wipe()}). */
  private KeyOps halfOps(TokenKeyRef t, int index, Operation operation) {
    if (operation == null || !halvesPolicy.contains(operation)) {
      throw new CryptoException("token key '" + t.label() + "': " + (operation == null ? "this operation" : operation)
          + " needs single-DES key half K" + (index + 1) + " inside the JVM (PKCS#11 has no retail-MAC mechanism); "
          + "that is refused unless the backend is built with allowKeyHalvesInJvm(" + (operation == null ? "..."
          : operation) + ")");
    }
    byte[] wrapped = wrappedHalves.get(t.label());
    if (wrapped == null) {
      throw new CryptoException("token key '" + t.label() + "': " + operation + " needs its key halves, which this "
          + "backend only has for keys imported through it in this session");
    }
    byte[] both = run(Cipher.DECRYPT_MODE, wrapped);
    byte[] half = Arrays.copyOfRange(both, index * 8, index * 8 + 8);
    try {
      return new SoftKeyOps(KeyAlgorithm.DES, half);   // keeps its own copy, wiped by the caller's wipe()
    } finally {
      Arrays.fill(both, (byte) 0);
      Arrays.fill(half, (byte) 0);
    }
  }

  private byte[] run(int mode, byte[] data) {
    Cipher c = cipher("AES/ECB/NoPadding");
    try {
      c.init(mode, halvesKey());
      return c.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new CryptoException("token '" + name + "': key-halves session key failed: " + e.getClass().getSimpleName(), e);
    }
  }

  private SecretKey halvesKey() {
    SecretKey k = halvesKey;
    if (k == null) {
      synchronized (this) {
        if (halvesKey == null) {
          try {
            javax.crypto.KeyGenerator g = javax.crypto.KeyGenerator.getInstance("AES", provider);
            g.init(128);
            halvesKey = g.generateKey();   // a session object: sensitive, non-extractable, no label
          } catch (GeneralSecurityException e) {
            throw new CryptoException("token '" + name + "': cannot generate the key-halves session key", e);
          }
        }
        k = halvesKey;
      }
    }
    return k;
  }

  @Override
  KeyRef store(KeyTemplate template, byte[] owned, Kcv kcv) {
    String label = template.label();
    try {
      refuseHalfLabel(label);
      if (contains(label)) {
        throw new ValidationException("label", "a key labelled '" + label + "' already exists on token '" + name + "'");
      }
      KeyAlgorithm alg = template.algorithm();
      if (alg.isAes()) {
        put(label, "AES", owned);
      } else {
        put(label, "DESede", desede(owned, 0, owned.length));
        if (alg != KeyAlgorithm.DES && !halvesPolicy.isEmpty()) {
          byte[] both = Arrays.copyOf(owned, 16);
          try {
            wrappedHalves.put(label, run(Cipher.ENCRYPT_MODE, both));
          } finally {
            Arrays.fill(both, (byte) 0);
          }
        }
      }
      usages.put(label, template.usage());
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
   * Deletes a key from the token, with any single-DES half objects ({@code label#K1}, {@code label#K2})
   * earlier versions created next to it.
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
      usages.remove(label);
      byte[] w = wrappedHalves.remove(label);
      if (w != null) {
        Arrays.fill(w, (byte) 0);
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
    wrappedHalves.values().forEach(w -> Arrays.fill(w, (byte) 0));
    wrappedHalves.clear();
    halvesKey = null;
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
    private Set<Operation> halvesPolicy = EnumSet.noneOf(Operation.class);

    private Builder() {}

    /**
     * Opts in to single-DES key halves inside the JVM for the named operations, which standard PKCS#11
     * cannot compute from a whole DES3 key object (see the class comment): any of
     * {@link Operation#MAC_ISO9797_1_ALG3}, {@link Operation#ARQC}, {@link Operation#CVV}. Off (empty) by
     * default. The halves are never token objects and never reachable by label: they exist only for keys
     * imported through this backend instance, encrypted under a token session key, and are decrypted per
     * operation and wiped after it.
     *
     * @param operations the operations allowed to use key halves
     * @return this
     * @throws ValidationException for an operation that never needs halves
     */
    public Builder allowKeyHalvesInJvm(Set<Operation> operations) {
      Objects.requireNonNull(operations, "operations");
      Set<Operation> allowed = EnumSet.of(Operation.MAC_ISO9797_1_ALG3, Operation.ARQC, Operation.CVV);
      for (Operation op : operations) {
        if (!allowed.contains(op)) {
          throw new ValidationException("allowKeyHalvesInJvm", op + " never needs key halves; allowed: " + allowed);
        }
      }
      this.halvesPolicy = operations.isEmpty() ? EnumSet.noneOf(Operation.class) : EnumSet.copyOf(operations);
      return this;
    }

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
