package dev.perso.crypto;

/**
 * The whole operations a {@link CryptoBackend} may support; see {@link CryptoBackend#capabilities()}.
 *
 * <pre>{@code
 * if (backend.capabilities().contains(Operation.DERIVE_EMV_OPTION_B)) { ... }
 * }</pre>
 */
public enum Operation {
  /** ECB/CBC encryption. */
  ENCRYPT,
  /** ECB/CBC decryption. */
  DECRYPT,
  /** Decrypt under one key and re-encrypt under another in one call. */
  TRANSLATE,
  /** Translate an encrypted PIN block to another key and ISO 9564-1 format in one call. */
  TRANSLATE_PIN_BLOCK,
  /** ISO 9797-1 MAC algorithm 1. */
  MAC_ISO9797_1_ALG1,
  /** ISO 9797-1 MAC algorithm 3 (retail MAC). */
  MAC_ISO9797_1_ALG3,
  /** AES-CMAC and TDES-CMAC. */
  MAC_CMAC,
  /** Key check values, all {@link KcvMethod}s. */
  KCV,
  /** Import one clear key (tests and demos). */
  IMPORT_CLEAR,
  /** Form a key from 2 or 3 clear components, KCVs checked. */
  IMPORT_COMPONENTS,
  /** Import a key encrypted under a KEK (TDES/AES ECB). */
  IMPORT_UNDER_KEK,
  /** Encrypt a key under a KEK (TDES/AES ECB), e.g. a card key under the session DEK. */
  EXPORT_UNDER_KEK,
  /** EMV ICC master key derivation, option A. */
  DERIVE_EMV_OPTION_A,
  /** EMV ICC master key derivation, option B. */
  DERIVE_EMV_OPTION_B,
  /** EMV common session key derivation. */
  DERIVE_EMV_COMMON_SK,
  /** Mastercard M/Chip session key derivation (SKD). */
  DERIVE_MASTERCARD_SKD,
  /** GlobalPlatform SCP02 session keys. */
  DERIVE_GP_SCP02,
  /** GlobalPlatform SCP03 session keys (SP 800-108 KDF with AES-CMAC). */
  DERIVE_GP_SCP03,
  /** GlobalPlatform card key diversification, EMV-CPS method. */
  DERIVE_GP_EMV_CPS,
  /** GlobalPlatform card key diversification, VISA2 method. */
  DERIVE_GP_VISA2,
  /** GlobalPlatform card key diversification, KDF3 method (AES). */
  DERIVE_GP_KDF3,
  /** EMV application cryptogram (ARQC/TC/AAC). */
  ARQC,
  /** EMV ARPC, method 1. */
  ARPC,
  /** Visa CVV / Mastercard CVC, CVV2, iCVV. */
  CVV,
  /** Visa PIN verification value. */
  PVV,
  /** IBM 3624 natural PIN and offset. */
  IBM3624,
  /** Import a TR-31 key block (versions B and D). */
  TR31_IMPORT,
  /** Export a key as a TR-31 key block (versions B and D). */
  TR31_EXPORT,
  /** Key check value of a key given encrypted under a KEK, computed inside the backend. */
  KCV_UNDER_KEK,
  /** GlobalPlatform card key diversification by a custom template (issuer-defined data). */
  DERIVE_GP_TEMPLATE;

  /**
   * @return false for the operations that use no existing key ({@link #IMPORT_CLEAR},
   *     {@link #IMPORT_COMPONENTS}); every other operation is checked against the key's
   *     {@link KeyUsage} (see {@link KeyUsage#permits(Operation)})
   */
  public boolean usesKey() {
    return this != IMPORT_CLEAR && this != IMPORT_COMPONENTS;
  }
}
