package dev.perso.gp.internal;

import dev.perso.core.Bytes;
import dev.perso.core.SecureChannelException;
import dev.perso.core.ValidationException;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.crypto.CipherSpec;
import dev.perso.crypto.KeyRef;
import dev.perso.crypto.Padding;
import dev.perso.crypto.PinBlock;
import dev.perso.crypto.PinBlockTranslation;
import dev.perso.gp.SecurityLevel;
import java.security.MessageDigest;

/**
 * The state of one authenticated session, shared by the host wrapper and the card side: session keys,
 * MAC chaining, counters. Not thread-safe (a channel carries one command at a time).
 */
public abstract class ScpSession implements AutoCloseable {
  /** Short APDU data field limit. */
  static final int MAX_LC = 255;

  SecurityLevel level = SecurityLevel.NONE;
  boolean authenticated;

  /** @return 2 or 3 */
  public abstract int scp();

  /** @return the MAC length on the wire */
  public abstract int macLength();

  /** @return the cipher block size */
  abstract int blockSize();

  /**
   * Sets the level once EXTERNAL AUTHENTICATE is accepted.
   *
   * @param level the security level
   */
  public void authenticated(SecurityLevel level) {
    this.level = level;
    this.authenticated = true;
  }

  /** @return the level in force */
  public SecurityLevel level() {
    return level;
  }

  /** @return true once EXTERNAL AUTHENTICATE went through */
  public boolean isAuthenticated() {
    return authenticated;
  }

  /**
   * @param level a security level
   * @return the most plaintext command data bytes one short command carries at that level
   */
  public int capacity(SecurityLevel level) {
    int n = MAX_LC;
    if (level.cMac()) {
      n -= macLength();
    }
    if (level.cDecryption()) {
      int bs = blockSize();
      n = n / bs * bs - 1; // padding always adds at least one byte
    }
    return n;
  }

  /**
   * Host: wraps a command at the session's level (EXTERNAL AUTHENTICATE is built by the caller).
   *
   * @param plain the command
   * @return the command to send
   */
  public abstract CommandApdu wrap(CommandApdu plain);

  /**
   * Host: checks and strips the R-MAC, decrypts R-ENC.
   *
   * @param plain the command as the caller gave it
   * @param response the card's response
   * @return the plain response
   */
  public abstract ResponseApdu unwrap(CommandApdu plain, ResponseApdu response);

  /**
   * Card: checks the C-MAC and decrypts.
   *
   * @param wrapped the command as received
   * @return the plain command
   * @throws SecureChannelException on a MAC failure or bad padding
   */
  public abstract CommandApdu unwrapCommand(CommandApdu wrapped);

  /**
   * Card: adds the R-MAC and encrypts for R-ENC.
   *
   * @param plain the plain command the response answers
   * @param response the application's response
   * @return the response to send
   */
  public abstract ResponseApdu wrapResponse(CommandApdu plain, ResponseApdu response);

  /**
   * Encrypts sensitive data for STORE DATA / PUT KEY (SCP02: session DEK 3DES-ECB; SCP03: static DEK
   * AES-CBC IV 0).
   *
   * @param data a whole number of blocks
   * @return the cryptogram
   */
  public abstract Bytes encryptSensitive(Bytes data);

  /**
   * Translates data from a transport key to this session's sensitive-data key in one backend call.
   *
   * @param kek the transport key
   * @param spec its mode and IV
   * @param cryptogram the data under {@code kek}
   * @return the data as {@link #encryptSensitive} would encrypt it
   */
  public abstract Bytes reencryptSensitive(KeyRef kek, CipherSpec spec, Bytes cryptogram);

  /**
   * Host: a PIN block under a transport key, as the card's ISO format 2 block under the DEK, in one
   * backend operation.
   *
   * @param kek the key the block is encrypted under (ECB)
   * @param format the block's format (not format 0: the channel has no PAN)
   * @param cryptogram the block under {@code kek}
   * @param padding padding of the format 2 block to the DEK's block size
   * @return the block as {@link #encryptSensitive} would encrypt it
   */
  public abstract Bytes translatePinBlock(KeyRef kek, PinBlock.Format format, Bytes cryptogram, Padding padding);

  /** A PIN block translation to the card's ISO format 2 block, from a format that does not need the PAN. */
  static PinBlockTranslation.Builder pinBlockToCard(KeyRef kek, PinBlock.Format format) {
    if (format.usesPan()) {
      throw new ValidationException("pin block format", format + " needs the PAN, which a secure channel does not have;"
          + " data preparation must send ISO_1");
    }
    return PinBlockTranslation.from(kek, format);
  }

  /**
   * Card: the inverse of {@link #encryptSensitive}.
   *
   * @param data the cryptogram
   * @return the clear data
   */
  public abstract Bytes decryptSensitive(Bytes data);

  @Override
  public abstract void close();

  static byte[] padM2(byte[] src, int off, int len, int bs, int extraFront) {
    int padded = (len / bs + 1) * bs;
    byte[] out = new byte[extraFront + padded];
    System.arraycopy(src, off, out, extraFront, len);
    out[extraFront + len] = (byte) 0x80;
    return out;
  }

  static int unpadM2(byte[] data) {
    int i = data.length - 1;
    while (i >= 0 && data[i] == 0) {
      i--;
    }
    if (i < 0 || data[i] != (byte) 0x80 || data.length - i > 16) {
      throw new SecureChannelException("bad ISO 9797-1 method 2 padding in decrypted data");
    }
    return i;
  }

  static boolean equalsCt(byte[] a, int aOff, byte[] b, int bOff, int len) {
    if (aOff + len > a.length || bOff + len > b.length) {
      return false;
    }
    byte[] x = new byte[len];
    byte[] y = new byte[len];
    System.arraycopy(a, aOff, x, 0, len);
    System.arraycopy(b, bOff, y, 0, len);
    return MessageDigest.isEqual(x, y);
  }

  static void checkLc(int lc) {
    if (lc > MAX_LC) {
      throw new ValidationException("data", "wrapped command data would be " + lc
          + " bytes; secure channel commands are short APDUs (at most 255): split the data");
    }
  }
}
