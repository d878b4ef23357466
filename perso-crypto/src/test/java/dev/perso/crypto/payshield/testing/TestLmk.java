package dev.perso.crypto.payshield.testing;

import dev.perso.core.internal.OwnedBytes;
import dev.perso.core.Bytes;
import dev.perso.crypto.internal.Algorithms;
import java.util.Arrays;
import org.bouncycastle.crypto.engines.DESedeEngine;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The Thales test LMK set (variant, double-length pairs 00-01 … 38-39) and the exact variant-LMK key
 * encryption, as notes/payshield.md §3 gives them: the pairs from thalessimulatorlibrary
 * {@code LmkStorage.GenerateTestLmks}, hsm-simu {@code Configure.LMK} and hsm-guide (identical in all
 * three); the algorithm from thalessimulatorlibrary {@code HexKey.EncryptVariant}/{@code Variants.cs}
 * and CryptoCarver's external vectors.
 *
 * <pre>{@code
 * Bytes c = TestLmk.encrypt("402", Bytes.fromHex("0123456789ABCDEFFEDCBA9876543210"));  // 9B4934384B19946B040CD702B4D58145
 * }</pre>
 */
public final class TestLmk {
  private static final String[] PAIRS = {
    "01010101010101017902CD1FD36EF8BA", "20202020202020203131313131313131",
    "40404040404040405151515151515151", "61616161616161617070707070707070",
    "80808080808080809191919191919191", "A1A1A1A1A1A1A1A1B0B0B0B0B0B0B0B0",
    "C1C1010101010101D0D0010101010101", "E0E0010101010101F1F1010101010101",
    "1C587F1C13924FEF0101010101010101", "01010101010101010101010101010101",
    "02020202020202020404040404040404", "07070707070707071010101010101010",
    "13131313131313131515151515151515", "16161616161616161919191919191919",
    "1A1A1A1A1A1A1A1A1C1C1C1C1C1C1C1C", "23232323232323232525252525252525",
    "26262626262626262929292929292929", "2A2A2A2A2A2A2A2A2C2C2C2C2C2C2C2C",
    "2F2F2F2F2F2F2F2F3131313131313131", "01010101010101010101010101010101",
  };
  /** Key-type variants applied to the left LMK key's first byte, index = variant digit (notes §3 step 2). */
  private static final int[] TYPE_VARIANT = {0, 0xA6, 0x5A, 0x6A, 0xDE, 0x2B, 0x50, 0x74, 0x9C, 0xFA};
  /** Scheme variants on the right LMK key's first byte: U blocks, then T blocks (notes §3 step 3). */
  private static final int[] U_VARIANT = {0xA6, 0x5A};
  private static final int[] T_VARIANT = {0x6A, 0xDE, 0x2B};

  private TestLmk() {}

  /**
   * @param pairIndex 0 = pair 00-01, 1 = 02-03, …
   * @return the 16-byte LMK pair
   */
  static byte[] pair(int pairIndex) {
    return Bytes.fromHex(PAIRS[pairIndex]).toByteArray();
  }

  /**
   * @param keyType 3 hex characters {@code VPP}
   * @return the pair index the type's {@code PP} names (00 → 04-05 … 0E → 38-39)
   */
  static int pairOf(String keyType) {
    int pp = Integer.parseInt(keyType.substring(1), 16);
    if (pp > 0x0E) {
      throw new IllegalArgumentException("key type " + keyType);
    }
    return pp < 2 ? pp + 2 : pp + 5;   // 00 → 04-05, 01 → 06-07, 02 → 14-15 … 0E → 38-39
  }

  /**
   * @param keyType 3 hex characters
   * @return true if it names a pair and a variant 0..9
   */
  public static boolean isKeyType(String keyType) {
    return keyType.matches("[0-9][0][0-9A-E]");
  }

  /** The LMK pair for a key type, with its key-type variant applied. */
  static byte[] typeKey(String keyType) {
    byte[] p = pair(pairOf(keyType));
    p[0] ^= (byte) TYPE_VARIANT[keyType.charAt(0) - '0'];
    return p;
  }

