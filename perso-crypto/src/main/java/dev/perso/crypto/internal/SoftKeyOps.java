package dev.perso.crypto.internal;

import dev.perso.core.CryptoException;
import dev.perso.crypto.KeyAlgorithm;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Software primitives for one clear key: the project's {@link Des} for the DES family (key schedules
 * expanded once, kept until {@link #wipe()}), SunJCE (AES-NI) for AES. CMAC subkeys are cached.
 * Not thread-safe: one instance per thread and key.
 */
public final class SoftKeyOps implements KeyOps {
  private static final byte[] ZERO16 = new byte[16];

  private final KeyAlgorithm algorithm;
  // DES family: the expanded schedules only, no copy of the key bytes
  private final Des des;
  private SoftKeyOps[] halves;
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
      des = Des.of(key);
      aesKey = null;
    } else {
      des = null;
      aesKey = new SecretKeySpec(key, "AES");
    }
  }

  /** A single-DES half sharing the parent's schedules. */
  private SoftKeyOps(Des half) {
    this.algorithm = KeyAlgorithm.DES;
    this.scratch = new byte[8];
    this.des = half;
    this.aesKey = null;
  }

  private SoftKeyOps[] halves() {
    if (halves == null) {
      halves = new SoftKeyOps[] {new SoftKeyOps(des.half(0)), new SoftKeyOps(des.half(1))};
    }
    return halves;
  }

  private void alive() {
    if (wiped) {
      throw new CryptoException("the key was closed (wiped)");
    }
  }

  /**
   * Zeroes the DES key schedules (shared with the single-DES halves), the CMAC subkeys and the
   * scratch block. AES: the {@link SecretKeySpec} copy cannot be wiped by the JDK 17 API; the engines
   * are dropped.
   */
  @Override
  public void wipe() {
    if (wiped) {
      return;   // a closed key's engine is wiped again when the backend's cache evicts it
    }
    wiped = true;
    if (des != null) {
      des.wipe();
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
    if (cbc) {
      // the chain stays in the initial-permutation domain: one IP per block, one FP per output
      long chain = iv == null ? 0L : Des.ip(Des.load(iv, 0));
      for (int off = 0; off < data.length; off += 8) {
        chain = des.encryptIp(chain ^ Des.ip(Des.load(data, off)));
        Des.store(Des.fp(chain), out, off);
      }
    } else {
      des.ecb(true, data, out);
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
    des.ecb(false, data, out);   // CBC decryption's block decryptions are independent
    if (cbc) {
      for (int i = 0; i < 8; i++) {
        out[i] ^= iv == null ? 0 : iv[i];
      }
      for (int i = 8; i < data.length; i++) {
        out[i] ^= data[i - 8];
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
    byte[] mac = new byte[8];
    Des.store(Des.fp(cbcMacIp(des, padded)), mac, 0);
    return mac;
  }

  /** CBC-MAC with a zero IV over whole blocks, left in the initial-permutation domain. */
  private static long cbcMacIp(Des des, byte[] padded) {
    long chain = 0L;
    for (int off = 0; off < padded.length; off += 8) {
      chain = des.encryptIp(chain ^ Des.ip(Des.load(padded, off)));
    }
    return chain;
  }

  @Override
  public byte[] retailMac(byte[] padded) {
    alive();
    KeyOps.requireDoubleDes(algorithm);
    SoftKeyOps[] h = halves();
    // CBC with K over all blocks, then decrypt with K' and encrypt with K, without leaving the IP domain
    long s = h[0].des.encryptIp(h[1].des.decryptIp(cbcMacIp(h[0].des, padded)));
    byte[] mac = new byte[8];
    Des.store(Des.fp(s), mac, 0);
    return mac;
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
      byte[] last = scratch;
      int n = message.length == 0 ? 1 : (message.length + bs - 1) / bs;
      int lastOff = (n - 1) * bs;
      long chain = 0L;
      for (int off = 0; off < lastOff; off += bs) {
        chain = des.encryptIp(chain ^ Des.ip(Des.load(message, off)));
      }
      Arrays.fill(last, (byte) 0);
      lastBlockInto(message, lastOff, bs, last);
      chain = des.encryptIp(chain ^ Des.ip(Des.load(last, 0)));
      Arrays.fill(last, (byte) 0);
      byte[] mac = new byte[8];
      Des.store(Des.fp(chain), mac, 0);
      return mac;
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
