package dev.perso.gp.internal;

import dev.perso.core.internal.OwnedBytes;
import dev.perso.core.Bytes;
import dev.perso.core.SecureChannelException;
import dev.perso.core.ValidationException;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.crypto.CipherSpec;
import dev.perso.crypto.ClearKeyRef;
import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.Derivation;
import dev.perso.crypto.KeyAlgorithm;
import dev.perso.crypto.KeyRef;
import dev.perso.crypto.KeyUsage;
import dev.perso.crypto.MacAlgorithm;
import dev.perso.crypto.Padding;
import dev.perso.crypto.PinBlock;
import dev.perso.gp.GpOptions;
import dev.perso.gp.Scp02Variant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * SCP02 (GP 2.2.1 Appendix E) session: session keys from the backend, cryptograms, C-MAC with ICV
 * chaining (ICV encryption for i b5), C-DECRYPTION, R-MAC, sensitive-data encryption.
 */
public final class Scp02Session extends ScpSession {
  private static final CipherSpec CBC0 = CipherSpec.cbcZeroIv();

  private final CryptoBackend crypto;
  private final KeyRef sEnc;
  private final KeyRef cMac;
  private final KeyRef rMac;
  private final KeyRef sDek;
  private final List<AutoCloseable> owned = new ArrayList<>();
  private final Scp02Variant variant;
  private final GpOptions.EmptyDataEncryption emptyData;
  private KeyRef icvKey;
  private final byte[] icv = new byte[8];
  private boolean firstIcv = true;
  private final byte[] rmacIcv = new byte[8];

  private Scp02Session(CryptoBackend crypto, KeyRef sEnc, KeyRef cMac, KeyRef rMac, KeyRef sDek, Scp02Variant variant,
      GpOptions.EmptyDataEncryption emptyData, boolean ownKeys) {
    this.crypto = crypto;
    this.sEnc = sEnc;
    this.cMac = cMac;
    this.rMac = rMac;
    this.sDek = sDek;
    this.variant = variant;
    this.emptyData = emptyData;
    for (KeyRef k : new KeyRef[] {sEnc, cMac, rMac, sDek}) {
      if (ownKeys && k instanceof AutoCloseable) {
        owned.add((AutoCloseable) k);
      }
    }
  }

  /**
   * Derives the session keys through the backend.
   *
   * @param crypto the backend
   * @param enc static ENC
   * @param mac static MAC
   * @param dek static DEK (may be null: no session DEK)
   * @param sequenceCounter 2 bytes
   * @param variant the "i"
   * @param emptyData the empty-data C-DEC policy
   * @return the session, not yet authenticated
   */
  public static Scp02Session derive(CryptoBackend crypto, KeyRef enc, KeyRef mac, KeyRef dek, Bytes sequenceCounter,
      Scp02Variant variant, GpOptions.EmptyDataEncryption emptyData) {
    requireDes(enc);
    requireDes(mac);
    KeyRef e = crypto.derive(enc, Derivation.gpScp02(Derivation.Scp02Key.S_ENC, sequenceCounter));
    KeyRef c = crypto.derive(mac, Derivation.gpScp02(Derivation.Scp02Key.C_MAC, sequenceCounter));
    KeyRef r = crypto.derive(mac, Derivation.gpScp02(Derivation.Scp02Key.R_MAC, sequenceCounter));
    KeyRef d = dek == null ? null : crypto.derive(dek, Derivation.gpScp02(Derivation.Scp02Key.DEK, sequenceCounter));
    return new Scp02Session(crypto, e, c, r, d, variant, emptyData, true);
  }

  /**
   * Uses the given keys as session keys as they are (wrapper vectors that skip derivation).
   *
   * @param crypto the backend
   * @param sEnc session ENC
   * @param cMac session C-MAC
   * @param variant the "i"
   * @return the session, authenticated at {@code level} by the caller
   */
  public static Scp02Session ofSessionKeys(CryptoBackend crypto, KeyRef sEnc, KeyRef cMac, Scp02Variant variant) {
    return new Scp02Session(crypto, sEnc, cMac, cMac, sEnc, variant, GpOptions.EmptyDataEncryption.SKIP, false);
  }

