package dev.perso.crypto;

import dev.perso.core.internal.OwnedBytes;
import dev.perso.core.Bytes;
import dev.perso.core.ValidationException;

/**
 * ISO/IEC 9797-1 padding methods, as used by MACs and application cryptograms.
 *
 * <pre>{@code
 * Padding.METHOD_2.apply(Bytes.fromHex("1234"), 8);   // 1234800000000000
 * backend.arqc(sk, Padding.EMV, cdolData);            // EMV default: method 2
 * }</pre>
 */
public enum Padding {
  /** No padding: data must already be a whole number of blocks. */
  NONE,
  /** Method 1: zeros up to the block size; empty data becomes one zero block. */
  METHOD_1,
  /** Method 2: {@code 80} then zeros; always adds 1..block size bytes. */
  METHOD_2,
  /** Method 3: a block holding the data length in bits, then the data padded with zeros. */
  METHOD_3;

  /** The EMV (and pyemv) convention for application cryptograms: method 2. */
  public static final Padding EMV = METHOD_2;
  /** The Visa (VSDC / CVN 10) convention for application cryptograms: method 1. */
  public static final Padding VISA = METHOD_1;

  /**
   * {@link #apply} into a new array the caller owns, with one copy of {@code data} (the MAC and cipher
   * paths hand arrays to the primitives).
   *
   * @param data the data
   * @param blockSize the cipher's block size
   * @return the padded data
   */
  byte[] applyToArray(Bytes data, int blockSize) {
    int n = data.length();
    byte[] out;
    switch (this) {
      case METHOD_1:
        out = new byte[n == 0 ? blockSize : (n + blockSize - 1) / blockSize * blockSize];
        break;
      case METHOD_2:
        out = new byte[n + blockSize - n % blockSize];
        out[n] = (byte) 0x80;
        break;
      default:
        return apply(data, blockSize).toByteArray();
    }
    data.copyTo(out, 0);
    return out;
  }

  /**
   * Pads data.
   *
   * @param data the message
   * @param blockSize 8 or 16 (4 is accepted for tests of the padding itself)
   * @return the padded message
   * @throws ValidationException for {@link #NONE} when data is not block aligned
   */
  public Bytes apply(Bytes data, int blockSize) {
    int n = data.length();
    switch (this) {
      case NONE:
        if (n % blockSize != 0) {
          throw new ValidationException("data", "must be a multiple of " + blockSize + " bytes without padding, was " + n);
        }
        return data;
      case METHOD_1: {
        int len = n == 0 ? blockSize : (n + blockSize - 1) / blockSize * blockSize;
        return data.concat(OwnedBytes.wrap(new byte[len - n]));
      }
      case METHOD_2: {
        byte[] tail = new byte[blockSize - n % blockSize];
        tail[0] = (byte) 0x80;
        return data.concat(OwnedBytes.wrap(tail));
      }
      case METHOD_3: {
        byte[] lenBlock = new byte[blockSize];
        long bits = (long) n * 8;
        for (int i = blockSize - 1; i >= 0 && bits != 0; i--) {
          lenBlock[i] = (byte) bits;
          bits >>>= 8;
        }
        int len = (n + blockSize - 1) / blockSize * blockSize;
        return Bytes.concat(OwnedBytes.wrap(lenBlock), data, OwnedBytes.wrap(new byte[len - n]));
      }
      default:
        throw new IllegalStateException();
    }
  }
}
