package dev.perso.emv.cps;

import dev.perso.core.Bytes;
import dev.perso.core.CardStatusException;
import dev.perso.core.PersoException;
import dev.perso.core.ValidationException;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.channel.CardChannel;
import dev.perso.core.channel.GetResponse;
import dev.perso.core.event.PersoEvents;
import dev.perso.core.record.CardRecord;
import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.KeyRef;
import dev.perso.crypto.Padding;
import dev.perso.gp.GpOptions;
import dev.perso.gp.GpSecureChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Personalizes one card after another under EMV CPS: for each application in profile order it SELECTs
 * the application (or the Security Domain and then INSTALL [for personalization]), opens the profile's
 * GlobalPlatform secure channel, sends the profile's pre-commands, re-encrypts the sensitive DGIs from
 * the transport KEK to the card's DEK inside the crypto backend, streams STORE DATA (several DGIs per
 * command up to the channel's capacity, large DGIs split, P1 last/encrypted/format bits, P2 00..FF),
 * checks every status word, and sends the post-commands.
 *
 * <p>Several applications: each is personalized under its own rules ({@link CardProfile#forApplication}):
 * its own secure channel, Security Domain keys ({@link Builder#applicationKmc}) and DGI table when its
 * profile gives it some, the profile's otherwise. The applications of one card may also name different
 * profiles; profiles go in the order the card's data first names them, applications in profile order.
 *
 * <p>Any failure throws a typed {@link PersoException}: the card is to be rejected. KCV DGIs (e.g. 9000
 * for the keys in 8000) are checked against the keys before anything is sent, or computed when absent.
 *
 * <p>Padding: a DGI in clear is padded here per its profile rule. A DGI under the transport KEK never
 * exists in clear in the JVM, so data preparation must have applied the profile's padding rule for the
 * channel's block size (8 for SCP02, 16 for SCP03) before encrypting it; a misaligned value is rejected.
 * A PIN block under the KEK ({@link InputDgi#pinBlockUnderKek}) is the exception: the backend translates
 * it from its transport format to the ISO format 2 block under the DEK and pads that per the DGI's rule.
 *
 * <pre>{@code
 * CpsPersonalizer perso = CpsPersonalizer.builder(crypto)
 *     .profile(CardProfile.example("vsdc-example"), kmcTdes)   // each card type with its KMC
 *     .profile(CardProfile.example("mchip-example"), kmcAes)
 *     .transportKey("transport-kek", kek)
 *     .events(audit)
 *     .build();
 * PersoResult r = perso.personalize(readerChannel, record);   // throws PersoException: reject the card
 *
 * // one card type whose second application is in its own Security Domain, under SCP03 with its own KMC:
 * CardProfile twoApps = CardProfile.example("two-app-example");
 * CpsPersonalizer.builder(crypto).profile(twoApps, kmcTdes)
 *     .applicationKmc(twoApps, Bytes.fromHex("A0000000041010"), kmcAes)
 *     .transportKey("transport-kek", kek).build();
 * }</pre>
 */
public final class CpsPersonalizer {
  private final CryptoBackend crypto;
  private final Map<String, CardProfile> profiles;
  private final Map<String, KeyRef> kmcs;
  private final Map<String, Map<Bytes, KeyRef>> applicationKmcs;
  private final Map<String, KeyRef> transportKeys;
  private final PersoEvents events;
  private final Bytes hostChallenge;
  private final DgiPreparation dgis;
  private final KcvCheck kcvs;

  private CpsPersonalizer(Builder b) {
    this.hostChallenge = b.hostChallenge;
    this.crypto = b.crypto;
    this.profiles = Map.copyOf(b.profiles);
    this.kmcs = Map.copyOf(b.kmcs);
    Map<String, Map<Bytes, KeyRef>> own = new java.util.HashMap<>();
    b.applicationKmcs.forEach((name, byAid) -> own.put(name, Map.copyOf(byAid)));
    this.applicationKmcs = Map.copyOf(own);
    this.transportKeys = Map.copyOf(b.transportKeys);
    this.events = b.events;
    this.dgis = new DgiPreparation(transportKeys);
    this.kcvs = new KcvCheck(crypto, dgis);
  }

  /**
   * @param crypto the backend holding the KMCs and transport keys
   * @return a builder
   */
  public static Builder builder(CryptoBackend crypto) {
    return new Builder(crypto);
  }

  /**
   * Personalizes one card from its record's {@link ApplicationsSection applications} section.
   *
   * @param channel the channel to the card (a reader, a serial station, or a virtual card)
   * @param record the card's record
   * @return what was done
   * @throws PersoException naming what failed; the card must be rejected
   */
  public PersoResult personalize(CardChannel channel, CardRecord record) {
    return personalize(channel, record, ApplicationsSection.decode(record));
  }

  /** Personalizes a record whose applications are already decoded; messages name its location and id. */
  PersoResult personalize(CardChannel channel, CardRecord record, List<ApplicationData> applications) {
    return personalize(channel, record.id(), record.where(), applications);
  }

  /**
   * Personalizes one card.
   *
   * @param channel the channel to the card (a reader, a serial station, or a virtual card)
   * @param cardId the card's record id, for the audit and messages
   * @param applications the card's applications
   * @return what was done
   * @throws PersoException naming what failed; the card must be rejected
   */
  public PersoResult personalize(CardChannel channel, String cardId, List<ApplicationData> applications) {
    return personalize(channel, cardId, "card " + cardId, applications);
  }

  /** Fires personalizationStarted, then personalizationDone or personalizationFailed with the reason. */
  private PersoResult personalize(CardChannel channel, String cardId, String where,
      List<ApplicationData> applications) {
    long start = System.nanoTime();
    events.personalizationStarted(cardId);
    PersoResult r;
    try {
      r = personalizeCard(channel, cardId, where, applications, start);
    } catch (PersoException e) {
      events.personalizationFailed(cardId, e, Duration.ofNanos(System.nanoTime() - start));
      throw e;
    }
    events.personalizationDone(cardId, r.applications(), r.storeDataCommands(), r.elapsed());
    return r;
  }

  private PersoResult personalizeCard(CardChannel channel, String cardId, String where,
      List<ApplicationData> applications, long start) {
    List<String> audit = new ArrayList<>();
    List<String> done = new ArrayList<>();
    int commands = 0;
    CardChannel callers = channel::transmit;
    CardChannel base = callers.with(GetResponse.auto());
    // Each application under its own profile's rules, or its own within the profile (its SD's channel, keys,
    // DGI table); profiles in the order the card's data names them first, applications in profile order.
    for (CardProfile profile : profilesOf(where, applications)) {
      for (ApplicationProfile app : profile.applications()) {
        Optional<ApplicationData> data = applications.stream()
            .filter(a -> a.aid().equals(app.aid()) && a.profile().equals(profile.name())).findFirst();
        if (data.isEmpty()) {
          continue;
        }
        commands += personalizeApplication(base, cardId, where, profile.forApplication(app.aid()), app, data.get(),
            kmcOf(profile, app), audit, commands);
        done.add(app.aid().toHex());
      }
    }
    return new PersoResult(cardId, done, commands, audit, Duration.ofNanos(System.nanoTime() - start));
  }

  /** The profiles the card's applications name, in the order first named; each application must be in its own. */
  private List<CardProfile> profilesOf(String where, List<ApplicationData> applications) {
    if (applications.isEmpty()) {
      throw new ValidationException(where + " applications", "has no application");
    }
    List<CardProfile> named = new ArrayList<>();
    java.util.Set<Bytes> aids = new java.util.HashSet<>();
    for (ApplicationData a : applications) {
      CardProfile p = profiles.get(a.profile());
      if (p == null) {
        throw new ValidationException(where + " profile", "no profile named '" + a.profile()
            + "' (known: " + new java.util.TreeSet<>(profiles.keySet()) + ")");
      }
      if (p.application(a.aid()).isEmpty()) {
        throw new ValidationException(where + " application " + a.aid().toHex(),
            "not in profile " + p.name());
      }
      if (!aids.add(a.aid())) {
        throw new ValidationException(where + " application " + a.aid().toHex(), "appears twice on the card");
      }
      if (!named.contains(p)) {
        named.add(p);
      }
    }
    return named;
  }

  /** The KMC of the application's Security Domain: its own when given, else its profile's. */
  private KeyRef kmcOf(CardProfile profile, ApplicationProfile app) {
    KeyRef own = applicationKmcs.getOrDefault(profile.name(), Map.of()).get(app.aid());
    return own != null ? own : kmcs.get(profile.name());
  }

  /** {@code profile} is the application's rules ({@link CardProfile#forApplication}), {@code kmc} its SD's KMC. */
  private int personalizeApplication(CardChannel base, String cardId, String where, CardProfile profile,
      ApplicationProfile app, ApplicationData data, KeyRef kmc, List<String> audit, int acceptedBefore) {
    String who = app.aid().toHex();
    List<InputDgi> inputs = new ArrayList<>(data.dgis());
    kcvs.check(cardId, where + " application " + app.aid().toHex(), profile, inputs);   // before anything is sent to the card
    Bytes selectAid = app.securityDomainAid().orElse(app.aid());
    ResponseApdu sel = base.transmit(CommandApdu.of(0x00, 0xA4, 0x04, 0x00, selectAid, 256));
    note(cardId, audit, who + " SELECT " + selectAid.toHex() + " -> " + sel.sw().toHex());
    sel.requireSuccess("SELECT " + selectAid.toHex());

    SecureChannelProfile sc = profile.secureChannel();
    // The pseudo-random card challenge is the card's MAC over the AID selected now: the application's own
    // when the profile personalizes it directly, its security domain's otherwise.
    GpOptions.Builder options = sc.options(crypto, selectAid);
    if (hostChallenge != null) {
      options.hostChallenge(hostChallenge);
    }
    int commands = 0;
    try (GpSecureChannel secure = sc.open(base, kmc, options.build())) {
      note(cardId, audit, who + " secure channel open: " + sc);
      if (app.target() == ApplicationProfile.Target.SECURITY_DOMAIN) {
        Bytes installData = Bytes.concat(Bytes.fromHex("0000"), Bytes.ofUnsigned(app.aid().length()), app.aid(),
            Bytes.fromHex("000000"));
        check(secure.transmit(CommandApdu.of(0x80, 0xE6, 0x20, 0x00, installData)), "INSTALL [for personalization] " + who,
            cardId, where, audit);
      }
      for (ProfileCommand pre : profile.preCommands()) {
        checkProfileCommand(secure, pre, cardId, where, audit, who);
      }
      List<PreparedDgi> prepared = dgis.prepare(secure, where + " application " + who, profile, inputs, sc.version().blockSize());
      StoreDataPacker packer = StoreDataPacker.builder().capacity(secure.maxCommandData())
          .dgiFormatBit(profile.dgiFormatBit()).build();
      for (StoreDataBlock block : packer.pack(prepared)) {
        ResponseApdu r = secure.transmit(block.command());
        note(cardId, audit, who + " " + block + " -> " + r.sw().toHex());
        if (!r.isSuccess()) {
          throw new StoreDataException(where + " " + who + " STORE DATA block " + block.p2()
              + " " + block.dgis(), r.sw(), acceptedBefore + commands);
        }
        commands++;
      }
      for (ProfileCommand post : profile.postCommands()) {
        checkProfileCommand(secure, post, cardId, where, audit, who);
      }
    }
    return commands;
  }

  private void checkProfileCommand(CardChannel secure, ProfileCommand pc, String cardId, String where,
      List<String> audit, String who) {
    ResponseApdu r = secure.transmit(pc.command());
    note(cardId, audit, who + " " + pc.name() + " -> " + r.sw().toHex());
    if (!r.sw().equals(pc.expected())) {
      throw new CardStatusException(where + " " + who + " " + pc.name() + " (expected "
          + pc.expected().toHex() + ")", r.sw());
    }
  }

  private void check(ResponseApdu r, String what, String cardId, String where, List<String> audit) {
    note(cardId, audit, what + " -> " + r.sw().toHex());
    r.requireSuccess(where + " " + what);
  }

  private void note(String cardId, List<String> audit, String entry) {
    audit.add(entry);
    events.audit(cardId, entry);
  }

  /**
   * The backend operations personalizing a card of this profile needs.
   *
   * @param profile the card profile
   * @param transportKeys whether sensitive DGIs arrive under transport keys (translated, KCVs checked)
   * @return the operations
   */
  static java.util.Set<dev.perso.crypto.Operation> requiredOperations(CardProfile profile, boolean transportKeys) {
    java.util.Set<dev.perso.crypto.Operation> ops = java.util.EnumSet.of(dev.perso.crypto.Operation.ENCRYPT);
    SecureChannelProfile sc = profile.secureChannel();
    if (sc.version() instanceof dev.perso.gp.ScpVersion.Scp02Protocol) {
      ops.addAll(java.util.List.of(dev.perso.crypto.Operation.DERIVE_GP_SCP02, dev.perso.crypto.Operation.MAC_ISO9797_1_ALG1,
          dev.perso.crypto.Operation.MAC_ISO9797_1_ALG3));
    } else {
      ops.addAll(java.util.List.of(dev.perso.crypto.Operation.DERIVE_GP_SCP03, dev.perso.crypto.Operation.MAC_CMAC));
    }
    switch (sc.diversification()) {
      case "none": break;
      case "emv": ops.add(dev.perso.crypto.Operation.DERIVE_GP_EMV_CPS); break;
      case "visa2": ops.add(dev.perso.crypto.Operation.DERIVE_GP_VISA2); break;
      case "kdf3": ops.add(dev.perso.crypto.Operation.DERIVE_GP_KDF3); break;
      default: ops.add(dev.perso.crypto.Operation.DERIVE_GP_TEMPLATE);
    }
    if (transportKeys) {
      ops.add(dev.perso.crypto.Operation.TRANSLATE);
      ops.add(dev.perso.crypto.Operation.TRANSLATE_PIN_BLOCK);   // a PIN block DGI may arrive under the KEK
      if (!profile.kcvDgis().isEmpty()) {
        ops.add(dev.perso.crypto.Operation.KCV_UNDER_KEK);
      }
    }
    return ops;
  }

  /** Configures a {@link CpsPersonalizer}. */
  public static final class Builder {
    private final CryptoBackend crypto;
    private final Map<String, CardProfile> profiles = new LinkedHashMap<>();
    private final Map<String, KeyRef> kmcs = new LinkedHashMap<>();
    private final Map<String, Map<Bytes, KeyRef>> applicationKmcs = new LinkedHashMap<>();
    private final Map<String, KeyRef> transportKeys = new LinkedHashMap<>();
    private PersoEvents events = PersoEvents.NONE;
    private Bytes hostChallenge;

    private Builder(CryptoBackend crypto) {
      this.crypto = Objects.requireNonNull(crypto, "crypto");
    }

    /**
     * @param profile a card profile, found by its name
     * @param kmc the master key its cards' GP keys are diversified from (TDES for SCP02, AES for SCP03)
     * @return this builder
     */
    public Builder profile(CardProfile profile, KeyRef kmc) {
      profiles.put(profile.name(), profile);
      kmcs.put(profile.name(), Objects.requireNonNull(kmc, "kmc"));
      return this;
    }

    /**
     * The KMC of one application's Security Domain, for an application of a multi-application card type
     * that has a secure channel of its own ({@link ApplicationProfile#withSecureChannel}): its SD's keys are
     * diversified from this key instead of the profile's KMC. Give the profile first.
     *
     * @param profile a profile given with {@link #profile}
     * @param aid one of its applications
     * @param kmc the master key that application's Security Domain keys are diversified from
     * @return this builder
     */
    public Builder applicationKmc(CardProfile profile, Bytes aid, KeyRef kmc) {
      if (profiles.get(profile.name()) != profile) {
        throw new ValidationException("applicationKmc profile", "give profile " + profile.name() + " with profile(..) first");
      }
      profile.forApplication(aid);   // one of its applications, else a ValidationException naming it
      applicationKmcs.computeIfAbsent(profile.name(), n -> new LinkedHashMap<>()).put(aid, Objects.requireNonNull(kmc, "kmc"));
      return this;
    }

    /**
     * @param name the name perso data uses ({@code "kek"} field)
     * @param kek the key
     * @return this builder
     */
    public Builder transportKey(String name, KeyRef kek) {
      transportKeys.put(Objects.requireNonNull(name), Objects.requireNonNull(kek));
      return this;
    }

    /**
     * @param listener where audit lines and the card's personalizationStarted / Done / Failed go
     * @return this builder
     */
    public Builder events(PersoEvents listener) {
      this.events = Objects.requireNonNull(listener);
      return this;
    }

    /**
     * Fixes the INITIALIZE UPDATE host challenge, for offline dry runs and replayed traces only: a real
     * card session must use a fresh random challenge (the default).
     *
     * @param challenge 8 bytes (16 for SCP03 S16)
     * @return this builder
     */
    public Builder hostChallenge(Bytes challenge) {
      this.hostChallenge = Objects.requireNonNull(challenge);
      return this;
    }

    /** @return the personalizer */
    public CpsPersonalizer build() {
      if (profiles.isEmpty()) {
        throw new ValidationException("profiles", "at least one card profile is needed");
      }
      for (CardProfile p : profiles.values()) {
        // refuse at set-up a card type the backend cannot serve, not on the first card
        java.util.Set<dev.perso.crypto.Operation> missing = java.util.EnumSet.noneOf(dev.perso.crypto.Operation.class);
        for (ApplicationProfile app : p.applications()) {
          for (dev.perso.crypto.Operation op : requiredOperations(p.forApplication(app.aid()), !transportKeys.isEmpty())) {
            if (!crypto.supports(op)) {
              missing.add(op);
            }
          }
        }
        if (!missing.isEmpty()) {
          throw new ValidationException("profile " + p.name(), "backend '" + crypto.id() + "' does not offer "
              + missing + ", so it cannot personalize this card type");
        }
        for (ApplicationProfile app : p.applications()) {
          // an application in its own SD under SCP03 while the card's ISD is SCP02 needs an AES KMC of its own
          KeyRef own = applicationKmcs.getOrDefault(p.name(), Map.of()).get(app.aid());
          boolean aes = p.forApplication(app.aid()).secureChannel().version().aes();
          if (app.secureChannel().isPresent() && (own != null ? own : kmcs.get(p.name())).algorithm().isAes() != aes) {
            throw new ValidationException("profile " + p.name() + " application " + app.aid().toHex() + " kmc",
                "its secure channel " + app.secureChannel().get() + " needs " + (aes ? "an AES" : "a TDES")
                + " KMC: give it with applicationKmc(..)");
          }
        }
      }
      return new CpsPersonalizer(this);
    }
  }
}
