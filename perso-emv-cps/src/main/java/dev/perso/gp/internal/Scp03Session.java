package dev.perso.gp.internal;

import dev.perso.core.internal.OwnedBytes;
import dev.perso.core.Bytes;
import dev.perso.core.SecureChannelException;
import dev.perso.core.ValidationException;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.crypto.CipherSpec;
import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.Derivation;
import dev.perso.crypto.KeyRef;
import dev.perso.crypto.MacAlgorithm;
import dev.perso.crypto.Padding;
import dev.perso.crypto.PinBlock;
import dev.perso.gp.GpOptions;
import dev.perso.gp.SecurityLevel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * SCP03 (GP Amendment D) session: KDF session keys from the backend, cryptograms, C-MAC chaining,
 * C-DECRYPTION with the counter IV, R-MAC and R-ENCRYPTION, S8 and S16.
 */
public final class Scp03Session extends ScpSession {
  private final CryptoBackend crypto;
  private final KeyRef sEnc;
  private final KeyRef sMac;
  private final KeyRef sRmac;
  private final KeyRef dek;
  private final int macLen;
  private final GpOptions.CounterIncrement counterPolicy;
  private final GpOptions.EmptyDataEncryption emptyData;
  private final List<AutoCloseable> owned = new ArrayList<>();
  private final byte[] chain = new byte[16];
  private long counter;

  private Scp03Session(CryptoBackend crypto, KeyRef sEnc, KeyRef sMac, KeyRef sRmac, KeyRef dek, int macLen,
      GpOptions.CounterIncrement counterPolicy, GpOptions.EmptyDataEncryption emptyData, boolean ownKeys) {
    this.crypto = crypto;
    this.sEnc = sEnc;
    this.sMac = sMac;
    this.sRmac = sRmac;
    this.dek = dek;
    this.macLen = macLen;
    this.counterPolicy = counterPolicy;
    this.emptyData = emptyData;
    if (ownKeys) {
      for (KeyRef k : new KeyRef[] {sEnc, sMac, sRmac}) {
        if (k instanceof AutoCloseable) {
          owned.add((AutoCloseable) k);
        }
      }
    }
  }

  /**
   * Derives the session keys through the backend.
   *
   * @param crypto the backend
   * @param enc static ENC
   * @param mac static MAC
   * @param dek static DEK (may be null)
   * @param hostChallenge 8 or 16 bytes
   * @param cardChallenge 8 or 16 bytes
   * @param s16 true for S16
   * @param counterPolicy the counter rule
   * @param emptyData the empty-data rule
   * @return the session, not yet authenticated
   */
  public static Scp03Session derive(CryptoBackend crypto, KeyRef enc, KeyRef mac, KeyRef dek, Bytes hostChallenge,
      Bytes cardChallenge, boolean s16, GpOptions.CounterIncrement counterPolicy, GpOptions.EmptyDataEncryption emptyData) {
    requireAes(enc);
    requireAes(mac);
    Bytes context = hostChallenge.concat(cardChallenge);
    KeyRef e = crypto.derive(enc, Derivation.gpScp03(Derivation.Scp03Key.S_ENC, context));
    KeyRef m = crypto.derive(mac, Derivation.gpScp03(Derivation.Scp03Key.S_MAC, context));
    KeyRef r = crypto.derive(mac, Derivation.gpScp03(Derivation.Scp03Key.S_RMAC, context));
    return new Scp03Session(crypto, e, m, r, dek, s16 ? 16 : 8, counterPolicy, emptyData, true);
  }

  /**
   * Uses the given keys as session keys as they are (wrapper vectors that skip derivation).
   *
   * @param crypto the backend
   * @param sEnc session ENC
   * @param sMac session MAC
   * @param sRmac session R-MAC
   * @param s16 true for S16
   * @return the session
   */
  public static Scp03Session ofSessionKeys(CryptoBackend crypto, KeyRef sEnc, KeyRef sMac, KeyRef sRmac, boolean s16) {
    return new Scp03Session(crypto, sEnc, sMac, sRmac, null, s16 ? 16 : 8, GpOptions.CounterIncrement.EVERY_COMMAND,
        GpOptions.EmptyDataEncryption.SKIP, false);
  }

  private static void requireAes(KeyRef k) {
    if (!k.algorithm().isAes()) {
      throw new ValidationException("keys", "SCP03 needs AES keys, was " + k.algorithm());
    }
  }

