package dev.perso.crypto;

import dev.perso.core.ValidationException;
import dev.perso.crypto.internal.Digits;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link CryptoBackend#translatePinBlock} does with one encrypted PIN block: decrypt it under the
 * source key, check it is a well-formed block of the source format, rebuild it in the target format,
 * pad it and encrypt it under the target key. The clear PIN exists only inside the backend.
 *
 * <p>The personalization case: data preparation transports the offline PIN as an ISO 9564-1 format 1
 * block (random fill, so equal PINs never give equal ciphertexts) under the transport KEK; the card
 * wants an ISO format 2 block under the secure channel's session DEK (EMV CPS DGI 8010).
 *
 * <pre>{@code
 * PinBlockTranslation toCard = PinBlockTranslation.from(transportKek, PinBlock.Format.ISO_1)
 *     .to(sessionDek, PinBlock.Format.ISO_2)
 *     .toSpec(CipherSpec.cbcZeroIv())       // SCP03; SCP02 sends ECB (the default)
 *     .padding(Padding.METHOD_2)            // an AES DEK needs the 8-byte block padded to 16
 *     .build();
 * Bytes dgi8010 = crypto.translatePinBlock(toCard, pinBlockUnderKek);
 * }</pre>
 *
 * <p>A source that is longer than one 8-byte PIN block (a block under an AES key) must hold the block
 * followed by ISO/IEC 9797-1 method 2 padding. Formats 0 need the PAN ({@link Builder#pan}); it is
 * never shown by {@link #toString()}.
 */
public final class PinBlockTranslation {
  private final KeyRef from;
  private final CipherSpec fromSpec;
  private final PinBlock.Format fromFormat;
  private final KeyRef to;
  private final CipherSpec toSpec;
  private final PinBlock.Format toFormat;
  private final Padding padding;
  private final String pan;

  private PinBlockTranslation(Builder b) {
    this.from = b.from;
    this.fromSpec = b.fromSpec;
    this.fromFormat = b.fromFormat;
    this.to = Objects.requireNonNull(b.to, "to: call to(key, format)");
    this.toSpec = b.toSpec;
    this.toFormat = b.toFormat;
    this.padding = b.padding;
    this.pan = b.pan;
    if ((fromFormat.usesPan() || toFormat.usesPan()) && pan == null) {
      throw new ValidationException("pan", "PIN block format 0 needs the PAN");
    }
  }

  /**
   * @param key the key the block arrives under (e.g. the transport KEK)
   * @param format the block's format
   * @return a builder
   */
  public static Builder from(KeyRef key, PinBlock.Format format) {
    return new Builder(key, format);
  }

  /** @return the key the block arrives under */
  public KeyRef from() {
    return from;
  }

  /** @return how the block is encrypted under {@link #from()} (default ECB) */
  public CipherSpec fromSpec() {
    return fromSpec;
  }

  /** @return the source format */
  public PinBlock.Format fromFormat() {
    return fromFormat;
  }

  /** @return the key the block leaves under */
  public KeyRef to() {
    return to;
  }

  /** @return how the block is encrypted under {@link #to()} (default ECB) */
  public CipherSpec toSpec() {
    return toSpec;
  }

  /** @return the target format */
  public PinBlock.Format toFormat() {
    return toFormat;
  }

  /** @return the padding added to the target block before encryption, to the target key's block size */
  public Padding padding() {
    return padding;
  }

  /** @return the PAN digits, for format 0 on either side */
  public Optional<String> pan() {
    return Optional.ofNullable(pan);
  }

  /** @return e.g. {@code ISO_1 under KeyRef[..] -> ISO_2 under KeyRef[..] ECB, NONE}; never the PAN */
  @Override
  public String toString() {
    return fromFormat + " under " + from + " -> " + toFormat + " under " + to + " " + toSpec.mode() + ", " + padding;
  }

  /** Builds a {@link PinBlockTranslation}. */
  public static final class Builder {
    private final KeyRef from;
    private final PinBlock.Format fromFormat;
    private CipherSpec fromSpec = CipherSpec.ecb();
    private KeyRef to;
    private PinBlock.Format toFormat;
    private CipherSpec toSpec = CipherSpec.ecb();
    private Padding padding = Padding.NONE;
    private String pan;

    private Builder(KeyRef from, PinBlock.Format fromFormat) {
      this.from = Objects.requireNonNull(from, "from");
      this.fromFormat = Objects.requireNonNull(fromFormat, "fromFormat");
    }

    /**
     * @param spec how the source block is encrypted
     * @return this
     */
    public Builder fromSpec(CipherSpec spec) {
      this.fromSpec = Objects.requireNonNull(spec, "fromSpec");
      return this;
    }

    /**
     * @param key the key to encrypt the result under
     * @param format the result's format
     * @return this
     */
    public Builder to(KeyRef key, PinBlock.Format format) {
      this.to = Objects.requireNonNull(key, "to");
      this.toFormat = Objects.requireNonNull(format, "toFormat");
      return this;
    }

    /**
     * @param spec how the result is encrypted
     * @return this
     */
    public Builder toSpec(CipherSpec spec) {
      this.toSpec = Objects.requireNonNull(spec, "toSpec");
      return this;
    }

    /**
     * @param p padding of the 8-byte result to the target key's block size ({@link Padding#NONE}: none,
     *     which an AES target key refuses)
     * @return this
     */
    public Builder padding(Padding p) {
      this.padding = Objects.requireNonNull(p, "padding");
      return this;
    }

    /**
     * @param digits the PAN, for format 0 on either side
     * @return this
     */
    public Builder pan(String digits) {
      Digits.require("pan", digits, 13, 19);
      this.pan = digits;
      return this;
    }

    /** @return the translation */
    public PinBlockTranslation build() {
      return new PinBlockTranslation(this);
    }
  }
}
