package dev.perso.gp.card;

import dev.perso.core.internal.OwnedBytes;
import dev.perso.core.Bytes;
import dev.perso.core.PersoException;
import dev.perso.core.ValidationException;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.card.VirtualCard;
import dev.perso.crypto.CryptoBackend;
import dev.perso.gp.internal.Scp02Session;
import dev.perso.gp.internal.Scp03Session;
import dev.perso.gp.internal.ScpSession;
import dev.perso.gp.GpKeys;
import dev.perso.gp.GpOptions;
import dev.perso.gp.GpSecureChannel;
import dev.perso.gp.Scp02Variant;
import dev.perso.gp.ScpVersion;
import dev.perso.gp.SecurityLevel;
import dev.perso.gp.internal.StaticKeys;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.Random;
import java.util.function.Function;

/**
 * The card side of SCP02 and SCP03, for virtual cards: it answers INITIALIZE UPDATE, checks the host
 * cryptogram and every C-MAC, decrypts command data, passes plain commands to the application and
 * adds R-MAC / R-ENCRYPTION to its responses. A failed check answers {@code 6982} and ends the
 * session; after {@code lockAfter} failed EXTERNAL AUTHENTICATEs INITIALIZE UPDATE answers {@code 6983}.
 * SELECT ends the session. Not thread-safe (a card serves one command at a time).
 *
 * <pre>{@code
 * ScpCard card = ScpCard.builder(crypto, GpKeys.diversified(kmc, Diversification.EMV_CPS))
 *     .kdd(Bytes.fromHex("00010203040506070809")).scp02(Scp02Variant.I_15)
 *     .application(command -> ResponseApdu.of(0x9000))
 *     .build();
 * CardChannel channel = VirtualCard.connect(card);
 * }</pre>
 */
public final class ScpCard implements VirtualCard {
  private static final Bytes ATR = Bytes.fromHex("3B8880010000000000000000");

  private final CryptoBackend crypto;
  /** Key sets by key version; the first one answers INITIALIZE UPDATE with P1 00. */
  private final java.util.LinkedHashMap<Integer, GpKeys> keySets = new java.util.LinkedHashMap<>();
  private final Bytes kdd;
  private final ScpVersion version;
  private final java.util.function.Supplier<Bytes> selectedAid;
  private final Random random;
  private final Function<CommandApdu, ResponseApdu> application;
  private final GpOptions.EmptyDataEncryption emptyData;
  private final GpOptions.CounterIncrement counterPolicy;
  private final int lockAfter;
  private int sequenceCounter;
  private int failures;
  private ScpSession session;
  private StaticKeys staticKeys;
  private Bytes expectedHostCryptogram;

  private ScpCard(Builder b) {
    this.crypto = b.crypto;
    this.keySets.put(b.keyVersion, b.keys);
    this.kdd = b.kdd;
    this.version = b.version;
    this.selectedAid = b.selectedAid;
    this.random = b.random;
    this.application = b.application;
    this.emptyData = b.emptyData;
    this.counterPolicy = b.counterPolicy;
    this.lockAfter = b.lockAfter;
    this.sequenceCounter = b.sequenceCounter;
  }

  /**
   * @param crypto the backend the card computes with
   * @param keys the card's keys (static, or a KMC diversified with the card's KDD)
   * @return a builder: SCP02 i=15, KDD 00..09, key version 01, ISD AID, application answering 9000
   */
  public static Builder builder(CryptoBackend crypto, GpKeys keys) {
    return new Builder(Objects.requireNonNull(crypto, "crypto"), Objects.requireNonNull(keys, "keys"));
  }

  @Override
  public Bytes atr() {
    return ATR;
  }

  @Override
  public Bytes reset() {
    endSession();
    return ATR;
  }

  /** @return the security level of the open session, or empty if none is authenticated */
  public java.util.Optional<SecurityLevel> level() {
    return session != null && session.isAuthenticated() ? java.util.Optional.of(session.level())
        : java.util.Optional.empty();
  }

