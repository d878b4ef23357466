package dev.perso.crypto.internal;

import dev.perso.core.CryptoException;
import dev.perso.crypto.KeyAlgorithm;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.engines.DESEngine;
import org.bouncycastle.crypto.engines.DESedeEngine;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Software primitives for one clear key: Bouncy Castle's lightweight DES/DESede engines for the DES
 * family, SunJCE (AES-NI) for AES. Engines are keyed once and reused; CMAC subkeys are cached.
 * Not thread-safe: one instance per thread and key.
 */
public final class SoftKeyOps implements KeyOps {
  private static final byte[] ZERO16 = new byte[16];

  private final KeyAlgorithm algorithm;
  // DES family
  // Keyed on first use: a per-card key often only encrypts, and each DES key schedule costs about
  // as much as a whole MAC (CpsBenchmark profile). The key copy is no more exposure than the schedule.
  private final BlockCipher enc;
  private BlockCipher dec;
  private SoftKeyOps[] halves;
  private final byte[] desKey;
  // AES
  private final SecretKeySpec aesKey;
  private Cipher aesEcbEnc;
  private Cipher aesEcbDec;
  private Cipher aesCbcEnc;
  private Cipher aesCbcDec;
  // CMAC subkeys
  private byte[] k1;
  private byte[] k2;
  private final byte[] scratch;
  private volatile boolean wiped;

  /**
   * Keys the engines; the caller keeps (and wipes) its array.
   *
   * @param algorithm the key's algorithm
   * @param key the key bytes
   */
  public SoftKeyOps(KeyAlgorithm algorithm, byte[] key) {
    this.algorithm = algorithm;
    this.scratch = new byte[algorithm.blockSize()];
    if (algorithm.isDes()) {
      desKey = key.clone();
      enc = algorithm == KeyAlgorithm.DES ? new DESEngine() : new DESedeEngine();
      enc.init(true, new KeyParameter(desKey));
      aesKey = null;
    } else {
      enc = null;
      desKey = null;
      aesKey = new SecretKeySpec(key, "AES");
    }
  }

  private BlockCipher dec() {
    alive();
    if (dec == null) {
      dec = algorithm == KeyAlgorithm.DES ? new DESEngine() : new DESedeEngine();
      dec.init(false, new KeyParameter(desKey));
    }
    return dec;
  }

  private SoftKeyOps[] halves() {
    if (halves == null) {
      halves = new SoftKeyOps[] {
        new SoftKeyOps(KeyAlgorithm.DES, Arrays.copyOfRange(desKey, 0, 8), true),
        new SoftKeyOps(KeyAlgorithm.DES, Arrays.copyOfRange(desKey, 8, 16), true)
      };
    }
    return halves;
  }

  private SoftKeyOps(KeyAlgorithm algorithm, byte[] ownedKey, boolean wipe) {
    this(algorithm, ownedKey);
    if (wipe) {
      Arrays.fill(ownedKey, (byte) 0);
    }
  }

  private void alive() {
    if (wiped) {
      throw new CryptoException("the key was closed (wiped)");
    }
  }

  /**
   * Wipes the key copy, the CMAC subkeys and the single-DES halves, and re-keys the engines with an
   * all-zero key so the schedule of the real key is overwritten. AES: the {@link SecretKeySpec} copy
   * cannot be wiped by the JDK 17 API; the engines are dropped.
   */
  @Override
  public void wipe() {
    wiped = true;
    if (desKey != null) {
      Arrays.fill(desKey, (byte) 0);
      enc.init(true, new KeyParameter(new byte[desKey.length]));
      if (dec != null) {
        dec.init(false, new KeyParameter(new byte[desKey.length]));
      }
    }
    if (halves != null) {
      halves[0].wipe();
      halves[1].wipe();
    }
    if (k1 != null) {
      Arrays.fill(k1, (byte) 0);
      Arrays.fill(k2, (byte) 0);
    }
    Arrays.fill(scratch, (byte) 0);
    aesEcbEnc = null;
    aesEcbDec = null;
    aesCbcEnc = null;
    aesCbcDec = null;
  }

  @Override
  public KeyAlgorithm algorithm() {
    return algorithm;
  }

  @Override
  public KeyOps half(int index) {
    alive();
    KeyOps.requireDoubleDes(algorithm);
    return halves()[index];
  }

  @Override
  public byte[] encrypt(boolean cbc, byte[] iv, byte[] data) {
    alive();
    if (aesKey != null) {
      return aes(Cipher.ENCRYPT_MODE, cbc, iv, data, true);
    }
    byte[] out = new byte[data.length];
    byte[] chain = iv == null ? new byte[8] : iv.clone();
    for (int off = 0; off < data.length; off += 8) {
      if (cbc) {
        for (int i = 0; i < 8; i++) {
          chain[i] ^= data[off + i];
        }
        enc.processBlock(chain, 0, out, off);
        System.arraycopy(out, off, chain, 0, 8);
      } else {
        enc.processBlock(data, off, out, off);
      }
    }
    return out;
  }

