package dev.perso.gp;

import dev.perso.core.ValidationException;

/**
 * The SCP02 "i" parameters this SDK implements (GP 2.2.1 Table E-1): explicit initiation, three
 * keys, C-MAC on the modified APDU, ICV zero at the start of the session. They differ in ICV
 * encryption (b5) and the pseudo-random card challenge (b7). The card does not report "i" in its
 * INITIALIZE UPDATE response, so it is configured.
 *
 * <pre>{@code
 * GpOptions options = GpOptions.builder(crypto).scp02Variant(Scp02Variant.I_55).build();
 * }</pre>
 */
public enum Scp02Variant {
  /** i=05: no ICV encryption, random card challenge. */
  I_05(0x05),
  /** i=15: ICV encryption, random card challenge (the most common). */
  I_15(0x15),
  /** i=45: no ICV encryption, pseudo-random card challenge. */
  I_45(0x45),
  /** i=55: ICV encryption, pseudo-random card challenge. */
  I_55(0x55);

  private final int i;

  Scp02Variant(int i) {
    this.i = i;
  }

  /** @return the "i" byte */
  public int i() {
    return i;
  }

  /** @return true if the C-MAC ICV is encrypted with single DES (i b5) */
  public boolean icvEncryption() {
    return (i & 0x10) != 0;
  }

  /** @return true if the card challenge is pseudo-random (i b7) */
  public boolean pseudoRandomChallenge() {
    return (i & 0x40) != 0;
  }

  /**
   * @param i an "i" byte
   * @return the variant
   * @throws ValidationException for values this SDK does not implement
   */
  public static Scp02Variant of(int i) {
    for (Scp02Variant v : values()) {
      if (v.i == i) {
        return v;
      }
    }
    throw new ValidationException("i", "SCP02 i=" + String.format("%02X", i & 0xFF) + " is not supported; use 05, 15, 45 or 55");
  }
}
