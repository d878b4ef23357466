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
    public GpOptions.Builder configure(GpOptions.Builder options) {
      return options.scp02Variant(variant);
    }

    @Override
    public GpSecureChannel open(CardChannel card, GpKeys keys, GpOptions options) {
      return Scp02.open(card, keys, options);
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
    @Override
    public int number() {
      return 3;
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
    public String toString() {
      return "SCP03 i=" + String.format("%02X", i);
    }
  }
}