  /**
   * One block of the SP 800-108 KDF (Amd D §4.1.5) computed as an AES-CMAC through the backend.
   *
   * @param crypto the backend
   * @param key the key
   * @param constant derivation constant
   * @param context the context
   * @param bits output length, 64 or 128
   * @return {@code bits / 8} bytes
   */
  public static Bytes kdfBlock(CryptoBackend crypto, KeyRef key, int constant, Bytes context, int bits) {
    byte[] in = new byte[16 + context.length()];
    in[11] = (byte) constant;
    in[13] = (byte) (bits >> 8);
    in[14] = (byte) bits;
    in[15] = 0x01;
    context.copyTo(in, 16);
    return crypto.mac(key, MacAlgorithm.CMAC, Padding.NONE, OwnedBytes.wrap(in)).slice(0, bits / 8);
  }

  /**
   * @param crypto the backend
   * @param staticEnc the static ENC key
   * @param sequenceCounter 3 bytes
   * @param aid the invoking AID
   * @param s16 16-byte challenge
   * @return the pseudo-random card challenge (Amd D §6.2.2.1)
   */
  public static Bytes pseudoRandomChallenge(CryptoBackend crypto, KeyRef staticEnc, Bytes sequenceCounter, Bytes aid,
      boolean s16) {
    return kdfBlock(crypto, staticEnc, 0x02, sequenceCounter.concat(aid), s16 ? 128 : 64);
  }

  @Override
  public int scp() {
    return 3;
  }

  @Override
  public int macLength() {
    return macLen;
  }

  @Override
  int blockSize() {
    return 16;
  }

  /**
   * @param hostChallenge host challenge
   * @param cardChallenge card challenge
   * @return the card cryptogram (constant 00)
   */
  public Bytes cardCryptogram(Bytes hostChallenge, Bytes cardChallenge) {
    return kdfBlock(crypto, sMac, 0x00, hostChallenge.concat(cardChallenge), macLen * 8);
  }

  /**
   * @param hostChallenge host challenge
   * @param cardChallenge card challenge
   * @return the host cryptogram (constant 01)
   */
  public Bytes hostCryptogram(Bytes hostChallenge, Bytes cardChallenge) {
    return kdfBlock(crypto, sMac, 0x01, hostChallenge.concat(cardChallenge), macLen * 8);
  }

  /**
   * Host: builds EXTERNAL AUTHENTICATE (always MACed, chaining value zero).
   *
   * @param level the level to ask for
   * @param hostCryptogram the host cryptogram
   * @return the command
   */
  public CommandApdu externalAuthenticate(SecurityLevel level, Bytes hostCryptogram) {
    byte[] data = hostCryptogram.toByteArray();
    Arrays.fill(chain, (byte) 0);
    byte[] mac = cmac(0x84, 0x82, level.p1(), 0x00, data, data.length);
    return new CommandApdu(0x84, 0x82, level.p1(), 0x00, OwnedBytes.wrap(Scp02Session.concat(data,
        Arrays.copyOf(mac, macLen))), 0);
  }

  /**
   * Card: checks EXTERNAL AUTHENTICATE's C-MAC (chaining value zero) and starts the chain.
   *
   * @param ea the command as received
   * @return true if the MAC is right
   */
  public boolean checkExternalAuthenticateMac(CommandApdu ea) {
    byte[] d = ea.data().toByteArray();
    if (d.length != 2 * macLen) {
      return false;
    }
    Arrays.fill(chain, (byte) 0);
    byte[] mac = cmac(ea.cla(), ea.ins(), ea.p1(), ea.p2(), Arrays.copyOf(d, macLen), macLen);
    return equalsCt(mac, 0, d, macLen, macLen);
  }

  /** CMAC over chain || header || Lc || body, where Lc = body + MAC length; updates the chain. */
  private byte[] cmac(int cla, int ins, int p1, int p2, byte[] body, int bodyLen) {
    byte[] in = new byte[16 + 5 + bodyLen];
    System.arraycopy(chain, 0, in, 0, 16);
    in[16] = (byte) cla;
    in[17] = (byte) ins;
    in[18] = (byte) p1;
    in[19] = (byte) p2;
    in[20] = (byte) (bodyLen + macLen);
    System.arraycopy(body, 0, in, 21, bodyLen);
    byte[] mac = crypto.mac(sMac, MacAlgorithm.CMAC, Padding.NONE, OwnedBytes.wrap(in)).toByteArray();
    System.arraycopy(mac, 0, chain, 0, 16);
    return mac;
  }

