package dev.perso.gp;

import dev.perso.core.ValidationException;
import dev.perso.core.channel.CardChannel;

/**
 * A GlobalPlatform secure channel protocol with its "i" parameter, as one typed value: SCP02 with its
 * variant, or SCP03 with its options. It knows its cipher block size, its challenge lengths and how to
 * open, so callers dispatch on it instead of comparing protocol numbers.
 *
 * <pre>{@code
 * ScpVersion v = ScpVersion.of(2, 0x55);          // Scp02[I_55]
 * v.blockSize();                                  // 8
 * try (GpSecureChannel s = v.open(reader, keys, v.configure(GpOptions.builder(crypto)).build())) { ... }
 * }</pre>
 */
public sealed interface ScpVersion permits ScpVersion.Scp02Protocol, ScpVersion.Scp03Protocol {
  /**
   * @param scp 2 or 3
   * @param i the "i" parameter (GP Card Specification 2.3.1 Table E-1 for SCP02, Amendment D Table 5-1 for SCP03)
   * @return the protocol
   * @throws ValidationException for another protocol or an SCP02 "i" this SDK does not implement
   */
  static ScpVersion of(int scp, int i) {
    if (i < 0 || i > 0xFF) {
      throw new ValidationException("i", "must be 00..FF, was " + i);
    }
    switch (scp) {
      case 2:
        return new Scp02Protocol(Scp02Variant.of(i));
      case 3:
        return new Scp03Protocol(i);
      default:
        throw new ValidationException("scp", "must be 02 or 03, was " + scp);
    }
  }

  /** @return 2 or 3 */
  int number();

  /** @return the "i" parameter */
  int i();

  /** @return the cipher block size: 8 (3DES) for SCP02, 16 (AES) for SCP03 */
  int blockSize();

  /** @return the card challenge length: 6 for SCP02, 8 or 16 (S16) for SCP03 */
  int cardChallengeLength();

  /** @return the host challenge length: 8, or 16 for SCP03 S16 */
  int hostChallengeLength();

  /** @return true when the card challenge is the pseudo-random one */
  boolean pseudoRandomChallenge();

  /**
   * Checks that this protocol defines {@code level} (GP 2.3.1 E.5.2 for SCP02, Amendment D 7.1.2 for SCP03).
   * The "i"-dependent rules (SCP03 R-MAC and R-ENCRYPTION support) are {@link Scp03Protocol#supports}.
   *
   * @param level the security level asked for
   * @throws ValidationException when the protocol has no such level
   */
  void requireLevel(SecurityLevel level);

  /** @return true when the static keys are AES */
  default boolean aes() {
    return number() == 3;
  }

  /**
   * @param options options to complete
   * @return the same builder with this protocol's variant or mode set
   */
  GpOptions.Builder configure(GpOptions.Builder options);

  /**
   * @param card the channel, application or security domain selected
   * @param keys the static keys
   * @param options from {@link #configure}
   * @return the open secure channel
   */
  GpSecureChannel open(CardChannel card, GpKeys keys, GpOptions options);

  /**
   * Offline: authenticates against an INITIALIZE UPDATE response obtained elsewhere, as
   * {@link Scp02#authenticate} or {@link Scp03#authenticate}.
   *
   * @param channel where EXTERNAL AUTHENTICATE and later commands go
   * @param keys the static keys
   * @param options from {@link #configure}, with the host challenge the response answers
   * @param response the card's INITIALIZE UPDATE response
   * @return the open secure channel
   */
  GpSecureChannel authenticate(CardChannel channel, GpKeys keys, GpOptions options, InitializeUpdateResponse response);

  /**
   * SCP02 (GP Card Specification 2.3.1 Appendix E).
   *
   * @param variant the "i" variant
   */
  record Scp02Protocol(Scp02Variant variant) implements ScpVersion {
    @Override
    public int number() {
      return 2;
    }

    @Override
    public int i() {
      return variant.i();
    }

