package dev.perso.gp;

import dev.perso.core.Bytes;
import dev.perso.core.ValidationException;
import dev.perso.crypto.CryptoBackend;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How to open a secure channel: the crypto backend, the security level, the SCP variant and the named
 * policies for the points where specifications and cards disagree. Immutable; build with
 * {@link #builder(CryptoBackend)}, derive variants with {@link #newBuilder()}.
 *
 * <pre>{@code
 * GpOptions options = GpOptions.builder(crypto)
 *     .level(SecurityLevel.C_MAC_C_DEC)
 *     .scp02Variant(Scp02Variant.I_55)
 *     .aid(Bytes.fromHex("A0000000031010"))
 *     .alternatives(List.of(GpKeys.diversified(kmc, Diversification.VISA2)))
 *     .build();
 * }</pre>
 */
public final class GpOptions {
  /** The ISD AID {@code A000000151000000}, the default for the pseudo-random challenge check. */
  public static final Bytes ISD_AID = Bytes.fromHex("A000000151000000");

  /** What to do with a command without data at C-DECRYPTION. */
  public enum EmptyDataEncryption {
    /** GP Amd D §6.2.6 and GP 2.2.1: no data field, no encryption (GlobalPlatformPro, GPShell). */
    SKIP,
    /** Pad the empty field to one block and encrypt it (yubikit). */
    PAD_AND_ENCRYPT
  }

  /** When the SCP03 encryption counter is incremented. */
  public enum CounterIncrement {
    /** GP Amd D §6.2.6: for every command after EXTERNAL AUTHENTICATE, with or without data. */
    EVERY_COMMAND,
    /** Only for commands with data (cards GlobalPlatformPro's "counter workaround" is for). */
    ONLY_WITH_DATA
  }

  /** What to do when a pseudo-random card challenge does not match. */
  public enum ChallengeCheck {
    /** Fail with {@link dev.perso.core.SecureChannelException} before EXTERNAL AUTHENTICATE. */
    VERIFY,
    /** Continue and report {@link ChallengeStatus#MISMATCH_IGNORED} (non-conforming cards). */
    REPORT
  }

  /** SCP03 challenge and cryptogram length. */
  public enum Scp03Mode {
    /** 8-byte challenges, cryptograms and MACs. */
    S8,
    /** 16-byte challenges, cryptograms and MACs (i b1). */
    S16
  }

  private final CryptoBackend crypto;
  private final SecurityLevel level;
  private final Scp02Variant scp02Variant;
  private final Scp03Mode scp03Mode;
  private final Bytes aid;
  private final Bytes hostChallenge;
  private final ChallengeCheck challengeCheck;
  private final EmptyDataEncryption emptyDataEncryption;
  private final CounterIncrement counterIncrement;
  private final List<GpKeys> alternatives;

  private GpOptions(Builder b) {
    this.crypto = b.crypto;
    this.level = b.level;
    this.scp02Variant = b.scp02Variant;
    this.scp03Mode = b.scp03Mode;
    this.aid = b.aid;
    this.hostChallenge = b.hostChallenge;
    this.challengeCheck = b.challengeCheck;
    this.emptyDataEncryption = b.emptyDataEncryption;
    this.counterIncrement = b.counterIncrement;
    this.alternatives = b.alternatives;
  }

  /**
   * @param crypto the backend that derives and uses every key
   * @return a builder with the defaults: C-MAC, SCP02 i=15, SCP03 S8, ISD AID, random host challenge,
   *     VERIFY, SKIP, EVERY_COMMAND, no alternatives
   */
  public static Builder builder(CryptoBackend crypto) {
    return new Builder(Objects.requireNonNull(crypto, "crypto"));
  }

  /** @return a builder holding these options */
  public Builder newBuilder() {
    Builder b = new Builder(crypto);
    b.level = level;
    b.scp02Variant = scp02Variant;
    b.scp03Mode = scp03Mode;
    b.aid = aid;
    b.hostChallenge = hostChallenge;
    b.challengeCheck = challengeCheck;
    b.emptyDataEncryption = emptyDataEncryption;
    b.counterIncrement = counterIncrement;
    b.alternatives = alternatives;
    return b;
  }

  /** @return the backend */
  public CryptoBackend crypto() {
    return crypto;
  }

  /** @return the security level */
  public SecurityLevel level() {
    return level;
  }

  /** @return the SCP02 variant (ignored by SCP03, whose card states "i") */
  public Scp02Variant scp02Variant() {
    return scp02Variant;
  }

  /** @return S8 or S16 (SCP03 only) */
  public Scp03Mode scp03Mode() {
    return scp03Mode;
  }

  /** @return the selected AID, for the pseudo-random challenge check */
  public Bytes aid() {
    return aid;
  }

  /** @return a fixed host challenge (tests, offline tools); empty means random */
  public Optional<Bytes> hostChallenge() {
    return Optional.ofNullable(hostChallenge);
  }

  /** @return the pseudo-random challenge policy */
  public ChallengeCheck challengeCheck() {
    return challengeCheck;
  }

  /** @return the empty-data encryption policy */
  public EmptyDataEncryption emptyDataEncryption() {
    return emptyDataEncryption;
  }

  /** @return the SCP03 counter policy */
  public CounterIncrement counterIncrement() {
    return counterIncrement;
  }

  /** @return other key sets to name in the message when the card cryptogram does not match */
  public List<GpKeys> alternatives() {
    return alternatives;
  }

  @Override
  public String toString() {
    return "GpOptions[" + crypto.id() + ", level " + level + ", SCP02 " + scp02Variant + ", SCP03 " + scp03Mode
        + ", " + challengeCheck + ", " + emptyDataEncryption + ", " + counterIncrement + "]";
  }

  /** Builds {@link GpOptions}. */
  public static final class Builder {
    private final CryptoBackend crypto;
    private SecurityLevel level = SecurityLevel.C_MAC;
    private Scp02Variant scp02Variant = Scp02Variant.I_15;
    private Scp03Mode scp03Mode = Scp03Mode.S8;
    private Bytes aid = ISD_AID;
    private Bytes hostChallenge;
    private ChallengeCheck challengeCheck = ChallengeCheck.VERIFY;
    private EmptyDataEncryption emptyDataEncryption = EmptyDataEncryption.SKIP;
    private CounterIncrement counterIncrement = CounterIncrement.EVERY_COMMAND;
    private List<GpKeys> alternatives = List.of();

    private Builder(CryptoBackend crypto) {
      this.crypto = crypto;
    }

    /**
     * @param level the security level
     * @return this builder
     */
    public Builder level(SecurityLevel level) {
      this.level = Objects.requireNonNull(level, "level");
      return this;
    }

    /**
     * @param variant the SCP02 "i"
     * @return this builder
     */
    public Builder scp02Variant(Scp02Variant variant) {
      this.scp02Variant = Objects.requireNonNull(variant, "variant");
      return this;
    }

    /**
     * @param mode S8 or S16 (decides the host challenge length)
     * @return this builder
     */
    public Builder scp03Mode(Scp03Mode mode) {
      this.scp03Mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * @param aid the AID selected before INITIALIZE UPDATE, 5..16 bytes
     * @return this builder
     */
    public Builder aid(Bytes aid) {
      if (aid == null || aid.length() < 5 || aid.length() > 16) {
        throw new ValidationException("aid", "must be 5..16 bytes");
      }
      this.aid = aid;
      return this;
    }

    /**
     * @param challenge a fixed host challenge, 8 bytes (16 for SCP03 S16); for tests and offline tools
     * @return this builder
     */
    public Builder hostChallenge(Bytes challenge) {
      if (challenge == null || (challenge.length() != 8 && challenge.length() != 16)) {
        throw new ValidationException("hostChallenge", "must be 8 or 16 bytes");
      }
      this.hostChallenge = challenge;
      return this;
    }

    /**
     * @param check the pseudo-random challenge policy
     * @return this builder
     */
    public Builder challengeCheck(ChallengeCheck check) {
      this.challengeCheck = Objects.requireNonNull(check, "check");
      return this;
    }

    /**
     * @param policy the empty-data encryption policy
     * @return this builder
     */
    public Builder emptyDataEncryption(EmptyDataEncryption policy) {
      this.emptyDataEncryption = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * @param policy the SCP03 counter policy
     * @return this builder
     */
    public Builder counterIncrement(CounterIncrement policy) {
      this.counterIncrement = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * @param alternatives key sets checked only to explain a card cryptogram mismatch; never used to
     *     authenticate
     * @return this builder
     */
    public Builder alternatives(List<GpKeys> alternatives) {
      this.alternatives = List.copyOf(alternatives);
      return this;
    }

    /** @return the options */
    public GpOptions build() {
      if (emptyDataEncryption == EmptyDataEncryption.PAD_AND_ENCRYPT && counterIncrement == CounterIncrement.ONLY_WITH_DATA) {
        throw new ValidationException("counterIncrement", "ONLY_WITH_DATA contradicts PAD_AND_ENCRYPT (an encrypted "
            + "empty field is data); pick one");
      }
      return new GpOptions(this);
    }
  }
}