  private byte[] counterIv(boolean response) {
    byte[] block = new byte[16];
    long c = counter;
    for (int i = 15; i >= 8; i--) {
      block[i] = (byte) c;
      c >>>= 8;
    }
    if (response) {
      block[0] = (byte) 0x80;
    }
    return crypto.encrypt(sEnc, CipherSpec.ecb(), OwnedBytes.wrap(block)).toByteArray();
  }

  private void step(boolean hasData) {
    if (hasData || counterPolicy == GpOptions.CounterIncrement.EVERY_COMMAND) {
      counter++;
    }
  }

  @Override
  public CommandApdu wrap(CommandApdu plain) {
    byte[] data = plain.data().toByteArray();
    boolean encrypt = level.cMac() && level.cDecryption()
        && (data.length > 0 || emptyData == GpOptions.EmptyDataEncryption.PAD_AND_ENCRYPT);
    if (level.cMac()) {
      checkLc((encrypt ? (data.length / 16 + 1) * 16 : data.length) + macLen);
    }
    step(data.length > 0);
    if (!level.cMac()) {
      return plain;
    }
    byte[] body = data;
    if (encrypt) {
      body = crypto.encrypt(sEnc, CipherSpec.cbc(OwnedBytes.wrap(counterIv(false))),
          OwnedBytes.wrap(padM2(data, 0, data.length, 16, 0))).toByteArray();
    }
    int cla = plain.cla() | 0x04;
    byte[] mac = cmac(cla, plain.ins(), plain.p1(), plain.p2(), body, body.length);
    byte[] out = Arrays.copyOf(body, body.length + macLen);
    System.arraycopy(mac, 0, out, body.length, macLen);
    return new CommandApdu(cla, plain.ins(), plain.p1(), plain.p2(), OwnedBytes.wrap(out), plain.ne());
  }

  private static boolean protectedSw(int sw) {
    return sw == 0x9000 || (sw >> 8) == 0x62 || (sw >> 8) == 0x63;
  }

  @Override
  public ResponseApdu unwrap(CommandApdu plain, ResponseApdu response) {
    if (!level.rMac() || !protectedSw(response.sw().value())) {
      return response;
    }
    byte[] d = response.data().toByteArray();
    if (d.length < macLen) {
      throw new SecureChannelException("R-MAC missing: response to " + Scp02Session.describe(plain) + " has "
          + d.length + " data bytes and SW " + response.sw().toHex());
    }
    int bodyLen = d.length - macLen;
    byte[] mac = rmac(d, bodyLen, response.sw().value());
    if (!equalsCt(mac, 0, d, bodyLen, macLen)) {
      throw new SecureChannelException("R-MAC mismatch on the response to " + Scp02Session.describe(plain)
          + "; the response may have been altered");
    }
    if (!level.rEncryption() || bodyLen == 0) {
      return new ResponseApdu(Bytes.of(d, 0, bodyLen), response.sw());
    }
    if (bodyLen % 16 != 0) {
      throw new SecureChannelException("R-ENC response data must be a multiple of 16 bytes, was " + bodyLen);
    }
    byte[] clear = crypto.decrypt(sEnc, CipherSpec.cbc(OwnedBytes.wrap(counterIv(true))), Bytes.of(d, 0, bodyLen))
        .toByteArray();
    return new ResponseApdu(Bytes.of(clear, 0, unpadM2(clear)), response.sw());
  }

  private byte[] rmac(byte[] body, int bodyLen, int sw) {
    byte[] in = new byte[16 + bodyLen + 2];
    System.arraycopy(chain, 0, in, 0, 16);
    System.arraycopy(body, 0, in, 16, bodyLen);
    in[16 + bodyLen] = (byte) (sw >> 8);
    in[17 + bodyLen] = (byte) sw;
    return crypto.mac(sRmac, MacAlgorithm.CMAC, Padding.NONE, OwnedBytes.wrap(in)).toByteArray();
  }