  /**
   * Encrypts a clear key under the test LMK (scheme Z, U or T by length).
   *
   * @param keyType the LMK key type
   * @param clear 8, 16 or 24 bytes
   * @return the cryptogram bytes (the hex after the scheme letter)
   */
  public static Bytes encrypt(String keyType, Bytes clear) {
    return OwnedBytes.wrap(schemeCrypt(typeKey(keyType), clear.toByteArray(), true));
  }

  /**
   * @param keyType the LMK key type
   * @param cryptogram 8, 16 or 24 bytes
   * @return the clear key
   */
  public static Bytes decrypt(String keyType, Bytes cryptogram) {
    byte[] c = schemeCrypt(typeKey(keyType), cryptogram.toByteArray(), false);
    Bytes b = Bytes.secret(c);
    Arrays.fill(c, (byte) 0);
    return b;
  }

  /**
   * Encrypts or decrypts a key under a key-encrypting key the variant way (LMK or ZMK, notes §3 steps
   * 3-5): 8 bytes plain; 16 bytes in two blocks with the right key's first byte XOR A6, 5A; 24 bytes in
   * three blocks with 6A, DE, 2B.
   *
   * @param kek 16-byte double-length key (the LMK pair with its type variant, or a clear ZMK)
   * @param data 8, 16 or 24 bytes
   * @param encrypt direction
   * @return the result
   */
  static byte[] schemeCrypt(byte[] kek, byte[] data, boolean encrypt) {
    int[] v = data.length == 16 ? U_VARIANT : data.length == 24 ? T_VARIANT : null;
    if (data.length != 8 && v == null) {
      throw new IllegalArgumentException("key length " + data.length);
    }
    byte[] out = new byte[data.length];
    for (int i = 0; i < data.length / 8; i++) {
      byte[] k = kek.clone();
      if (v != null) {
        k[8] ^= (byte) v[i];
      }
      ede(k, encrypt, data, i * 8, out, i * 8);
      Arrays.fill(k, (byte) 0);
    }
    return out;
  }

  /** Plain ECB 3DES (2-key) of 8/16/24 bytes, for X/Y/Z keys under a ZMK (notes §3 step 5). */
  static byte[] ecb(byte[] kek, byte[] data, boolean encrypt) {
    byte[] out = new byte[data.length];
    for (int i = 0; i < data.length; i += 8) {
      ede(kek, encrypt, data, i, out, i);
    }
    return out;
  }

  private static void ede(byte[] key16, boolean encrypt, byte[] in, int inOff, byte[] out, int outOff) {
    DESedeEngine e = new DESedeEngine();
    e.init(encrypt, new KeyParameter(key16.length == 16 ? key16 : key16));
    e.processBlock(in, inOff, out, outOff);
  }

  /**
   * @param key key bytes
   * @return true if every byte has odd parity
   */
  static boolean oddParity(byte[] key) {
    for (byte b : key) {
      if ((Integer.bitCount(b & 0xFF) & 1) == 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * @param key key bytes, changed in place
   * @return {@code key} with odd parity
   */
  static byte[] withOddParity(byte[] key) {
    return Algorithms.adjustParity(key);
  }

  /**
   * The LMK check value NC returns in thalessimulatorlibrary's VB core: XOR of the left halves of all
   * 20 pairs… as hsm-guide shows it for the test LMK ({@code 7B44AC1DDEE2A94B}, notes §5). Computed here
   * as the XOR-fold of the 40 8-byte LMK keys.
   *
   * @return 16 hex characters
   */
  static String checkValue() {
    byte[] x = new byte[8];
    for (String p : PAIRS) {
      byte[] b = Bytes.fromHex(p).toByteArray();
      for (int i = 0; i < 16; i++) {
        x[i % 8] ^= b[i];
      }
    }
    return Bytes.of(x).toHex();
  }
}