  /**
   * Decrypts sensitive data the host encrypted with {@link GpSecureChannel#encryptSensitiveData}.
   *
   * @param data the cryptogram
   * @return the clear data
   */
  public Bytes decryptSensitiveData(Bytes data) {
    if (session == null || !session.isAuthenticated()) {
      throw new ValidationException("session", "no authenticated session");
    }
    return session.decryptSensitive(data);
  }

  /** @return the key versions the card holds, the default (INITIALIZE UPDATE P1 00) first */
  public java.util.List<Integer> keyVersions() {
    return java.util.List.copyOf(keySets.keySet());
  }

  /**
   * @param keyVersion a key version the card holds
   * @return the algorithm of that key set, or empty if the card has no such key set
   */
  public java.util.Optional<dev.perso.crypto.KeyAlgorithm> keyAlgorithm(int keyVersion) {
    return java.util.Optional.ofNullable(keySets.get(keyVersion)).map(GpKeys::algorithm);
  }

  /** @return the card's protocol and "i" as one typed value */
  public ScpVersion version() {
    return version;
  }

  /**
   * Card side of PUT KEY and key-loading STORE DATA (GP 2.3.1 §11.8.2.3.3): replaces key set
   * {@code oldKeyVersion} (0: adds one) by {@code keys} under {@code newKeyVersion}. An open session keeps
   * its session keys. The caller checks the rules (versions, types, KCVs) first.
   *
   * @param oldKeyVersion the key set to replace, or 0 to add
   * @param newKeyVersion the new set's version
   * @param keys the new static keys
   */
  public void putKeySet(int oldKeyVersion, int newKeyVersion, GpKeys keys) {
    Objects.requireNonNull(keys, "keys");
    if (oldKeyVersion == 0) {
      keySets.put(newKeyVersion, keys);
      return;
    }
    if (!keySets.containsKey(oldKeyVersion)) {
      throw new ValidationException("keyVersion", String.format("the card holds no key set %02X", oldKeyVersion));
    }
    java.util.LinkedHashMap<Integer, GpKeys> copy = new java.util.LinkedHashMap<>();
    keySets.forEach((kvn, k) -> {
      if (kvn == oldKeyVersion) {
        copy.put(newKeyVersion, keys);
      } else if (kvn != newKeyVersion) {
        copy.put(kvn, k);
      }
    });
    keySets.clear();
    keySets.putAll(copy);
  }

  /**
   * Card side of DELETE of a key set (GP 2.3.1 Table 11-24). An open session keeps its session keys.
   *
   * @param keyVersion the key set to remove
   */
  public void removeKeySet(int keyVersion) {
    if (keySets.size() == 1 || !keySets.containsKey(keyVersion)) {
      throw new ValidationException("keyVersion", String.format("cannot remove key set %02X: not held, or the last one",
          keyVersion));
    }
    keySets.remove(keyVersion);
  }

  @Override
  public ResponseApdu process(CommandApdu command) {
    try {
      if (command.ins() == 0x50 && (command.cla() & 0xFC) == 0x80) {
        return initializeUpdate(command);
      }
      if (command.ins() == 0x82 && (command.cla() & 0xFC) == 0x84 && session != null && !session.isAuthenticated()) {
        return externalAuthenticate(command);
      }
      if (command.ins() == 0xA4) {
        endSession();
        return application.apply(command);
      }
      if (session == null || !session.isAuthenticated()) {
        if ((command.cla() & 0x04) != 0) {
          return ResponseApdu.of(0x6982);
        }
        return application.apply(command);
      }
      CommandApdu plain;
      try {
        plain = session.unwrapCommand(command);
      } catch (PersoException e) {
        endSession();
        return ResponseApdu.of(0x6982);
      }
      return session.wrapResponse(plain, application.apply(plain));
    } catch (ValidationException e) {
      return ResponseApdu.of(0x6700);
    }
  }