  @Override
  public byte[] decrypt(boolean cbc, byte[] iv, byte[] data) {
    alive();
    if (aesKey != null) {
      return aes(Cipher.DECRYPT_MODE, cbc, iv, data, false);
    }
    byte[] out = new byte[data.length];
    byte[] chain = iv == null ? new byte[8] : iv.clone();
    for (int off = 0; off < data.length; off += 8) {
      dec().processBlock(data, off, out, off);
      if (cbc) {
        for (int i = 0; i < 8; i++) {
          out[off + i] ^= chain[i];
        }
        System.arraycopy(data, off, chain, 0, 8);
      }
    }
    return out;
  }

  private byte[] aes(int mode, boolean cbc, byte[] iv, byte[] data, boolean encrypt) {
    try {
      Cipher c;
      if (cbc) {
        c = encrypt ? (aesCbcEnc != null ? aesCbcEnc : (aesCbcEnc = Cipher.getInstance("AES/CBC/NoPadding")))
            : (aesCbcDec != null ? aesCbcDec : (aesCbcDec = Cipher.getInstance("AES/CBC/NoPadding")));
        c.init(mode, aesKey, new IvParameterSpec(iv == null ? ZERO16 : iv));
      } else {
        if (encrypt) {
          if (aesEcbEnc == null) {
            aesEcbEnc = Cipher.getInstance("AES/ECB/NoPadding");
            aesEcbEnc.init(mode, aesKey);
          }
          c = aesEcbEnc;
        } else {
          if (aesEcbDec == null) {
            aesEcbDec = Cipher.getInstance("AES/ECB/NoPadding");
            aesEcbDec.init(mode, aesKey);
          }
          c = aesEcbDec;
        }
      }
      return c.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new CryptoException("AES " + (cbc ? "CBC" : "ECB") + " failed", e);
    }
  }

  @Override
  public byte[] cbcMac(byte[] padded) {
    alive();
    if (aesKey != null) {
      return KeyOps.super.cbcMac(padded);
    }
    byte[] chain = scratch;
    Arrays.fill(chain, (byte) 0);
    for (int off = 0; off < padded.length; off += 8) {
      for (int i = 0; i < 8; i++) {
        chain[i] ^= padded[off + i];
      }
      enc.processBlock(chain, 0, chain, 0);
    }
    return chain.clone();
  }

  @Override
  public byte[] retailMac(byte[] padded) {
    alive();
    KeyOps.requireDoubleDes(algorithm);
    SoftKeyOps k = halves()[0];
    byte[] h = k.cbcMac(padded);
    halves()[1].dec().processBlock(h, 0, h, 0);
    k.enc.processBlock(h, 0, h, 0);
    return h;
  }

  @Override
  public byte[] cmac(byte[] message) {
    alive();
    int bs = algorithm.blockSize();
    if (k1 == null) {
      byte[] l = encrypt(false, null, new byte[bs]);
      k1 = Algorithms.dbl(l);
      k2 = Algorithms.dbl(k1);
      Arrays.fill(l, (byte) 0);
    }
    if (aesKey == null) {
      // DES family: chain through all full blocks but the last, then the subkey-masked last block.
      byte[] chain = scratch;
      Arrays.fill(chain, (byte) 0);
      int n = message.length == 0 ? 1 : (message.length + bs - 1) / bs;
      int lastOff = (n - 1) * bs;
      for (int off = 0; off < lastOff; off += bs) {
        for (int i = 0; i < bs; i++) {
          chain[i] ^= message[off + i];
        }
        enc.processBlock(chain, 0, chain, 0);
      }
      lastBlockInto(message, lastOff, bs, chain);
      enc.processBlock(chain, 0, chain, 0);
      return chain.clone();
    }
    try {
      if (aesCbcEnc == null) {
        aesCbcEnc = Cipher.getInstance("AES/CBC/NoPadding");
      }
      Cipher c = aesCbcEnc;
      c.init(Cipher.ENCRYPT_MODE, aesKey, new IvParameterSpec(ZERO16));
      int n = message.length == 0 ? 1 : (message.length + bs - 1) / bs;
      int lastOff = (n - 1) * bs;
      byte[] out = new byte[Math.max(lastOff, 16) + 16];
      if (lastOff > 0) {
        c.update(message, 0, lastOff, out, 0);
      }
      byte[] last = new byte[bs];
      lastBlockInto(message, lastOff, bs, last);
      int w = c.doFinal(last, 0, bs, out, 0);
      return Arrays.copyOf(out, w);
    } catch (GeneralSecurityException e) {
      throw new CryptoException("AES-CMAC failed", e);
    }
  }

  /** XORs the (padded, subkey-masked) last block into {@code acc}. */
  private void lastBlockInto(byte[] message, int lastOff, int bs, byte[] acc) {
    int rem = message.length - lastOff;
    boolean complete = message.length > 0 && rem == bs;
    byte[] sub = complete ? k1 : k2;
    for (int i = 0; i < bs; i++) {
      int m;
      if (i < rem) {
        m = message[lastOff + i];
      } else if (i == rem) {
        m = 0x80;
      } else {
        m = 0;
      }
      acc[i] ^= (byte) (m ^ sub[i]);
    }
  }
}