    @Override
    public int blockSize() {
      return 8;
    }

    @Override
    public int cardChallengeLength() {
      return 6;
    }

    @Override
    public int hostChallengeLength() {
      return 8;
    }

    @Override
    public boolean pseudoRandomChallenge() {
      return variant.pseudoRandomChallenge();
    }

    @Override
    public void requireLevel(SecurityLevel level) {
      if (level == SecurityLevel.C_MAC_C_DEC_R_MAC_R_ENC) {
        throw new ValidationException("level", "SCP02 has no R-ENCRYPTION; use 00, 01, 03, 10, 11 or 13");
      }
    }

    @Override
    public GpOptions.Builder configure(GpOptions.Builder options) {
      return options.scp02Variant(variant);
    }

    @Override
    public GpSecureChannel open(CardChannel card, GpKeys keys, GpOptions options) {
      return Scp02.open(card, keys, options);
    }

    @Override
    public GpSecureChannel authenticate(CardChannel channel, GpKeys keys, GpOptions options,
        InitializeUpdateResponse response) {
      return Scp02.authenticate(channel, keys, options, response);
    }

    @Override
    public String toString() {
      return "SCP02 i=" + String.format("%02X", i());
    }
  }

  /**
   * SCP03 (GP Card Specification 2.3.1 Amendment D): b1 of "i" is S16, b5 the pseudo-random challenge.
   *
   * @param i the "i" parameter
   */
  record Scp03Protocol(int i) implements ScpVersion {
    /** Checks "i": 00, 10, 20, 30, 60 or 70, each optionally with the S16 bit 01. */
    public Scp03Protocol {
      if ((i & ~0x71) != 0 || (i & 0x60) == 0x40) {
        throw new ValidationException("i", "SCP03 i must be 00, 10, 20, 30, 60 or 70, optionally | 01 (S16), was "
            + String.format("%02X", i));
      }
    }

    @Override
    public int number() {
      return 3;
    }

    /** @return true when the card supports R-MAC (i b6) */
    public boolean rMac() {
      return (i & 0x20) != 0;
    }

    /** @return true when the card supports R-ENCRYPTION (i b6 and b7) */
    public boolean rEncryption() {
      return (i & 0x60) == 0x60;
    }

    /**
     * @param level a security level
     * @return true when this "i" offers the response protection {@code level} asks for
     */
    public boolean supports(SecurityLevel level) {
      return (!level.rMac() || rMac()) && (!level.rEncryption() || rEncryption());
    }

    @Override
    public void requireLevel(SecurityLevel level) {
      if (level == SecurityLevel.R_MAC) {
        throw new ValidationException("level", "SCP03 has no R-MAC-only level; use 00, 01, 03, 11, 13 or 33");
      }
    }

    /** @return true for 16-byte challenges, cryptograms and MACs (i b1) */
    public boolean s16() {
      return (i & 0x01) != 0;
    }

    @Override
    public int blockSize() {
      return 16;
    }

    @Override
    public int cardChallengeLength() {
      return s16() ? 16 : 8;
    }

    @Override
    public int hostChallengeLength() {
      return s16() ? 16 : 8;
    }

    @Override
    public boolean pseudoRandomChallenge() {
      return (i & 0x10) != 0;
    }

    @Override
    public GpOptions.Builder configure(GpOptions.Builder options) {
      return s16() ? options.scp03Mode(GpOptions.Scp03Mode.S16) : options;
    }

    @Override
    public GpSecureChannel open(CardChannel card, GpKeys keys, GpOptions options) {
      return Scp03.open(card, keys, options);
    }

    @Override
    public GpSecureChannel authenticate(CardChannel channel, GpKeys keys, GpOptions options,
        InitializeUpdateResponse response) {
      return Scp03.authenticate(channel, keys, options, response);
    }

    @Override
    public String toString() {
      return "SCP03 i=" + String.format("%02X", i);
    }
  }
}