  private ResponseApdu initializeUpdate(CommandApdu c) {
    endSession();
    if (lockAfter > 0 && failures >= lockAfter) {
      return ResponseApdu.of(0x6983);
    }
    int keyVersion = c.p1() == 0 ? keySets.keySet().iterator().next() : c.p1();
    GpKeys keys = keySets.get(keyVersion);
    if (keys == null) {
      return ResponseApdu.of(0x6A88);
    }
    Bytes host = c.data();
    if (host.length() != version.hostChallengeLength()) {
      return ResponseApdu.of(0x6700);
    }
    staticKeys = StaticKeys.resolve(keys, crypto, kdd);
    sequenceCounter++;
    if (version instanceof ScpVersion.Scp02Protocol scp02) {
      Bytes seq = Bytes.ofUnsigned((sequenceCounter >> 8) & 0xFF, sequenceCounter & 0xFF);
      Scp02Variant v = scp02.variant();
      Scp02Session s = Scp02Session.derive(crypto, staticKeys.enc, staticKeys.mac, staticKeys.dek, seq, v, emptyData);
      session = s;
      Bytes challenge = v.pseudoRandomChallenge() ? s.pseudoRandomChallenge(selectedAid.get()) : randomBytes(6);
      expectedHostCryptogram = s.hostCryptogram(host, seq, challenge);
      return ResponseApdu.of(Bytes.concat(kdd, Bytes.ofUnsigned(keyVersion, 0x02), seq, challenge,
          s.cardCryptogram(host, seq, challenge)), 0x9000);
    }
    ScpVersion.Scp03Protocol scp03 = (ScpVersion.Scp03Protocol) version;
    boolean s16 = scp03.s16();
    boolean pseudo = scp03.pseudoRandomChallenge();
    Bytes seq = Bytes.ofUnsigned((sequenceCounter >> 16) & 0xFF, (sequenceCounter >> 8) & 0xFF, sequenceCounter & 0xFF);
    Bytes challenge = pseudo ? Scp03Session.pseudoRandomChallenge(crypto, staticKeys.enc, seq, selectedAid.get(), s16)
        : randomBytes(s16 ? 16 : 8);
    Scp03Session s = Scp03Session.derive(crypto, staticKeys.enc, staticKeys.mac, staticKeys.dek, host, challenge, s16,
        counterPolicy, emptyData);
    session = s;
    expectedHostCryptogram = s.hostCryptogram(host, challenge);
    return ResponseApdu.of(Bytes.concat(kdd, Bytes.ofUnsigned(keyVersion, 0x03, scp03.i()), challenge,
        s.cardCryptogram(host, challenge), pseudo ? seq : Bytes.empty()), 0x9000);
  }

  private ResponseApdu externalAuthenticate(CommandApdu c) {
    int macLen = session.macLength();
    SecurityLevel level;
    try {
      level = SecurityLevel.fromP1(c.p1());
      version.requireLevel(level);
    } catch (ValidationException e) {
      endSession();
      return ResponseApdu.of(0x6A86);
    }
    boolean rMacOk;
    boolean macOk;
    if (version instanceof ScpVersion.Scp03Protocol scp03) {
      rMacOk = scp03.supports(level);
      macOk = ((Scp03Session) session).checkExternalAuthenticateMac(c);
    } else {
      rMacOk = true;
      macOk = ((Scp02Session) session).checkExternalAuthenticateMac(c);
    }
    boolean cryptogramOk = c.data().length() == 2 * macLen
        && c.data().slice(0, macLen).constantTimeEquals(expectedHostCryptogram);
    if (!macOk || !cryptogramOk || !rMacOk) {
      failures++;
      endSession();
      return ResponseApdu.of(rMacOk ? 0x6982 : 0x6A86);
    }
    failures = 0;
    session.authenticated(level);
    return ResponseApdu.of(0x9000);
  }

