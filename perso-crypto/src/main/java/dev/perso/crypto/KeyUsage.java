package dev.perso.crypto;

/**
 * What a key is for (TR-31 style roles used in card personalization).
 *
 * <pre>{@code
 * KeyRef imk = ClearKeyRef.of(KeyAlgorithm.TDES_2KEY, KeyUsage.IMK_AC, Bytes.fromHex("0123456789ABCDEFFEDCBA9876543210"));
 * }</pre>
 */
public enum KeyUsage {
  /** Issuer master key for application cryptograms. */
  IMK_AC,
  /** Issuer master key for secure-messaging integrity. */
  IMK_SMI,
  /** Issuer master key for secure-messaging confidentiality. */
  IMK_SMC,
  /** Issuer master key for ICC dynamic numbers. */
  IMK_DN,
  /** Card verification key (CVV, CVC, iCVV, CVV2). */
  CVK,
  /** PIN verification key (Visa PVV, IBM 3624). */
  PVK,
  /** GlobalPlatform key management (master) key. */
  KMC,
  /** Key-encryption key (transport, zone master). */
  KEK,
  /** Data-encryption key (GP DEK, CPS sensitive DGIs). */
  DEK,
  /** Encryption key (GP ENC, session ENC). */
  ENC,
  /** MAC key (GP MAC, session MAC). */
  MAC,
  /** Response MAC key (GP R-MAC). */
  RMAC,
  /** Generic data encryption. */
  DATA
}