  private static void requireDes(KeyRef k) {
    if (k.algorithm() != KeyAlgorithm.TDES_2KEY && k.algorithm() != KeyAlgorithm.TDES_3KEY) {
      throw new ValidationException("keys", "SCP02 needs double-length 3DES keys, was " + k.algorithm());
    }
  }

  @Override
  public int scp() {
    return 2;
  }

  @Override
  public int macLength() {
    return 8;
  }

  @Override
  int blockSize() {
    return 8;
  }

  /**
   * @param hostChallenge 8 bytes
   * @param sequenceCounter 2 bytes
   * @param cardChallenge 6 bytes
   * @return the card cryptogram (E.4.2.1)
   */
  public Bytes cardCryptogram(Bytes hostChallenge, Bytes sequenceCounter, Bytes cardChallenge) {
    return crypto.mac(sEnc, MacAlgorithm.ISO9797_1_ALG1, Padding.METHOD_2,
        Bytes.concat(hostChallenge, sequenceCounter, cardChallenge));
  }

  /**
   * @param hostChallenge 8 bytes
   * @param sequenceCounter 2 bytes
   * @param cardChallenge 6 bytes
   * @return the host cryptogram (E.4.2.2)
   */
  public Bytes hostCryptogram(Bytes hostChallenge, Bytes sequenceCounter, Bytes cardChallenge) {
    return crypto.mac(sEnc, MacAlgorithm.ISO9797_1_ALG1, Padding.METHOD_2,
        Bytes.concat(sequenceCounter, cardChallenge, hostChallenge));
  }

  /**
   * @param aid the selected AID
   * @return the pseudo-random card challenge for i b7 (E.4.2.3): 6 leftmost bytes of the retail MAC
   *     with the C-MAC session key over the AID
   */
  public Bytes pseudoRandomChallenge(Bytes aid) {
    return crypto.mac(cMac, MacAlgorithm.ISO9797_1_ALG3, Padding.METHOD_2, aid).slice(0, 6);
  }

  /**
   * Host: builds EXTERNAL AUTHENTICATE (always MACed, ICV zero).
   *
   * @param level the level to ask for
   * @param hostCryptogram 8 bytes
   * @return the command
   */
  public CommandApdu externalAuthenticate(dev.perso.gp.SecurityLevel level, Bytes hostCryptogram) {
    CommandApdu ea = CommandApdu.of(0x80, 0x82, level.p1(), 0x00, hostCryptogram);
    byte[] data = hostCryptogram.toByteArray();
    byte[] mac = cmac(0x84, ea, data, 0, data.length);
    System.arraycopy(mac, 0, rmacIcv, 0, 8);
    return new CommandApdu(0x84, 0x82, level.p1(), 0x00, OwnedBytes.wrap(concat(data, mac)), 0);
  }

  @Override
  public CommandApdu wrap(CommandApdu plain) {
    if (!level.cMac()) {
      if (level.rMac()) {
        checkLc(plain.data().length()); // the R-MAC input states Lc in one byte
      }
      return plain;
    }
    byte[] data = plain.data().toByteArray();
    int cla = plain.cla() | 0x04;
    boolean encrypt = level.cDecryption() && (data.length > 0 || emptyData == GpOptions.EmptyDataEncryption.PAD_AND_ENCRYPT);
    int encLen = encrypt ? (data.length / 8 + 1) * 8 : data.length;
    checkLc(encLen + 8);
    byte[] mac = cmac(cla, plain, data, 0, data.length);
    byte[] out = new byte[encLen + 8];
    if (encrypt) {
      byte[] enc = crypto.encrypt(sEnc, CBC0, OwnedBytes.wrap(padM2(data, 0, data.length, 8, 0))).toByteArray();
      System.arraycopy(enc, 0, out, 0, encLen);
    } else {
      System.arraycopy(data, 0, out, 0, data.length);
    }
    System.arraycopy(mac, 0, out, encLen, 8);
    return new CommandApdu(cla, plain.ins(), plain.p1(), plain.p2(), OwnedBytes.wrap(out), plain.ne());
  }

