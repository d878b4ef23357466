package dev.perso.gp;

import dev.perso.core.Bytes;
import dev.perso.core.ValidationException;
import java.util.EnumSet;
import java.util.Set;

/**
 * Application privileges, three bytes in INSTALL and GET STATUS tag C5 (GP Card Specification 2.3.1
 * §6.6.1, Tables 11-7 to 11-9). Some privileges are combinations: DAP Verification is 80|40, Delegated
 * Management 80|20, Mandated DAP 80|40|01 of byte 1.
 *
 * <pre>{@code
 * Bytes c5 = Privilege.encode(EnumSet.of(Privilege.SECURITY_DOMAIN, Privilege.TRUSTED_PATH));  // 808000
 * Set<Privilege> p = Privilege.decode(Bytes.fromHex("9EFE80"));
 * }</pre>
 */
public enum Privilege {
  /** Byte 1, 80. */
  SECURITY_DOMAIN(0, 0x80),
  /** Byte 1, C0 (a security domain). */
  DAP_VERIFICATION(0, 0xC0),
  /** Byte 1, A0 (a security domain). */
  DELEGATED_MANAGEMENT(0, 0xA0),
  /** Byte 1, 10. */
  CARD_LOCK(0, 0x10),
  /** Byte 1, 08. */
  CARD_TERMINATE(0, 0x08),
  /** Byte 1, 04. */
  CARD_RESET(0, 0x04),
  /** Byte 1, 02. */
  CVM_MANAGEMENT(0, 0x02),
  /** Byte 1, C1 (a security domain). */
  MANDATED_DAP_VERIFICATION(0, 0xC1),
  /** Byte 2, 80. */
  TRUSTED_PATH(1, 0x80),
  /** Byte 2, 40. */
  AUTHORIZED_MANAGEMENT(1, 0x40),
  /** Byte 2, 20. */
  TOKEN_VERIFICATION(1, 0x20),
  /** Byte 2, 10. */
  GLOBAL_DELETE(1, 0x10),
  /** Byte 2, 08. */
  GLOBAL_LOCK(1, 0x08),
  /** Byte 2, 04. */
  GLOBAL_REGISTRY(1, 0x04),
  /** Byte 2, 02. */
  FINAL_APPLICATION(1, 0x02),
  /** Byte 2, 01. */
  GLOBAL_SERVICE(1, 0x01),
  /** Byte 3, 80. */
  RECEIPT_GENERATION(2, 0x80),
  /** Byte 3, 40. */
  CIPHERED_LOAD_FILE_DATA_BLOCK(2, 0x40),
  /** Byte 3, 20. */
  CONTACTLESS_ACTIVATION(2, 0x20),
  /** Byte 3, 10. */
  CONTACTLESS_SELF_ACTIVATION(2, 0x10);

  private final int index;
  private final int mask;

  Privilege(int index, int mask) {
    this.index = index;
    this.mask = mask;
  }

  /**
   * @param privileges the privileges
   * @return the three privilege bytes
   */
  public static Bytes encode(Set<Privilege> privileges) {
    int[] b = new int[3];
    for (Privilege p : privileges) {
      b[p.index] |= p.mask;
    }
    return Bytes.ofUnsigned(b[0], b[1], b[2]);
  }

  /**
   * @param value 0, 1 or 3 privilege bytes (a single byte is byte 1, GP 2.3.1 §11.1.2)
   * @return the privileges whose bits are all set
   * @throws ValidationException for another length
   */
  public static Set<Privilege> decode(Bytes value) {
    if (value.length() != 0 && value.length() != 1 && value.length() != 3) {
      throw new ValidationException("privileges", "must be 0, 1 or 3 bytes, was " + value.length());
    }
    Set<Privilege> out = EnumSet.noneOf(Privilege.class);
    for (Privilege p : values()) {
      if (p.index < value.length() && (value.getUnsigned(p.index) & p.mask) == p.mask) {
        out.add(p);
      }
    }
    return out;
  }
}
