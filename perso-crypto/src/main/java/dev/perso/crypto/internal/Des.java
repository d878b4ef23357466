package dev.perso.crypto.internal;

import dev.perso.core.ValidationException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * DES and triple DES (FIPS 46-3, NIST SP 800-67) on 64-bit blocks held in {@code long}s, with the key
 * schedules expanded once per key and kept (wiped by {@link #wipe()}).
 *
 * <p>Why our own: a per-card session key is scheduled once and then used for a few operations, so the
 * schedule dominates (Bouncy Castle's bit-by-bit schedule cost about a third of a card in
 * {@code CpsBenchmark}); here it is 16 rounds of table look-ups. The round function uses the usual
 * combined S-box/P tables ("SP boxes", computed below from the FIPS 46-3 S-boxes and P) on the two
 * block halves kept rotated left by one bit, so the E expansion is word shifts (the layout of
 * Outerbridge's public-domain d3des, also used by Bouncy Castle's DESEngine). Chained modes stay in the
 * initial-permutation domain between blocks: IP and FP are linear bit permutations, so
 * {@code IP(a ^ b) = IP(a) ^ IP(b)} and a CBC chain needs one IP per input block and one FP at the end.
 *
 * <p>Immutable after construction except {@link #wipe()}; the backends keep one per thread and key.
 */
public final class Des {
  /**
   * SP boxes, 256 entries each: indexed by a whole byte whose top two bits (neighbouring data bits)
   * are ignored, which saves the mask of the top byte.
   */
  private static final int[] SP = new int[8 * 256];
  /** PC-1 contribution of key byte b (0..7, big-endian) with value v: 56-bit C||D. */
  private static final long[] PC1 = new long[8 * 256];
  /** PC-2 + "cooking" contribution of 7-bit chunk c (0 = top of C||D) with value v: two round-key words. */
  private static final long[] PC2 = new long[8 * 128];
  private static final int[] SHIFTS = {1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1};
  private static final VarHandle BIG_ENDIAN = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final long M28 = 0x0FFFFFFFL;
  private static final long M32 = 0xFFFFFFFFL;

  static {
    // FIPS 46-3, S-boxes S1..S8 (row-major: row = b1b6, column = b2b3b4b5)
    int[][] s = {
      {14, 4, 13, 1, 2, 15, 11, 8, 3, 10, 6, 12, 5, 9, 0, 7, 0, 15, 7, 4, 14, 2, 13, 1, 10, 6, 12, 11, 9, 5, 3, 8,
        4, 1, 14, 8, 13, 6, 2, 11, 15, 12, 9, 7, 3, 10, 5, 0, 15, 12, 8, 2, 4, 9, 1, 7, 5, 11, 3, 14, 10, 0, 6, 13},
      {15, 1, 8, 14, 6, 11, 3, 4, 9, 7, 2, 13, 12, 0, 5, 10, 3, 13, 4, 7, 15, 2, 8, 14, 12, 0, 1, 10, 6, 9, 11, 5,
        0, 14, 7, 11, 10, 4, 13, 1, 5, 8, 12, 6, 9, 3, 2, 15, 13, 8, 10, 1, 3, 15, 4, 2, 11, 6, 7, 12, 0, 5, 14, 9},
      {10, 0, 9, 14, 6, 3, 15, 5, 1, 13, 12, 7, 11, 4, 2, 8, 13, 7, 0, 9, 3, 4, 6, 10, 2, 8, 5, 14, 12, 11, 15, 1,
        13, 6, 4, 9, 8, 15, 3, 0, 11, 1, 2, 12, 5, 10, 14, 7, 1, 10, 13, 0, 6, 9, 8, 7, 4, 15, 14, 3, 11, 5, 2, 12},
      {7, 13, 14, 3, 0, 6, 9, 10, 1, 2, 8, 5, 11, 12, 4, 15, 13, 8, 11, 5, 6, 15, 0, 3, 4, 7, 2, 12, 1, 10, 14, 9,
        10, 6, 9, 0, 12, 11, 7, 13, 15, 1, 3, 14, 5, 2, 8, 4, 3, 15, 0, 6, 10, 1, 13, 8, 9, 4, 5, 11, 12, 7, 2, 14},
      {2, 12, 4, 1, 7, 10, 11, 6, 8, 5, 3, 15, 13, 0, 14, 9, 14, 11, 2, 12, 4, 7, 13, 1, 5, 0, 15, 10, 3, 9, 8, 6,
        4, 2, 1, 11, 10, 13, 7, 8, 15, 9, 12, 5, 6, 3, 0, 14, 11, 8, 12, 7, 1, 14, 2, 13, 6, 15, 0, 9, 10, 4, 5, 3},
      {12, 1, 10, 15, 9, 2, 6, 8, 0, 13, 3, 4, 14, 7, 5, 11, 10, 15, 4, 2, 7, 12, 9, 5, 6, 1, 13, 14, 0, 11, 3, 8,
        9, 14, 15, 5, 2, 8, 12, 3, 7, 0, 4, 10, 1, 13, 11, 6, 4, 3, 2, 12, 9, 5, 15, 10, 11, 14, 1, 7, 6, 0, 8, 13},
      {4, 11, 2, 14, 15, 0, 8, 13, 3, 12, 9, 7, 5, 10, 6, 1, 13, 0, 11, 7, 4, 9, 1, 10, 14, 3, 5, 12, 2, 15, 8, 6,
        1, 4, 11, 13, 12, 3, 7, 14, 10, 15, 6, 8, 0, 5, 9, 2, 6, 11, 13, 8, 1, 4, 10, 7, 9, 5, 0, 15, 14, 2, 3, 12},
      {13, 2, 8, 4, 6, 15, 11, 1, 10, 9, 3, 14, 5, 0, 12, 7, 1, 15, 13, 8, 10, 3, 7, 4, 12, 5, 6, 11, 0, 14, 9, 2,
        7, 11, 4, 1, 9, 12, 14, 2, 0, 6, 10, 13, 15, 3, 5, 8, 2, 1, 14, 7, 4, 10, 8, 13, 15, 12, 9, 0, 3, 5, 6, 11}
    };
    // FIPS 46-3, permutation P (bit numbers 1..32, 1 = most significant)
    int[] p = {16, 7, 20, 21, 29, 12, 28, 17, 1, 15, 23, 26, 5, 18, 31, 10,
      2, 8, 24, 14, 32, 27, 3, 9, 19, 13, 30, 6, 22, 11, 4, 25};
    for (int box = 0; box < 8; box++) {
      for (int v = 0; v < 64; v++) {
        int row = ((v >>> 4) & 2) | (v & 1);
        int col = (v >>> 1) & 15;
        int sOut = s[box][row * 16 + col] << (28 - 4 * box);   // S_{box+1} feeds bits 4*box+1..4*box+4
        int permuted = 0;
        for (int i = 0; i < 32; i++) {
          if ((sOut & (1 << (32 - p[i]))) != 0) {
            permuted |= 1 << (31 - i);
          }
        }
        for (int high = 0; high < 4; high++) {
          SP[box * 256 + (high << 6) + v] = Integer.rotateLeft(permuted, 1);   // halves kept rotated left by one
        }
      }
    }
    // FIPS 46-3, permuted choice 1 (key bit numbers 1..64) and 2 (C||D bit numbers 1..56)
    int[] pc1 = {57, 49, 41, 33, 25, 17, 9, 1, 58, 50, 42, 34, 26, 18, 10, 2, 59, 51, 43, 35, 27, 19, 11, 3,
      60, 52, 44, 36, 63, 55, 47, 39, 31, 23, 15, 7, 62, 54, 46, 38, 30, 22, 14, 6, 61, 53, 45, 37, 29, 21, 13, 5,
      28, 20, 12, 4};
    int[] pc2 = {14, 17, 11, 24, 1, 5, 3, 28, 15, 6, 21, 10, 23, 19, 12, 4, 26, 8, 16, 7, 27, 20, 13, 2,
      41, 52, 31, 37, 47, 55, 30, 40, 51, 45, 33, 48, 44, 49, 39, 56, 34, 53, 46, 42, 50, 36, 29, 32};
    for (int b = 0; b < 8; b++) {
      for (int v = 0; v < 256; v++) {
        long key = (long) v << (56 - 8 * b);
        long cd = 0;
        for (int i = 0; i < 56; i++) {
          if ((key & (1L << (64 - pc1[i]))) != 0) {
            cd |= 1L << (55 - i);
          }
        }
        PC1[b * 256 + v] = cd;
      }
    }
    for (int c = 0; c < 8; c++) {
      for (int v = 0; v < 128; v++) {
        long cd = (long) v << (49 - 7 * c);
        long k = 0;   // the 48-bit round key, bit 1 = bit 47
        for (int i = 0; i < 48; i++) {
          if ((cd & (1L << (56 - pc2[i]))) != 0) {
            k |= 1L << (47 - i);
          }
        }
        PC2[c * 128 + v] = cook(k);
      }
    }
  }

  /**
   * The round key as the round function takes it: the 6-bit groups K1..K8 (K1 = most significant) as
   * word 0 = K1 K3 K5 K7 and word 1 = K2 K4 K6 K8, one group per byte.
   */
  private static long cook(long k) {
    long w0 = 0;
    long w1 = 0;
    for (int g = 0; g < 8; g++) {
      long group = (k >>> (42 - 6 * g)) & 0x3F;
      int shift = 24 - 8 * (g / 2);
      if (g % 2 == 0) {
        w0 |= group << shift;
      } else {
        w1 |= group << shift;
      }
    }
    return (w0 << 32) | w1;
  }

  private final int[][] encrypt;   // per stage, 32 round-key words in the order the stage uses them
  private final int[][] decrypt;

  private Des(int[][] encrypt, int[][] decrypt) {
    this.encrypt = encrypt;
    this.decrypt = decrypt;
  }

  /**
   * Expands a DES (8 bytes), double-length (16: K1 K2 K1) or triple-length (24: K1 K2 K3) key. Parity
   * bits are ignored. The caller keeps (and wipes) its array.
   *
   * @param key 8, 16 or 24 bytes
   * @return the keyed cipher
   */
  public static Des of(byte[] key) {
    if (key.length != 8 && key.length != 16 && key.length != 24) {
      throw new ValidationException("key", "DES keys are 8, 16 or 24 bytes, was " + key.length);
    }
    int[] k1 = schedule(key, 0);
    if (key.length == 8) {
      return new Des(new int[][] {k1}, new int[][] {reversed(k1)});
    }
    int[] k2 = schedule(key, 8);
    int[] k1r = reversed(k1);
    int[] k2r = reversed(k2);
    if (key.length == 16) {
      // E(K1) D(K2) E(K1); decryption D(K1) E(K2) D(K1): the arrays are shared, wiping one wipes all
      return new Des(new int[][] {k1, k2r, k1}, new int[][] {k1r, k2, k1r});
    }
    int[] k3 = schedule(key, 16);
    return new Des(new int[][] {k1, k2r, k3}, new int[][] {reversed(k3), k2, k1r});
  }

  /**
   * @param index 0 (K1) or 1 (K2) of a double- or triple-length key
   * @return single DES with that part's schedules (shared: {@link #wipe()} on either wipes both)
   */
  public Des half(int index) {
    if (encrypt.length == 1 || index < 0 || index > 1) {
      throw new IllegalArgumentException("half " + index + " of a " + encrypt.length + "-stage key");
    }
    return index == 0 ? new Des(new int[][] {encrypt[0]}, new int[][] {decrypt[2]})
        : new Des(new int[][] {decrypt[1]}, new int[][] {encrypt[1]});
  }

  private static int[] schedule(byte[] key, int off) {
    long cd = 0;
    for (int b = 0; b < 8; b++) {
      cd |= PC1[b * 256 + (key[off + b] & 0xFF)];
    }
    long c = cd >>> 28;
    long d = cd & M28;
    int[] ks = new int[32];
    for (int round = 0; round < 16; round++) {
      int sh = SHIFTS[round];
      c = ((c << sh) | (c >>> (28 - sh))) & M28;
      d = ((d << sh) | (d >>> (28 - sh))) & M28;
      long x = (c << 28) | d;
      long w = PC2[(int) (x >>> 49)]
          | PC2[128 + (int) ((x >>> 42) & 0x7F)]
          | PC2[256 + (int) ((x >>> 35) & 0x7F)]
          | PC2[384 + (int) ((x >>> 28) & 0x7F)]
          | PC2[512 + (int) ((x >>> 21) & 0x7F)]
          | PC2[640 + (int) ((x >>> 14) & 0x7F)]
          | PC2[768 + (int) ((x >>> 7) & 0x7F)]
          | PC2[896 + (int) (x & 0x7F)];
      ks[2 * round] = Integer.rotateLeft((int) (w >>> 32), 4);   // see rounds()
      ks[2 * round + 1] = (int) w;
    }
    return ks;
  }

  private static int[] reversed(int[] ks) {
    int[] r = new int[32];
    for (int round = 0; round < 16; round++) {
      r[2 * round] = ks[30 - 2 * round];
      r[2 * round + 1] = ks[31 - 2 * round];
    }
    return r;
  }

  /** Zeroes every round key; later results are garbage (callers refuse use after wiping). Idempotent. */
  public void wipe() {
    for (int[] k : encrypt) {
      Arrays.fill(k, 0);
    }
    for (int[] k : decrypt) {
      Arrays.fill(k, 0);
    }
  }

  /**
   * Initial permutation, with both halves rotated left by one bit (the layout the rounds use).
   *
   * @param block a block, big-endian
   * @return left half (high word) and right half
   */
  public static long ip(long block) {
    int left = (int) (block >>> 32);
    int right = (int) block;
    int work = ((left >>> 4) ^ right) & 0x0f0f0f0f;
    right ^= work;
    left ^= work << 4;
    work = ((left >>> 16) ^ right) & 0x0000ffff;
    right ^= work;
    left ^= work << 16;
    work = ((right >>> 2) ^ left) & 0x33333333;
    left ^= work;
    right ^= work << 2;
    work = ((right >>> 8) ^ left) & 0x00ff00ff;
    left ^= work;
    right ^= work << 8;
    right = Integer.rotateLeft(right, 1);
    work = (left ^ right) & 0xaaaaaaaa;
    left ^= work;
    right ^= work;
    left = Integer.rotateLeft(left, 1);
    return ((long) left << 32) | (right & M32);
  }

  /**
   * Final permutation, the inverse of {@link #ip}.
   *
   * @param state the output of the rounds
   * @return the block, big-endian
   */
  public static long fp(long state) {
    int right = (int) (state >>> 32);
    int left = (int) state;
    right = Integer.rotateRight(right, 1);
    int work = (left ^ right) & 0xaaaaaaaa;
    left ^= work;
    right ^= work;
    left = Integer.rotateRight(left, 1);
    work = ((left >>> 8) ^ right) & 0x00ff00ff;
    right ^= work;
    left ^= work << 8;
    work = ((left >>> 2) ^ right) & 0x33333333;
    right ^= work;
    left ^= work << 2;
    work = ((right >>> 16) ^ left) & 0x0000ffff;
    left ^= work;
    right ^= work << 16;
    work = ((right >>> 4) ^ left) & 0x0f0f0f0f;
    left ^= work;
    right ^= work << 4;
    return ((long) right << 32) | (left & M32);
  }

  /**
   * The round function: the eight SP outputs for half {@code x} under one round key (words
   * {@code k0}, stored rotated left by 4 so no rotation sits on the dependency chain, and {@code k1}).
   * The outputs have disjoint bits, so OR = XOR and the tree is balanced.
   */
  private static int f(int x, int k0, int k1) {
    int a = x ^ k0;
    int b = x ^ k1;
    int[] sp = SP;
    return ((sp[Integer.rotateLeft(a, 4) & 0xff] | sp[512 + ((a >>> 20) & 0xff)])
        | (sp[1024 + ((a >>> 12) & 0xff)] | sp[1536 + ((a >>> 4) & 0xff)]))
        | ((sp[256 + (b >>> 24)] | sp[768 + ((b >>> 16) & 0xff)])
        | (sp[1280 + ((b >>> 8) & 0xff)] | sp[1792 + (b & 0xff)]));
  }

  /**
   * Sixteen rounds with one schedule, in the {@link #ip} domain. The result has its halves swapped
   * (R16 L16), which is both what {@link #fp} takes and the next stage's input.
   */
  private static long rounds(int[] ks, long state) {
    int left = (int) (state >>> 32);
    int right = (int) state;
    for (int i = 0; i < 32; i += 4) {
      left ^= f(right, ks[i], ks[i + 1]);
      right ^= f(left, ks[i + 2], ks[i + 3]);
    }
    return ((long) right << 32) | (left & M32);
  }

  /**
   * ECB over whole blocks. Two blocks at a time go through the rounds together: a block's rounds are
   * one long dependency chain, and interleaving two independent chains lets the CPU overlap them.
   *
   * @param forward true to encrypt, false to decrypt
   * @param in whole blocks
   * @param out as long as {@code in} (may be {@code in})
   */
  public void ecb(boolean forward, byte[] in, byte[] out) {
    int[][] stages = forward ? encrypt : decrypt;
    int off = 0;
    for (; off + 16 <= in.length; off += 16) {
      long s0 = ip(load(in, off));
      long s1 = ip(load(in, off + 8));
      int l0 = (int) (s0 >>> 32);
      int r0 = (int) s0;
      int l1 = (int) (s1 >>> 32);
      int r1 = (int) s1;
      for (int[] ks : stages) {
        for (int i = 0; i < 32; i += 4) {
          l0 ^= f(r0, ks[i], ks[i + 1]);
          l1 ^= f(r1, ks[i], ks[i + 1]);
          r0 ^= f(l0, ks[i + 2], ks[i + 3]);
          r1 ^= f(l1, ks[i + 2], ks[i + 3]);
        }
        int t = l0;   // each stage ends with its halves swapped, as rounds() returns them
        l0 = r0;
        r0 = t;
        t = l1;
        l1 = r1;
        r1 = t;
      }
      store(fp(((long) l0 << 32) | (r0 & M32)), out, off);
      store(fp(((long) l1 << 32) | (r1 & M32)), out, off + 8);
    }
    if (off < in.length) {
      long b = load(in, off);
      store(forward ? encrypt(b) : decrypt(b), out, off);
    }
  }

  /**
   * Encrypts in the {@link #ip} domain (all stages, no IP/FP between them).
   *
   * @param state an {@link #ip} output
   * @return what {@link #fp} turns into the ciphertext
   */
  public long encryptIp(long state) {
    long s = state;
    for (int[] ks : encrypt) {
      s = rounds(ks, s);
    }
    return s;
  }

  /**
   * @param state an {@link #ip} output
   * @return what {@link #fp} turns into the plaintext
   */
  public long decryptIp(long state) {
    long s = state;
    for (int[] ks : decrypt) {
      s = rounds(ks, s);
    }
    return s;
  }

  /** @param block plaintext @return ciphertext */
  public long encrypt(long block) {
    return fp(encryptIp(ip(block)));
  }

  /** @param block ciphertext @return plaintext */
  public long decrypt(long block) {
    return fp(decryptIp(ip(block)));
  }

  /**
   * @param b bytes
   * @param off offset of 8 bytes
   * @return them big-endian
   */
  public static long load(byte[] b, int off) {
    return (long) BIG_ENDIAN.get(b, off);
  }


  /**
   * @param v a block
   * @param b where to write it big-endian
   * @param off offset of 8 bytes
   */
  public static void store(long v, byte[] b, int off) {
    BIG_ENDIAN.set(b, off, v);
  }

}