  /** C-MAC over the modified header (Lc + 8) and plaintext data; updates the ICV chain. */
  private byte[] cmac(int cla, CommandApdu header, byte[] data, int off, int len) {
    byte[] in = new byte[(5 + len) / 8 * 8 + 8];
    in[0] = (byte) cla;
    in[1] = (byte) header.ins();
    in[2] = (byte) header.p1();
    in[3] = (byte) header.p2();
    in[4] = (byte) (len + 8);
    System.arraycopy(data, off, in, 5, len);
    in[5 + len] = (byte) 0x80;
    byte[] chain = currentIcv();
    for (int i = 0; i < 8; i++) {
      in[i] ^= chain[i];
    }
    byte[] mac = crypto.mac(cMac, MacAlgorithm.ISO9797_1_ALG3, Padding.NONE, OwnedBytes.wrap(in)).toByteArray();
    System.arraycopy(mac, 0, icv, 0, 8);
    firstIcv = false;
    return mac;
  }

  private byte[] currentIcv() {
    if (firstIcv || !variant.icvEncryption()) {
      return icv;
    }
    return crypto.encrypt(icvKey(), CipherSpec.ecb(), OwnedBytes.wrap(icv.clone())).toByteArray();
  }

  /** Single DES with the left half of the C-MAC session key (E.3.4). */
  private KeyRef icvKey() {
    if (icvKey == null) {
      if (!(cMac instanceof ClearKeyRef)) {
        throw new SecureChannelException("SCP02 i=" + String.format("%02X", variant.i())
            + " needs single-DES ICV encryption with half of the C-MAC session key, which backend '" + crypto.id()
            + "' returned as a non-clear key; use i=05/45 or a backend that returns session keys in clear");
      }
      // K1 of the C-MAC session key as a single-DES key whose only job is to encrypt the ICV (usage DATA:
      // a MAC key never encrypts data)
      icvKey = ((ClearKeyRef) cMac).apply(b -> ClearKeyRef.ofOwned(KeyAlgorithm.DES, KeyUsage.DATA, Arrays.copyOf(b, 8)));
      owned.add((AutoCloseable) icvKey);
    }
    return icvKey;
  }

  @Override
  public ResponseApdu unwrap(CommandApdu plain, ResponseApdu response) {
    if (!level.rMac()) {
      return response;
    }
    byte[] d = response.data().toByteArray();
    if (d.length < 8) {
      throw new SecureChannelException("R-MAC missing: response to " + describe(plain) + " has " + d.length
          + " data bytes and SW " + response.sw().toHex());
    }
    byte[] expected = rmac(plain, d, d.length - 8, response.sw().value());
    if (!equalsCt(expected, 0, d, d.length - 8, 8)) {
      throw new SecureChannelException("R-MAC mismatch on the response to " + describe(plain)
          + "; the response may have been altered");
    }
    return new ResponseApdu(Bytes.of(d, 0, d.length - 8), response.sw());
  }

  private byte[] rmac(CommandApdu plain, byte[] resp, int respLen, int sw) {
    byte[] cmd = plain.data().toByteArray();
    int n = 5 + cmd.length + 1 + respLen + 2;
    byte[] in = new byte[n / 8 * 8 + 8];
    in[0] = (byte) (plain.cla() & ~0x07);
    in[1] = (byte) plain.ins();
    in[2] = (byte) plain.p1();
    in[3] = (byte) plain.p2();
    in[4] = (byte) cmd.length;
    System.arraycopy(cmd, 0, in, 5, cmd.length);
    in[5 + cmd.length] = (byte) respLen;
    System.arraycopy(resp, 0, in, 6 + cmd.length, respLen);
    in[6 + cmd.length + respLen] = (byte) (sw >> 8);
    in[7 + cmd.length + respLen] = (byte) sw;
    in[n] = (byte) 0x80;
    for (int i = 0; i < 8; i++) {
      in[i] ^= rmacIcv[i];
    }
    byte[] mac = crypto.mac(rMac, MacAlgorithm.ISO9797_1_ALG3, Padding.NONE, OwnedBytes.wrap(in)).toByteArray();
    System.arraycopy(mac, 0, rmacIcv, 0, 8);
    return mac;
  }

