package dev.perso.gp;

import dev.perso.core.ValidationException;

/**
 * The security level of a GlobalPlatform secure channel: the P1 of EXTERNAL AUTHENTICATE
 * (GP 2.2.1 Table E-11 for SCP02, Amendment D Table 7-3 for SCP03).
 *
 * <pre>{@code
 * SecurityLevel level = SecurityLevel.fromP1(0x03);   // C_MAC_C_DEC
 * level.cDecryption();                                // true
 * }</pre>
 */
public enum SecurityLevel {
  /** 00: no secure messaging after authentication. */
  NONE(0x00),
  /** 01: C-MAC. */
  C_MAC(0x01),
  /** 03: C-DECRYPTION and C-MAC. */
  C_MAC_C_DEC(0x03),
  /** 10: R-MAC only (SCP02). */
  R_MAC(0x10),
  /** 11: C-MAC and R-MAC. */
  C_MAC_R_MAC(0x11),
  /** 13: C-DECRYPTION, C-MAC and R-MAC. */
  C_MAC_C_DEC_R_MAC(0x13),
  /** 33: C-DECRYPTION, R-ENCRYPTION, C-MAC and R-MAC (SCP03). */
  C_MAC_C_DEC_R_MAC_R_ENC(0x33);

  private final int p1;

  SecurityLevel(int p1) {
    this.p1 = p1;
  }

  /** @return the EXTERNAL AUTHENTICATE P1 byte */
  public int p1() {
    return p1;
  }

  /** @return true if commands carry a C-MAC */
  public boolean cMac() {
    return (p1 & 0x01) != 0;
  }

  /** @return true if command data is encrypted */
  public boolean cDecryption() {
    return (p1 & 0x02) != 0;
  }

  /** @return true if responses carry an R-MAC */
  public boolean rMac() {
    return (p1 & 0x10) != 0;
  }

  /** @return true if response data is encrypted */
  public boolean rEncryption() {
    return (p1 & 0x20) != 0;
  }

  /**
   * @param p1 an EXTERNAL AUTHENTICATE P1
   * @return the level
   * @throws ValidationException for any other value
   */
  public static SecurityLevel fromP1(int p1) {
    for (SecurityLevel l : values()) {
      if (l.p1 == p1) {
        return l;
      }
    }
    throw new ValidationException("level", "unknown security level " + String.format("%02X", p1 & 0xFF)
        + "; use 00, 01, 03, 10, 11, 13 or 33");
  }
}