  private Bytes randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return OwnedBytes.wrap(b);
  }

  private void endSession() {
    if (session != null) {
      session.close();
      session = null;
    }
    if (staticKeys != null) {
      staticKeys.close();
      staticKeys = null;
    }
    expectedHostCryptogram = null;
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("ScpCard[" + version);
    keySets.forEach((kvn, k) -> s.append(String.format(" KVN %02X ", kvn)).append(k));
    return s.append(']').toString();
  }

  /** Builds an {@link ScpCard}. */
  public static final class Builder {
    private final CryptoBackend crypto;
    private final GpKeys keys;
    private Bytes kdd = Bytes.fromHex("00010203040506070809");
    private int keyVersion = 0x01;
    private ScpVersion version = new ScpVersion.Scp02Protocol(Scp02Variant.I_15);
    private java.util.function.Supplier<Bytes> selectedAid = () -> GpOptions.ISD_AID;
    private Random random = new SecureRandom();
    private Function<CommandApdu, ResponseApdu> application = c -> ResponseApdu.of(0x9000);
    private GpOptions.EmptyDataEncryption emptyData = GpOptions.EmptyDataEncryption.SKIP;
    private GpOptions.CounterIncrement counterPolicy = GpOptions.CounterIncrement.EVERY_COMMAND;
    private int lockAfter;
    private int sequenceCounter;

    private Builder(CryptoBackend crypto, GpKeys keys) {
      this.crypto = crypto;
      this.keys = keys;
    }

    /**
     * @param kdd the card's 10-byte key diversification data
     * @return this builder
     */
    public Builder kdd(Bytes kdd) {
      if (kdd == null || kdd.length() != 10) {
        throw new ValidationException("kdd", "must be 10 bytes");
      }
      this.kdd = kdd;
      return this;
    }

    /**
     * @param kvn the key version number, 1..255
     * @return this builder
     */
    public Builder keyVersion(int kvn) {
      if (kvn < 1 || kvn > 0xFF) {
        throw new ValidationException("keyVersion", "must be 1..255");
      }
      this.keyVersion = kvn;
      return this;
    }

    /**
     * @param variant the SCP02 "i"
     * @return this builder
     */
    public Builder scp02(Scp02Variant variant) {
      return version(new ScpVersion.Scp02Protocol(Objects.requireNonNull(variant, "variant")));
    }

    /**
     * @param i the SCP03 "i": 00, 10, 20, 30, 60 or 70, optionally with the S16 bit 01
     * @return this builder
     */
    public Builder scp03(int i) {
      return version(new ScpVersion.Scp03Protocol(i));
    }

    /**
     * @param version the protocol and "i" the card answers with
     * @return this builder
     */
    public Builder version(ScpVersion version) {
      this.version = Objects.requireNonNull(version, "version");
      return this;
    }

    /**
     * @param aid the AID the card answers as (pseudo-random challenges)
     * @return this builder
     */
    public Builder aid(Bytes aid) {
      Objects.requireNonNull(aid, "aid");
      this.selectedAid = () -> aid;
      return this;
    }

    /**
     * A card with several applications computes the pseudo-random challenge over the AID of the one
     * selected when INITIALIZE UPDATE arrives (GP Card Specification 2.2.1 Appendix E, SCP02 card challenge;
     * GP 2.3 Amendment D for SCP03).
     *
     * @param selected the AID selected now
     * @return this builder
     */
    public Builder aid(java.util.function.Supplier<Bytes> selected) {
      this.selectedAid = Objects.requireNonNull(selected, "selected");
      return this;
    }

    /**
     * @param random the source of random card challenges (a seeded one for reproducible tests)
     * @return this builder
     */
    public Builder random(Random random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * @param application what answers the plain commands
     * @return this builder
     */
    public Builder application(Function<CommandApdu, ResponseApdu> application) {
      this.application = Objects.requireNonNull(application, "application");
      return this;
    }

    /**
     * @param policy the empty-data rule the card follows
     * @return this builder
     */
    public Builder emptyDataEncryption(GpOptions.EmptyDataEncryption policy) {
      this.emptyData = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * @param policy the SCP03 counter rule the card follows
     * @return this builder
     */
    public Builder counterIncrement(GpOptions.CounterIncrement policy) {
      this.counterPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * @param failures failed EXTERNAL AUTHENTICATEs after which INITIALIZE UPDATE answers 6983; 0 never
     * @return this builder
     */
    public Builder lockAfter(int failures) {
      if (failures < 0) {
        throw new ValidationException("lockAfter", "must be >= 0");
      }
      this.lockAfter = failures;
      return this;
    }

    /**
     * @param counter the sequence counter before the first INITIALIZE UPDATE
     * @return this builder
     */
    public Builder sequenceCounter(int counter) {
      this.sequenceCounter = counter;
      return this;
    }

    /** @return the card */
    public ScpCard build() {
      return new ScpCard(this);
    }
  }
}