  @Override
  public CommandApdu unwrapCommand(CommandApdu wrapped) {
    if (!level.cMac()) {
      return wrapped;
    }
    if ((wrapped.cla() & 0x04) == 0) {
      throw new SecureChannelException("command without secure messaging at level " + level);
    }
    byte[] d = wrapped.data().toByteArray();
    if (d.length < 8) {
      throw new SecureChannelException("C-MAC missing");
    }
    int bodyLen = d.length - 8;
    byte[] plain;
    if (level.cDecryption() && (bodyLen > 0 || emptyData == GpOptions.EmptyDataEncryption.PAD_AND_ENCRYPT)) {
      if (bodyLen == 0 || bodyLen % 8 != 0) {
        throw new SecureChannelException("encrypted command data must be a non-empty multiple of 8 bytes, was " + bodyLen);
      }
      byte[] clear = crypto.decrypt(sEnc, CBC0, Bytes.of(d, 0, bodyLen)).toByteArray();
      plain = Arrays.copyOf(clear, unpadM2(clear));
    } else {
      plain = Arrays.copyOf(d, bodyLen);
    }
    byte[] mac = cmac(wrapped.cla(), wrapped, plain, 0, plain.length);
    if (!equalsCt(mac, 0, d, bodyLen, 8)) {
      throw new SecureChannelException("C-MAC mismatch");
    }
    return new CommandApdu(wrapped.cla() & ~0x04, wrapped.ins(), wrapped.p1(), wrapped.p2(), OwnedBytes.wrap(plain),
        wrapped.ne());
  }

  /**
   * Card: checks EXTERNAL AUTHENTICATE's C-MAC (ICV zero) and starts the ICV chains.
   *
   * @param ea the command as received
   * @return true if the MAC is right
   */
  public boolean checkExternalAuthenticateMac(CommandApdu ea) {
    byte[] d = ea.data().toByteArray();
    if (d.length != 16) {
      return false;
    }
    byte[] mac = cmac(ea.cla(), ea, d, 0, 8);
    System.arraycopy(mac, 0, rmacIcv, 0, 8);
    return equalsCt(mac, 0, d, 8, 8);
  }

  @Override
  public ResponseApdu wrapResponse(CommandApdu plain, ResponseApdu response) {
    if (!level.rMac()) {
      return response;
    }
    byte[] d = response.data().toByteArray();
    byte[] mac = rmac(plain, d, d.length, response.sw().value());
    return new ResponseApdu(OwnedBytes.wrap(concat(d, mac)), response.sw());
  }

  @Override
  public Bytes encryptSensitive(Bytes data) {
    return crypto.encrypt(requireDek(), CipherSpec.ecb(), aligned(data));
  }

  @Override
  public Bytes encryptSensitiveKey(KeyRef key) {
    return crypto.exportUnderKek(key, requireDek(), CipherSpec.ecb());
  }

  @Override
  public Bytes reencryptSensitive(KeyRef kek, CipherSpec spec, Bytes cryptogram) {
    return crypto.translate(kek, spec, requireDek(), CipherSpec.ecb(), cryptogram);
  }

  @Override
  public Bytes translatePinBlock(KeyRef kek, PinBlock.Format format, Bytes cryptogram, Padding padding) {
    return crypto.translatePinBlock(pinBlockToCard(kek, format).to(requireDek(), PinBlock.Format.ISO_2)
        .toSpec(CipherSpec.ecb()).padding(padding).build(), cryptogram);
  }

  @Override
  public Bytes decryptSensitive(Bytes data) {
    return crypto.decrypt(requireDek(), CipherSpec.ecb(), aligned(data));
  }

  private KeyRef requireDek() {
    if (sDek == null) {
      throw new ValidationException("dek", "no DEK was configured for this session");
    }
    return sDek;
  }

  private static Bytes aligned(Bytes data) {
    if (data == null || data.isEmpty() || data.length() % 8 != 0) {
      throw new ValidationException("data", "sensitive data must be a non-empty multiple of 8 bytes (pad it as the "
          + "profile says), was " + (data == null ? 0 : data.length()));
    }
    return data;
  }

  static String describe(CommandApdu c) {
    return String.format("%02X %02X %02X %02X", c.cla(), c.ins(), c.p1(), c.p2());
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** @return the session keys for tools and tests: S-ENC, C-MAC, R-MAC, DEK (may be non-clear) */
  public List<KeyRef> sessionKeys() {
    return Arrays.asList(sEnc, cMac, rMac, sDek);
  }

  @Override
  public void close() {
    Arrays.fill(icv, (byte) 0);
    Arrays.fill(rmacIcv, (byte) 0);
    for (AutoCloseable c : owned) {
      try {
        c.close();
      } catch (Exception ignored) {
        // ClearKeyRef.close does not throw
      }
    }
  }
}
