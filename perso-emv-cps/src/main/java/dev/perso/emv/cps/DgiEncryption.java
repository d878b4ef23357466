package dev.perso.emv.cps;

/**
 * How a profile sends a DGI: in clear, or encrypted under the card's DEK with a padding rule. Padding
 * is per DGI and per applet (gp-emv-cps notes §2.6: DES key DGIs and the PIN block are not padded;
 * some profiles pad RSA CRT components with ISO/IEC 9797-1 method 2 even when already aligned).
 *
 * <pre>{@code
 * CardProfile.builder("vsdc-example").dgi(0x8000, DgiEncryption.ENCRYPTED).dgi(0x8201, DgiEncryption.ENCRYPTED_PADDED);
 * }</pre>
 */
public enum DgiEncryption {
  /** Sent as is; P1 b7-b6 = 00. */
  PLAINTEXT,
  /** Encrypted without padding; the value must be a whole number of blocks. */
  ENCRYPTED,
  /** ISO/IEC 9797-1 method 2 padding ({@code 80 00..}) always added, then encrypted. */
  ENCRYPTED_PADDED,
  /** Method 2 padding added only when the value is not a whole number of blocks, then encrypted. */
  ENCRYPTED_PAD_IF_NEEDED;

  /** @return true for every rule except {@link #PLAINTEXT} */
  public boolean encrypted() {
    return this != PLAINTEXT;
  }
}
