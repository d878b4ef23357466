package dev.perso.gp;

import dev.perso.core.Bytes;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.channel.CardChannel;
import dev.perso.crypto.CipherSpec;
import dev.perso.crypto.Padding;
import dev.perso.crypto.PinBlock;
import dev.perso.crypto.KeyRef;

/**
 * An open GlobalPlatform secure channel: {@link #transmit} wraps each command at the session's
 * security level and checks (and decrypts) each response. Returned by {@link Scp02#open} and
 * {@link Scp03#open}. {@link #close()} wipes the session keys, then closes the underlying channel.
 * Not thread-safe: a channel carries one command at a time.
 *
 * <pre>{@code
 * try (GpSecureChannel secure = Scp02.open(reader, keys, options)) {
 *   int room = secure.maxCommandData();                       // 239 at C-MAC + C-DEC
 *   Bytes dgi8000 = secure.encryptSensitiveData(clearKeys);   // SCP02: session DEK, 3DES-ECB
 *   secure.transmit(CommandApdu.of(0x80, 0xE2, 0x60, 0x00, storeData)).requireSuccess("STORE DATA");
 * }
 * }</pre>
 */
public interface GpSecureChannel extends CardChannel {
  /** @return 2 or 3 */
  int scp();

  /** @return the "i" parameter in force (SCP02: configured; SCP03: stated by the card) */
  int i();

  /** @return the protocol and its "i" as one typed value */
  default ScpVersion version() {
    return ScpVersion.of(scp(), i());
  }

  /** @return the security level in force */
  SecurityLevel level();

  /** @return the card's INITIALIZE UPDATE response (KDD, key version, counters) */
  InitializeUpdateResponse initializeUpdateResponse();

  /** @return the outcome of the pseudo-random challenge check */
  ChallengeStatus challengeStatus();

  /** @return the most plaintext data bytes one short command can carry at this level, for splitting data */
  int maxCommandData();

  /**
   * Encrypts sensitive data (keys, PIN blocks) for STORE DATA or PUT KEY: SCP02 with the session DEK
   * in 3DES-ECB (GP 2.2.1 E.4.7), SCP03 with the static DEK in AES-CBC, IV zero. Padding is the
   * caller's: the data must be a whole number of cipher blocks.
   *
   * @param data clear data, a multiple of 8 (SCP02) or 16 (SCP03) bytes
   * @return the cryptogram
   */
  Bytes encryptSensitiveData(Bytes data);

  /**
   * Encrypts a key for PUT KEY or key-loading STORE DATA with the same key and mode as
   * {@link #encryptSensitiveData}, inside the backend ({@link dev.perso.crypto.CryptoBackend#exportUnderKek(KeyRef,
   * KeyRef, CipherSpec)}), so the new key is never in clear in this process when the backend is an HSM.
   *
   * <pre>{@code
   * Bytes wrapped = secure.encryptSensitiveKey(newEncKey);   // SCP02: session DEK ECB; SCP03: static DEK CBC
   * }</pre>
   *
   * @param key the key, a whole number of cipher blocks (3DES 16/24 bytes; AES 16/32 bytes)
   * @return the cryptogram
   */
  Bytes encryptSensitiveKey(KeyRef key);

  /**
   * Re-encrypts sensitive data that arrives encrypted under a transport key (data preparation's KEK)
   * for this card, in one backend operation ({@link dev.perso.crypto.CryptoBackend#translate}), so the
   * clear value never reaches this process when the backend is an HSM.
   *
   * <pre>{@code
   * Bytes forCard = secure.reencryptSensitiveData(transportKek, CipherSpec.ecb(), dgi8000FromDataPrep);
   * }</pre>
   *
   * @param kek the key the data is encrypted under
   * @param spec its mode and IV
   * @param cryptogram the data under {@code kek}, a whole number of blocks
   * @return the same clear data encrypted as {@link #encryptSensitiveData} would
   */
  Bytes reencryptSensitiveData(KeyRef kek, CipherSpec spec, Bytes cryptogram);

  /**
   * Re-encrypts a PIN block that arrives under a transport key in a transport format (data preparation
   * sends ISO 9564-1 format 1, random fill) as the ISO format 2 block the card wants, under this
   * channel's DEK, in one backend operation ({@link dev.perso.crypto.CryptoBackend#translatePinBlock}):
   * the clear PIN never reaches this process when the backend is an HSM.
   *
   * <pre>{@code
   * Bytes dgi8010 = secure.translatePinBlock(transportKek, PinBlock.Format.ISO_1, pinBlockUnderKek, Padding.NONE);
   * }</pre>
   *
   * @param kek the key the block is encrypted under (ECB)
   * @param format the block's format; one that needs the PAN (format 0) is refused
   * @param cryptogram the block under {@code kek}
   * @param padding padding of the 8-byte format 2 block to this channel's block size before encryption
   * @return the format 2 block encrypted as {@link #encryptSensitiveData} would
   */
  Bytes translatePinBlock(KeyRef kek, PinBlock.Format format, Bytes cryptogram, Padding padding);

  /**
   * Wraps one command without sending it (offline tools). Advances the MAC chain and counter exactly
   * as {@link #transmit} does.
   *
   * @param command the plain command
   * @return the command as it goes to the card
   */
  CommandApdu wrap(CommandApdu command);

  /**
   * Checks and unwraps the response to the last wrapped command.
   *
   * @param command the plain command the response answers
   * @param response the response as it came from the card
   * @return the plain response
   */
  ResponseApdu unwrap(CommandApdu command, ResponseApdu response);

  /** Wipes the session keys and closes the underlying channel. Idempotent. */
  @Override
  void close();
}
