package dev.perso.emv.cps;

import dev.perso.core.Bytes;
import dev.perso.core.DeviceException;
import dev.perso.core.DeviceFault;
import dev.perso.core.TransportException;
import dev.perso.core.ValidationException;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.card.VirtualCard;
import dev.perso.core.channel.CardChannel;
import dev.perso.core.device.CardTag;
import dev.perso.core.device.ChipSession;
import dev.perso.core.device.ChipStation;
import dev.perso.core.device.DeviceRole;
import dev.perso.core.event.PersoEvents;
import dev.perso.core.record.CardRecord;
import dev.perso.core.step.PersoStep;
import dev.perso.core.step.StepContext;
import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.KeyRef;
import dev.perso.emv.card.VirtualEmvCard;
import dev.perso.gp.Cplc;
import dev.perso.gp.KeyRotationException;
import dev.perso.gp.card.VirtualIsd;
import dev.perso.core.PersoException;
import java.util.function.BiConsumer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The EMV CPS step of a card type: claims the record's {@link ApplicationsSection applications} section,
 * needs a {@link DeviceRole#CHIP_STATION chip station}, personalizes the chip with {@link CpsPersonalizer}
 * under one {@link CardProfile} and its KMC and, when configured, verifies it with {@link CardVerifier}
 * (read back and an ARQC checked with the issuer master key).
 *
 * <p>The card counts as written from the first command that can change it: anything but SELECT,
 * INITIALIZE UPDATE, EXTERNAL AUTHENTICATE, GET DATA, GET STATUS, READ RECORD and GET RESPONSE (in practice the first
 * STORE DATA). A transport failure before that is a {@link DeviceFault#CHIP_CONTACT_ERROR} of the station,
 * so the line may retry the card elsewhere; card errors ({@link dev.perso.core.CardStatusException},
 * {@link dev.perso.core.SecureChannelException}) and every failure after a write propagate as they are.
 *
 * <pre>{@code
 * CpsStep chip = CpsStep.builder(crypto, CardProfile.example("vsdc-example"), kmc)
 *     .transportKey("transport-kek", kek)
 *     .verifyWith(imkAc)
 *     .build();
 * CardType type = CardType.builder("chip-example").step(chip).build();
 * }</pre>
 */
public final class CpsStep implements PersoStep {
  /** The step type and default name. */
  public static final String TYPE = "emv-cps";

  private static final Set<Integer> READ_ONLY_INS = Set.of(0xA4, 0x50, 0x82, 0xCA, 0xCB, 0xB2, 0xC0, 0xF2);

  private final String name;
  private final CryptoBackend crypto;
  private final CardProfile profile;
  private final KeyRef kmc;
  private final Map<Bytes, KeyRef> applicationKmcs;
  private final Map<String, KeyRef> transportKeys;
  private final KeyRef imkAc;
  private final CardVerifier verifier;
  private final CardManagement management;
  /** The personalizer for the events listener of the running job, built once per listener, not per card. */
  private volatile Personalizer personalizer;

  private record Personalizer(PersoEvents events, CpsPersonalizer personalizer) {}

  private CpsStep(Builder b) {
    this.name = b.name;
    this.crypto = b.crypto;
    this.profile = b.profile;
    this.kmc = b.kmc;
    this.applicationKmcs = Map.copyOf(b.applicationKmcs);
    this.transportKeys = Map.copyOf(b.transportKeys);
    this.imkAc = b.imkAc;
    if (imkAc == null) {
      this.verifier = null;
    } else {
      CardVerifier.Builder vb = CardVerifier.builder(crypto, imkAc);
      b.imkAcs.forEach(vb::imkAc);
      this.verifier = vb.build();
    }
    this.management = b.management;
  }

  /**
   * @param crypto the backend holding the keys
   * @param profile the card profile every record of this card type uses
   * @param kmc the KMC the cards' GP keys are diversified from (TDES for SCP02, AES for SCP03)
   * @return a builder
   */
  public static Builder builder(CryptoBackend crypto, CardProfile profile, KeyRef kmc) {
    return new Builder(crypto, profile, kmc);
  }

  /** @return the card profile */
  public CardProfile profile() {
    return profile;
  }

  /** @return whether the card is verified after personalization */
  public boolean verifies() {
    return imkAc != null;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<DeviceRole<?>> roles() {
    return Set.of(DeviceRole.CHIP_STATION);
  }

  @Override
  public Set<String> sections() {
    return Set.of(ApplicationsSection.NAME);
  }

  /**
   * Checks what can be checked without a card: the section decodes, each application names this step's
   * profile and is one of its applications, DGIs under a transport key are configured, encrypted by the
   * profile and whole cipher blocks, and clear DGIs the profile encrypts without padding are whole blocks.
   */
  @Override
  public void validate(CardRecord record) {
    List<ApplicationData> apps = ApplicationsSection.decode(record);
    for (int i = 0; i < apps.size(); i++) {
      ApplicationData a = apps.get(i);
      String at = record.where() + " " + ApplicationsSection.NAME + "[" + i + "]";
      if (!a.profile().equals(profile.name())) {
        throw new ValidationException(at + " profile", "the card type's step " + name + " uses profile "
            + profile.name());
      }
      if (profile.application(a.aid()).isEmpty()) {
        throw new ValidationException(at + " aid", "not an application of profile " + profile.name());
      }
      CardProfile rules = profile.forApplication(a.aid());   // the application's own channel and DGI table, if any
      int blockSize = rules.secureChannel().version().blockSize();
      for (Map.Entry<Integer, KcvRule> kcv : rules.kcvRules().entrySet()) {
        Optional<InputDgi> keys = a.dgis().stream().filter(d -> d.dgi().id() == kcv.getValue().keyDgi()).findFirst();
        if (keys.isPresent()) {
          int index = a.dgis().indexOf(keys.get());
          KcvCheck.checkKcvLength(at + " dgis[" + index + "] data", at, kcv.getValue(),
              a.dgis().stream().filter(d -> d.dgi().id() == kcv.getKey()).findFirst().map(InputDgi::dgi).orElse(null),
              keys.get().dgi());
        }
      }
      for (int j = 0; j < a.dgis().size(); j++) {
        InputDgi d = a.dgis().get(j);
        String dat = at + " dgis[" + j + "]";
        DgiEncryption rule = rules.encryptionOf(d.dgi().id());
        int length = d.dgi().value().length();
        if (d.transportKey().isPresent()) {
          if (!transportKeys.containsKey(d.transportKey().get())) {
            throw new ValidationException(dat + " kek", "transport key '" + d.transportKey().get()
                + "' is not configured (known: " + new TreeSet<>(transportKeys.keySet()) + ")");
          }
          if (!rule.encrypted()) {
            throw new ValidationException(dat + " kek", "profile " + profile.name() + " sends DGI "
                + d.dgi().idHex() + " in clear; it will not be decrypted in the JVM");
          }
          if (d.pinBlockFormat().isPresent()) {
            // translated to format 2 under the DEK and padded by the personalizer: its padding rule must allow it
            DgiPreparation.pinBlockPadding(rule, blockSize, dat + " data");
          } else if (length % blockSize != 0) {
            throw new ValidationException(dat + " data", length + " bytes under a transport key are not whole "
                + blockSize + "-byte blocks");
          }
        } else if (rule == DgiEncryption.ENCRYPTED && (length == 0 || length % blockSize != 0)) {
          throw new ValidationException(dat + " data", length + " bytes are not whole " + blockSize
              + "-byte blocks and profile " + profile.name() + " forbids padding DGI " + d.dgi().idHex());
        }
      }
    }
  }

  @Override
  public void run(StepContext ctx) {
    CardRecord record = ctx.record();
    List<ApplicationData> apps = ApplicationsSection.decode(record);
    CpsPersonalizer personalizer = personalizerFor(ctx.events());
    ChipStation station = ctx.device(DeviceRole.CHIP_STATION);
    try (ChipSession chip = station.power(ctx.card())) {
      CardChannel channel = new WriteMarking(chip.channel(), ctx, station.id());
      BiConsumer<String, String> note = (key, value) -> {
        if (key.equals("gp.keyVersion")) {
          ctx.stageOutput(key, value); // the journal keeps the key version, never the keys
          ctx.events().audit(record.id(), "gp key version now " + value);
        } else {
          ctx.events().audit(record.id(), value);
        }
      };
      if (management != null) {
        management.instantiate(channel, crypto, profile, kmc, note);
      }
      personalizer.personalize(channel, record, apps);
      ctx.checkCancelled();
      if (management != null) {
        management.finish(channel, crypto, profile, kmc, note);
      }
      try {
        if (verifier != null) {
          verifier.verify(channel, record.id(), apps);
        }
        if (management != null) {
          management.verify(channel, crypto, profile, kmc);
        }
      } catch (KeyRotationException e) {
        throw e;
      } catch (PersoException e) {
        if (management == null || management.rotation().isEmpty()) {
          throw e;
        }
        throw new KeyRotationException("verification after the key rotation failed: " + e.getMessage(),
            KeyRotationException.Holding.NEW_KEYS, management.rotation().get().keyVersion(), e);
      }
    }
  }

  /** @return the GlobalPlatform card management this step runs around personalization, if any */
  public Optional<CardManagement> cardManagement() {
    return Optional.ofNullable(management);
  }

  /**
   * A blank {@link VirtualEmvCard} of this step's profile under its KMC, with the card's serial as its key
   * diversification data, for virtual chip stations.
   */
  private CpsPersonalizer personalizerFor(PersoEvents events) {
    Personalizer p = personalizer;
    if (p == null || p.events() != events) {
      CpsPersonalizer.Builder b = CpsPersonalizer.builder(crypto).profile(profile, kmc).events(events);
      applicationKmcs.forEach((aid, key) -> b.applicationKmc(profile, aid, key));
      transportKeys.forEach(b::transportKey);
      p = new Personalizer(events, b.build());
      personalizer = p;
    }
    return p.personalizer();
  }

  @Override
  public Optional<Function<CardTag, VirtualCard>> virtualCardStock() {
    return Optional.of(card -> {
      // Each blank chip has its own CPLC: the example's, numbered by the card's serial (IC serial number), so
      // that a later stage can tell the chips apart by GET DATA 9F7F as it would real ones.
      VirtualEmvCard.Builder b = VirtualEmvCard.builder(crypto, kmc, profile)
          .kdd(Bytes.fromHex(String.format("%020d", card.serial())))
          .cplc(VirtualIsd.EXAMPLE_CPLC.with(Cplc.Field.IC_SERIAL_NUMBER,
              Bytes.fromHex(String.format("%08X", card.serial() & 0xFFFFFFFFL))));
      applicationKmcs.forEach(b::applicationKmc);
      if (management != null && !management.installs().isEmpty()) {
        b.loadedOnly(); // the card type instantiates the applications itself
      }
      return b.build();
    });
  }

  @Override
  public String toString() {
    return "CpsStep[" + name + ", profile " + profile.name() + (imkAc != null ? ", verify" : "") + "]";
  }

  /** Marks the card written before the first command that can change it; maps early transport failures. */
  private static final class WriteMarking implements CardChannel {
    private final CardChannel channel;
    private final StepContext ctx;
    private final String station;

    WriteMarking(CardChannel channel, StepContext ctx, String station) {
      this.channel = channel;
      this.ctx = ctx;
      this.station = station;
    }

    @Override
    public ResponseApdu transmit(CommandApdu command) {
      if (!ctx.written() && !READ_ONLY_INS.contains(command.ins())) {
        ctx.markWritten();
      }
      try {
        return channel.transmit(command);
      } catch (TransportException e) {
        if (ctx.written()) {
          throw e;
        }
        throw new DeviceException(station, DeviceFault.CHIP_CONTACT_ERROR, "no answer from the card before any "
            + "write: " + e.getMessage(), e);
      }
    }
  }

  /** Configures a {@link CpsStep}. */
  public static final class Builder {
    private final CryptoBackend crypto;
    private final CardProfile profile;
    private final KeyRef kmc;
    private final Map<String, KeyRef> transportKeys = new LinkedHashMap<>();
    private String name = TYPE;
    private KeyRef imkAc;
    private final Map<Bytes, KeyRef> imkAcs = new LinkedHashMap<>();
    private final Map<Bytes, KeyRef> applicationKmcs = new LinkedHashMap<>();
    private CardManagement management;

    private Builder(CryptoBackend crypto, CardProfile profile, KeyRef kmc) {
      this.crypto = Objects.requireNonNull(crypto, "crypto");
      this.profile = Objects.requireNonNull(profile, "profile");
      this.kmc = Objects.requireNonNull(kmc, "kmc");
    }

    /**
     * @param value the step's name in its card type (default {@code emv-cps})
     * @return this builder
     */
    public Builder name(String value) {
      if (value == null || value.isBlank()) {
        throw new ValidationException("name", "a step needs a name");
      }
      this.name = value;
      return this;
    }

    /**
     * @param keyName the name records use in a DGI's {@code kek}
     * @param kek the transport key
     * @return this builder
     */
    public Builder transportKey(String keyName, KeyRef kek) {
      transportKeys.put(Objects.requireNonNull(keyName, "keyName"), Objects.requireNonNull(kek, "kek"));
      return this;
    }

    /**
     * Verifies each card after personalization (read back and GENERATE AC, ARQC checked with the key).
     *
     * @param issuerMasterKeyAc the issuer master key for application cryptograms
     * @return this builder
     */
    public Builder verifyWith(KeyRef issuerMasterKeyAc) {
      this.imkAc = Objects.requireNonNull(issuerMasterKeyAc, "issuerMasterKeyAc");
      return this;
    }

    /**
     * The issuer key of one application of a multi-application card type, for verification (the key of
     * {@link #verifyWith(KeyRef)} serves the others).
     *
     * @param aid the application
     * @param issuerMasterKeyAc its issuer master key for application cryptograms
     * @return this builder
     */
    public Builder verifyWith(Bytes aid, KeyRef issuerMasterKeyAc) {
      imkAcs.put(Objects.requireNonNull(aid, "aid"), Objects.requireNonNull(issuerMasterKeyAc, "issuerMasterKeyAc"));
      return this;
    }

    /**
     * The KMC of the Security Domain of an application with a secure channel of its own
     * ({@link ApplicationProfile#withSecureChannel}); the step's KMC serves the others.
     *
     * @param aid one of the profile's applications
     * @param applicationKmc its Security Domain's master key
     * @return this builder
     */
    public Builder applicationKmc(Bytes aid, KeyRef applicationKmc) {
      profile.forApplication(aid);   // one of the profile's applications, else a ValidationException naming it
      applicationKmcs.put(aid, Objects.requireNonNull(applicationKmc, "applicationKmc"));
      return this;
    }

    /**
     * GlobalPlatform card management around personalization: instantiate applications first, rotate keys and
     * set the final life cycle after STORE DATA, reopen with the new keys at verification.
     *
     * @param value the plan
     * @return this builder
     */
    public Builder cardManagement(CardManagement value) {
      this.management = Objects.requireNonNull(value, "cardManagement");
      return this;
    }

    /** @return the step */
    public CpsStep build() {
      if (!imkAcs.isEmpty() && imkAc == null) {
        throw new ValidationException("verifyWith", "give the card's issuer key with verifyWith(key) too");
      }
      return new CpsStep(this);
    }
  }
}