  @Override
  public CommandApdu unwrapCommand(CommandApdu wrapped) {
    if (!level.cMac()) {
      step(!wrapped.data().isEmpty());
      return wrapped;
    }
    if ((wrapped.cla() & 0x04) == 0) {
      throw new SecureChannelException("command without secure messaging at level " + level);
    }
    byte[] d = wrapped.data().toByteArray();
    if (d.length < macLen) {
      throw new SecureChannelException("C-MAC missing");
    }
    int bodyLen = d.length - macLen;
    boolean encrypted = level.cDecryption() && (bodyLen > 0 || emptyData == GpOptions.EmptyDataEncryption.PAD_AND_ENCRYPT);
    step(bodyLen > 0);
    byte[] mac = cmac(wrapped.cla(), wrapped.ins(), wrapped.p1(), wrapped.p2(), d, bodyLen);
    if (!equalsCt(mac, 0, d, bodyLen, macLen)) {
      throw new SecureChannelException("C-MAC mismatch");
    }
    byte[] plain = Arrays.copyOf(d, bodyLen);
    if (encrypted) {
      if (bodyLen == 0 || bodyLen % 16 != 0) {
        throw new SecureChannelException("encrypted command data must be a non-empty multiple of 16 bytes, was " + bodyLen);
      }
      byte[] clear = crypto.decrypt(sEnc, CipherSpec.cbc(OwnedBytes.wrap(counterIv(false))), OwnedBytes.wrap(plain))
          .toByteArray();
      plain = Arrays.copyOf(clear, unpadM2(clear));
    }
    return new CommandApdu(wrapped.cla() & ~0x04, wrapped.ins(), wrapped.p1(), wrapped.p2(), OwnedBytes.wrap(plain),
        wrapped.ne());
  }

  @Override
  public ResponseApdu wrapResponse(CommandApdu plain, ResponseApdu response) {
    if (!level.rMac() || !protectedSw(response.sw().value())) {
      return response;
    }
    byte[] body = response.data().toByteArray();
    if (level.rEncryption() && body.length > 0) {
      body = crypto.encrypt(sEnc, CipherSpec.cbc(OwnedBytes.wrap(counterIv(true))),
          OwnedBytes.wrap(padM2(body, 0, body.length, 16, 0))).toByteArray();
    }
    byte[] mac = rmac(body, body.length, response.sw().value());
    byte[] out = Arrays.copyOf(body, body.length + macLen);
    System.arraycopy(mac, 0, out, body.length, macLen);
    return new ResponseApdu(OwnedBytes.wrap(out), response.sw());
  }

  @Override
  public Bytes encryptSensitive(Bytes data) {
    return crypto.encrypt(requireDek(), CipherSpec.cbcZeroIv(), aligned(data));
  }

  @Override
  public Bytes encryptSensitiveKey(KeyRef key) {
    return crypto.exportUnderKek(key, requireDek(), CipherSpec.cbcZeroIv());
  }

  @Override
  public Bytes reencryptSensitive(KeyRef kek, CipherSpec spec, Bytes cryptogram) {
    return crypto.translate(kek, spec, requireDek(), CipherSpec.cbcZeroIv(), cryptogram);
  }

  @Override
  public Bytes translatePinBlock(KeyRef kek, PinBlock.Format format, Bytes cryptogram, Padding padding) {
    return crypto.translatePinBlock(pinBlockToCard(kek, format).to(requireDek(), PinBlock.Format.ISO_2)
        .toSpec(CipherSpec.cbcZeroIv()).padding(padding).build(), cryptogram);
  }

  @Override
  public Bytes decryptSensitive(Bytes data) {
    return crypto.decrypt(requireDek(), CipherSpec.cbcZeroIv(), aligned(data));
  }

  private KeyRef requireDek() {
    if (dek == null) {
      throw new ValidationException("dek", "no DEK was configured for this session");
    }
    return dek;
  }

  private static Bytes aligned(Bytes data) {
    if (data == null || data.isEmpty() || data.length() % 16 != 0) {
      throw new ValidationException("data", "sensitive data must be a non-empty multiple of 16 bytes (pad it as the "
          + "profile says), was " + (data == null ? 0 : data.length()));
    }
    return data;
  }

  /** @return the session keys for tools and tests: S-ENC, S-MAC, S-RMAC */
  public List<KeyRef> sessionKeys() {
    return Arrays.asList(sEnc, sMac, sRmac);
  }

  @Override
  public void close() {
    Arrays.fill(chain, (byte) 0);
    for (AutoCloseable c : owned) {
      try {
        c.close();
      } catch (Exception ignored) {
        // ClearKeyRef.close does not throw
      }
    }
  }
}
