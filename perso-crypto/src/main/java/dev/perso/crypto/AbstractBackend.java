package dev.perso.crypto;

import dev.perso.core.internal.OwnedBytes;
import dev.perso.core.Bytes;
import dev.perso.core.CryptoException;
import dev.perso.core.MalformedDataException;
import dev.perso.core.ValidationException;
import dev.perso.crypto.internal.Algorithms;
import dev.perso.crypto.internal.KeyOps;
import dev.perso.crypto.internal.SoftKeyOps;
import dev.perso.crypto.internal.Tr31Codec;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations of {@link CryptoBackend}, written once over per-key primitives ({@link KeyOps}).
 * Subclasses say how a {@link KeyRef} becomes primitives and how an imported key is stored.
 */
abstract class AbstractBackend implements CryptoBackend {
  private static final Logger LOG = LoggerFactory.getLogger(CryptoBackend.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * @param key a key reference
   * @return primitives for that key, for use on the calling thread
   */
  abstract KeyOps ops(KeyRef key);

  /**
   * Primitives for one operation; a backend whose keys need an operation-dependent policy (the
   * PKCS#11 key-halves policy) overrides this.
   *
   * @param key a key reference
   * @param operation the operation the primitives are for
   * @return primitives for that key, for use on the calling thread
   */
  KeyOps ops(KeyRef key, Operation operation) {
    return ops(key);
  }

  /**
   * Stores imported key bytes.
   *
   * @param template label, algorithm, usage
   * @param owned the clear key; the implementation wipes it
   * @param kcv the key's check value
   * @return the new reference
   */
  abstract KeyRef store(KeyTemplate template, byte[] owned, Kcv kcv);

  /**
   * Clear bytes of a key, for export under a KEK.
   *
   * @param key the key
   * @return a copy the caller wipes
   */
  byte[] clearBytes(KeyRef key) {
    if (key instanceof ClearKeyRef) {
      return ((ClearKeyRef) key).apply(byte[]::clone);
    }
    throw new CryptoException("backend '" + id() + "' cannot export " + key + ": the key is not extractable");
  }

  private void log(Operation op, KeyRef key) {
    if (LOG.isDebugEnabled()) {
      LOG.debug("{} {} with {}", id(), op, key);
    }
  }

  private void check(Operation op) {
    if (!capabilities().contains(op)) {
      throw unsupported(op);
    }
  }

  /** Capability, then the key usage table ({@link KeyUsage#require}), then the debug log line. */
  private void check(Operation op, KeyRef key) {
    check(op);
    KeyUsage.require(key, op);
    log(op, key);
  }

  @Override
  public Bytes encrypt(KeyRef key, CipherSpec spec, Bytes data) {
    check(Operation.ENCRYPT, key);
    KeyOps k = ops(key);
    byte[] in = aligned(k, data);
    return OwnedBytes.wrap(k.encrypt(spec.mode() == CipherMode.CBC, iv(k, spec), in));
  }

  @Override
  public Bytes decrypt(KeyRef key, CipherSpec spec, Bytes data) {
    check(Operation.DECRYPT, key);
    KeyOps k = ops(key);
    byte[] out = k.decrypt(spec.mode() == CipherMode.CBC, iv(k, spec), aligned(k, data));
    Bytes b = Bytes.secret(out);
    Arrays.fill(out, (byte) 0);
    return b;
  }

  @Override
  public Bytes translate(KeyRef from, CipherSpec fromSpec, KeyRef to, CipherSpec toSpec, Bytes data) {
    check(Operation.TRANSLATE, from);
    KeyUsage.require(to, Operation.TRANSLATE);
    KeyOps f = ops(from);
    KeyOps t = ops(to);
    byte[] clear = f.decrypt(fromSpec.mode() == CipherMode.CBC, iv(f, fromSpec), aligned(f, data));
    try {
      if (clear.length % t.blockSize() != 0) {
        throw new ValidationException("data", "clear length " + clear.length + " is not a multiple of the target block size");
      }
      return OwnedBytes.wrap(t.encrypt(toSpec.mode() == CipherMode.CBC, iv(t, toSpec), clear));
    } finally {
      Arrays.fill(clear, (byte) 0);
    }
  }

  @Override
  public Bytes translatePinBlock(PinBlockTranslation t, Bytes encryptedBlock) {
    Objects.requireNonNull(t, "translation");
    check(Operation.TRANSLATE_PIN_BLOCK, t.from());
    KeyUsage.require(t.to(), Operation.TRANSLATE_PIN_BLOCK);
    KeyOps f = ops(t.from());
    KeyOps to = ops(t.to());
    byte[] clear = f.decrypt(t.fromSpec().mode() == CipherMode.CBC, iv(f, t.fromSpec()), aligned(f, encryptedBlock));
    try {
      requirePinBlockPadding(clear);
      byte[] first = Arrays.copyOf(clear, 8);
      String pin;
      try {
        pin = PinBlock.decode(t.fromFormat(), Bytes.secret(first), t.pan().orElse(null));
      } finally {
        Arrays.fill(first, (byte) 0);
      }
      Bytes block = PinBlock.encode(t.toFormat(), pin, t.pan().orElse(null));
      Bytes target = t.padding().apply(block, to.blockSize());
      if (target.length() % to.blockSize() != 0) {
        throw new ValidationException("padding", "a " + target.length() + "-byte PIN block does not fill "
            + to.blockSize() + "-byte blocks of the target key; pad it");
      }
      byte[] plain = target.toByteArray();
      try {
        return OwnedBytes.wrap(to.encrypt(t.toSpec().mode() == CipherMode.CBC, iv(to, t.toSpec()), plain));
      } finally {
        Arrays.fill(plain, (byte) 0);
      }
    } finally {
      Arrays.fill(clear, (byte) 0);
    }
  }

  /** A source longer than one PIN block (under an AES key) carries ISO/IEC 9797-1 method 2 padding after it. */
  private static void requirePinBlockPadding(byte[] clear) {
    if (clear.length == 8) {
      return;
    }
    boolean ok = (clear[8] & 0xFF) == 0x80;
    for (int i = 9; ok && i < clear.length; i++) {
      ok = clear[i] == 0;
    }
    if (!ok) {
      throw new MalformedDataException(8, "a " + clear.length
          + "-byte PIN block cryptogram must hold 8 bytes and ISO/IEC 9797-1 method 2 padding");
    }
  }

  @Override
  public Bytes mac(KeyRef key, MacAlgorithm algorithm, Padding padding, Bytes data) {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(padding, "padding");
    check(CryptoBackend.macOperation(algorithm), key);
    KeyOps k = ops(key, CryptoBackend.macOperation(algorithm));
    switch (algorithm) {
      case ISO9797_1_ALG1:
        return OwnedBytes.wrap(k.cbcMac(padding.applyToArray(data, k.blockSize())));
      case ISO9797_1_ALG3:
        KeyOps.requireDoubleDes(k.algorithm());
        return OwnedBytes.wrap(k.retailMac(padding.applyToArray(data, 8)));
      default:
        if (padding != Padding.NONE) {
          throw new ValidationException("padding", "CMAC pads by itself; use Padding.NONE");
        }
        return OwnedBytes.wrap(k.cmac(data.toByteArray()));
    }
  }

  @Override
  public Kcv kcv(KeyRef key, KcvMethod method, int length) {
    check(Operation.KCV, key);
    return new Kcv(method, OwnedBytes.wrap(Algorithms.kcv(ops(key), method, length)));
  }

  @Override
  public Kcv kcvUnderKek(KeyRef kek, KeyAlgorithm algorithm, Bytes cryptogram, KcvMethod method, int length) {
    check(Operation.KCV_UNDER_KEK, kek);
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(method, "method");
    KeyOps k = ops(kek);
    byte[] in = aligned(k, cryptogram);
    if (in.length < algorithm.keyLength()) {
      throw new ValidationException("cryptogram", "too short for " + algorithm + ": " + in.length + " bytes");
    }
    return new Kcv(method, OwnedBytes.wrap(kcvOfWrapped(k, algorithm, in, method, length)));
  }

  /**
   * The KCV of a key encrypted (ECB) under {@code kek}; the default decrypts into a buffer that is
   * wiped before returning. A token backend overrides it to unwrap inside the token.
   *
   * @param kek the KEK's primitives
   * @param algorithm the wrapped key's algorithm
   * @param cryptogram the wrapped key (whole KEK blocks)
   * @param method KCV method
   * @param length KCV length
   * @return the KCV bytes
   */
  byte[] kcvOfWrapped(KeyOps kek, KeyAlgorithm algorithm, byte[] cryptogram, KcvMethod method, int length) {
    byte[] clear = kek.decrypt(false, null, cryptogram);
    byte[] key = Arrays.copyOf(clear, algorithm.keyLength());
    Arrays.fill(clear, (byte) 0);
    SoftKeyOps ops = null;
    try {
      ops = new SoftKeyOps(algorithm, key);
      return Algorithms.kcv(ops, method, length);
    } finally {
      Arrays.fill(key, (byte) 0);
      if (ops != null) {
        ops.wipe();   // the unwrapped key's schedules
      }
    }
  }

  @Override
  public KeyRef importClear(KeyTemplate template, Bytes value) {
    check(Operation.IMPORT_CLEAR);
    byte[] k = value.toByteArray();
    requireLength(template, k);
    return storeChecked(template, k);
  }

  @Override
  public KeyRef importComponents(KeyTemplate template, List<KeyComponent> components) {
    check(Operation.IMPORT_COMPONENTS);
    if (components == null || components.size() < 2 || components.size() > 3) {
      throw new ValidationException("components", "need 2 or 3 components");
    }
    byte[] key = new byte[template.algorithm().keyLength()];
    try {
      for (int i = 0; i < components.size(); i++) {
        KeyComponent c = components.get(i);
        byte[] part = c.value().toByteArray();
        try {
          if (part.length != key.length) {
            throw new ValidationException("components[" + i + "]", "must be " + key.length + " bytes, was " + part.length);
          }
          Kcv actual = softKcv(template, part, c.kcv().length());
          if (!actual.value().constantTimeEquals(c.kcv())) {
            throw new CryptoException("key component " + (i + 1) + " of " + components.size()
                + ": check value mismatch (expected " + c.kcv().toHex() + ", computed " + actual.hex() + ")");
          }
          for (int j = 0; j < key.length; j++) {
            key[j] ^= part[j];
          }
        } finally {
          Arrays.fill(part, (byte) 0);
        }
      }
      byte[] owned = key.clone();
      LOG.info("{} formed key '{}' from {} components", id(), template.label(), components.size());
      return storeChecked(template, owned);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  @Override
  public KeyRef importUnderKek(KeyTemplate template, KeyRef kek, Bytes cryptogram, Bytes expectedKcv) {
    check(Operation.IMPORT_UNDER_KEK, kek);
    KeyOps k = ops(kek);
    byte[] clear = k.decrypt(false, null, aligned(k, cryptogram));
    if (clear.length < template.algorithm().keyLength()) {
      Arrays.fill(clear, (byte) 0);
      throw new ValidationException("cryptogram", "too short for " + template.algorithm());
    }
    byte[] key = Arrays.copyOf(clear, template.algorithm().keyLength());
    Arrays.fill(clear, (byte) 0);
    Kcv actual = softKcv(template, key, expectedKcv.length());
    if (!actual.value().constantTimeEquals(expectedKcv)) {
      Arrays.fill(key, (byte) 0);
      throw new CryptoException("key under KEK for '" + template.label() + "': check value mismatch (expected "
          + expectedKcv.toHex() + ", computed " + actual.hex() + ")");
    }
    return storeChecked(template, key);
  }

  @Override
  public Bytes exportUnderKek(KeyRef key, KeyRef kek) {
    return exportUnderKek(key, kek, CipherSpec.ecb());
  }

  @Override
  public Bytes exportUnderKek(KeyRef key, KeyRef kek, CipherSpec spec) {
    check(Operation.EXPORT_UNDER_KEK, kek);
    Objects.requireNonNull(spec, "spec");
    KeyOps k = ops(kek);
    byte[] clear = clearBytes(key);
    try {
      if (clear.length % k.blockSize() != 0) {
        throw new ValidationException("key", key.algorithm() + " is not a whole number of KEK blocks");
      }
      return OwnedBytes.wrap(k.encrypt(spec.mode() == CipherMode.CBC, iv(k, spec), clear));
    } finally {
      Arrays.fill(clear, (byte) 0);
    }
  }

  @Override
  public String exportTr31(KeyRef key, KeyRef kbpk, Tr31Header header) {
    check(Operation.TR31_EXPORT, kbpk);
    Objects.requireNonNull(header, "header");
    requireTr31Algorithm(header, key.algorithm());
    KeyOps k = ops(kbpk);
    byte[] clear = clearBytes(key);
    byte[] pad = new byte[header.blockSize()];
    RANDOM.nextBytes(pad);
    try {
      return Tr31Codec.wrap(k, header, clear, pad);
    } finally {
      Arrays.fill(clear, (byte) 0);
    }
  }

  @Override
  public KeyRef importTr31(KeyTemplate template, KeyRef kbpk, String keyBlock) {
    check(Operation.TR31_IMPORT, kbpk);
    Tr31Header header = Tr31Header.parse(keyBlock);
    requireTr31Algorithm(header, template.algorithm());
    byte[] key = Tr31Codec.unwrap(ops(kbpk), keyBlock);
    if (key.length != template.algorithm().keyLength()) {
      Arrays.fill(key, (byte) 0);
      throw new ValidationException("template", "key block holds a " + key.length + "-byte key, template says "
          + template.algorithm());
    }
    return storeChecked(template, key);
  }

  private static void requireTr31Algorithm(Tr31Header header, KeyAlgorithm algorithm) {
    char expected = algorithm.isAes() ? 'A' : algorithm == KeyAlgorithm.DES ? 'D' : 'T';
    if (header.algorithm() != expected) {
      throw new ValidationException("algorithm", "TR-31 header algorithm " + header.algorithm() + " does not match "
          + algorithm);
    }
  }

  @Override
  public KeyRef derive(KeyRef master, Derivation d) {
    Objects.requireNonNull(d, "derivation");
    check(d.operation(), master);
    KeyOps m = ops(master);
    if (d instanceof Derivation.EmvOptionA) {
      Derivation.EmvOptionA a = (Derivation.EmvOptionA) d;
      return derived(KeyAlgorithm.TDES_2KEY, master.usage(), Algorithms.emvOptionA(m, a.pan(), a.psn()));
    } else if (d instanceof Derivation.EmvOptionB) {
      Derivation.EmvOptionB b = (Derivation.EmvOptionB) d;
      return derived(KeyAlgorithm.TDES_2KEY, master.usage(), Algorithms.emvOptionB(m, b.pan(), b.psn()));
    } else if (d instanceof Derivation.EmvCommonSessionKey) {
      byte[] r = ((Derivation.EmvCommonSessionKey) d).r().toByteArray();
      return derived(KeyAlgorithm.TDES_2KEY, master.usage(), Algorithms.emvCommonSessionKey(m, r));
    } else if (d instanceof Derivation.MastercardSkd) {
      byte[] r = ((Derivation.MastercardSkd) d).r().toByteArray();
      return derived(KeyAlgorithm.TDES_2KEY, master.usage(), Algorithms.emvCommonSessionKey(m, r));
    } else if (d instanceof Derivation.GpScp02) {
      Derivation.GpScp02 s = (Derivation.GpScp02) d;
      return derived(KeyAlgorithm.TDES_2KEY, s.key().usage(),
          Algorithms.gpScp02(m, s.key().constant(), s.sequenceCounter().toByteArray()));
    } else if (d instanceof Derivation.GpScp03) {
      Derivation.GpScp03 s = (Derivation.GpScp03) d;
      return derived(master.algorithm(), s.key().usage(),
          Algorithms.gpScp03(m, s.key().constant(), s.context().toByteArray()));
    } else if (d instanceof Derivation.GpTemplate) {
      Derivation.GpTemplate g = (Derivation.GpTemplate) d;
      return derived(g.algorithm(), g.key().usage(), Algorithms.gpTemplate(m, g.blocks(), g.cmac(),
          g.algorithm().keyLength()));
    } else {
      Derivation.GpDiversification g = (Derivation.GpDiversification) d;
      byte[] key = Algorithms.gpDiversify(m, g.method(), g.key().number(), g.kdd().toByteArray());
      KeyAlgorithm alg = g.method() == Derivation.GpDiversification.Method.KDF3 ? master.algorithm() : KeyAlgorithm.TDES_2KEY;
      return derived(alg, g.key().usage(), key);
    }
  }

  /**
   * Wraps derived bytes; per-card derived keys are clear keys in every backend.
   *
   * @param alg algorithm
   * @param usage usage
   * @param owned derived bytes
   * @return a clear key reference the caller should close
   */
  KeyRef derived(KeyAlgorithm alg, KeyUsage usage, byte[] owned) {
    return ClearKeyRef.ofOwned(alg, usage, owned);
  }

  @Override
  public Bytes arqc(KeyRef sessionKey, Padding padding, Bytes data) {
    check(Operation.ARQC, sessionKey);
    KeyOps k = ops(sessionKey, Operation.ARQC);
    KeyOps.requireDoubleDes(k.algorithm());
    return OwnedBytes.wrap(k.retailMac(padding.applyToArray(data, 8)));
  }

  @Override
  public Bytes arpc(KeyRef sessionKey, Bytes arqc, Bytes arc) {
    check(Operation.ARPC, sessionKey);
    if (arqc == null || arqc.length() != 8) {
      throw new ValidationException("arqc", "must be 8 bytes");
    }
    if (arc == null || arc.length() != 2) {
      throw new ValidationException("arc", "must be 2 bytes");
    }
    return OwnedBytes.wrap(Algorithms.arpcMethod1(ops(sessionKey), arqc.toByteArray(), arc.toByteArray()));
  }

  @Override
  public String cvv(KeyRef cvk, CvvInput input) {
    check(Operation.CVV, cvk);
    return Algorithms.cvv(ops(cvk, Operation.CVV), Objects.requireNonNull(input, "input"));
  }

  @Override
  public String pvv(KeyRef pvk, String pan, int pvki, String pin) {
    check(Operation.PVV, pvk);
    return Algorithms.pvv(ops(pvk), pan, pvki, pin);
  }

  @Override
  public String ibm3624NaturalPin(KeyRef pvk, Ibm3624 params) {
    check(Operation.IBM3624, pvk);
    return Algorithms.ibm3624NaturalPin(ops(pvk), Objects.requireNonNull(params, "params"));
  }

  private KeyRef storeChecked(KeyTemplate template, byte[] owned) {
    Kcv kcv;
    try {
      kcv = softKcv(template, owned, template.kcvMethod().defaultLength());
    } catch (RuntimeException e) {
      Arrays.fill(owned, (byte) 0);
      throw e;
    }
    return store(template, owned, kcv);
  }

  private static void requireLength(KeyTemplate template, byte[] k) {
    if (k.length != template.algorithm().keyLength()) {
      Arrays.fill(k, (byte) 0);
      throw new ValidationException("key", template.algorithm() + " needs " + template.algorithm().keyLength()
          + " bytes, was " + k.length);
    }
  }

  /** KCV of clear bytes being imported (they are in memory anyway). */
  static Kcv softKcv(KeyTemplate template, byte[] key, int length) {
    if (key.length != template.algorithm().keyLength()) {
      throw new ValidationException("key", template.algorithm() + " needs " + template.algorithm().keyLength() + " bytes");
    }
    SoftKeyOps ops = new SoftKeyOps(template.algorithm(), key);
    try {
      return new Kcv(template.kcvMethod(), OwnedBytes.wrap(Algorithms.kcv(ops, template.kcvMethod(), length)));
    } finally {
      ops.wipe();
    }
  }

  private static byte[] aligned(KeyOps k, Bytes data) {
    Objects.requireNonNull(data, "data");
    if (data.isEmpty() || data.length() % k.blockSize() != 0) {
      throw new ValidationException("data", "must be a non-empty multiple of " + k.blockSize() + " bytes, was " + data.length());
    }
    return data.toByteArray();
  }

  private static byte[] iv(KeyOps k, CipherSpec spec) {
    if (spec.iv().isEmpty()) {
      return null;
    }
    if (spec.iv().length() != k.blockSize()) {
      throw new ValidationException("iv", "must be " + k.blockSize() + " bytes for " + k.algorithm());
    }
    return spec.iv().toByteArray();
  }
}
