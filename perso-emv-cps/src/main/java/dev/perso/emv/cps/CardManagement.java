package dev.perso.emv.cps;

import com.fasterxml.jackson.databind.JsonNode;
import dev.perso.core.Bytes;
import dev.perso.core.PersoException;
import dev.perso.core.ValidationException;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.channel.CardChannel;
import dev.perso.core.step.CardTypes;
import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.KeyLookup;
import dev.perso.crypto.KeyRef;
import dev.perso.crypto.KeyUsage;
import dev.perso.gp.CardLifeCycle;
import dev.perso.gp.Diversification;
import dev.perso.gp.GpCardManager;
import dev.perso.gp.GpKeys;
import dev.perso.gp.GpOptions;
import dev.perso.gp.GpSecureChannel;
import dev.perso.gp.KeyRotationException;
import dev.perso.gp.RegistryEntry;
import dev.perso.gp.StatusScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * What a card type does to a chip's GlobalPlatform content around EMV CPS personalization, in this order:
 * instantiate applications (before STORE DATA), then rotate the Security Domain keys from the transport
 * KMC to the issuer's KMC (diversified per card) and set the final card life cycle (after STORE DATA), and
 * at verification reopen the secure channel with the new keys and check the life cycle. Nothing that can
 * lock or terminate a card is sent unless {@code allowLocking} is set. Immutable.
 *
 * <pre>{@code
 * "cardManagement": {
 *   "install": [{"loadFile": "A000000003", "module": "A0000000031010", "instance": "A0000000031010"}],
 *   "rotateKeys": {"kmc": "demo-issuer-kmc", "diversification": "emv", "keyVersion": 2},
 *   "cardLifeCycle": "SECURED"
 * }
 * }</pre>
 *
 * <p>{@code install} entries take {@code privileges} (hex, default {@code 000000}) and {@code parameters}
 * (hex value of tag C9, default empty); {@code rotateKeys.method} is {@code put-key} (default) or
 * {@code store-data} (GP 2.3 DGIs 00B9/8113); {@code rotateKeys.diversification} defaults to the
 * profile's.
 */
public final class CardManagement {
  private static final Set<String> MEMBERS = Set.of("install", "rotateKeys", "cardLifeCycle", "allowLocking");

  /**
   * One application to instantiate.
   *
   * @param loadFile the package AID
   * @param module the applet class AID
   * @param instance the instance AID
   * @param privileges 1 or 3 privilege bytes
   * @param parameters the value of install parameter C9
   */
  public record Install(Bytes loadFile, Bytes module, Bytes instance, Bytes privileges, Bytes parameters) {}

  /**
   * A key rotation.
   *
   * @param issuerKmc the issuer's KMC
   * @param diversification how the card keys come from it
   * @param keyVersion the new key version
   * @param storeData true for STORE DATA key loading, false for PUT KEY
   */
  public record Rotation(KeyRef issuerKmc, Diversification diversification, int keyVersion, boolean storeData) {
    /** Checks the version and KMC. */
    public Rotation {
      Objects.requireNonNull(issuerKmc, "issuerKmc");
      Objects.requireNonNull(diversification, "diversification");
      if (keyVersion < 1 || keyVersion > 0x7F) {
        throw new ValidationException("keyVersion", "must be 1..127");
      }
    }
  }

  private final List<Install> installs;
  private final Optional<Rotation> rotation;
  private final Optional<CardLifeCycle> cardLifeCycle;
  private final boolean allowLocking;

  /**
   * @param installs applications to instantiate
   * @param rotation the key rotation, if any
   * @param cardLifeCycle the final card state, if any
   * @param allowLocking true to allow CARD_LOCKED / TERMINATED
   */
  public CardManagement(List<Install> installs, Optional<Rotation> rotation, Optional<CardLifeCycle> cardLifeCycle,
      boolean allowLocking) {
    this.installs = List.copyOf(installs);
    this.rotation = Objects.requireNonNull(rotation, "rotation");
    this.cardLifeCycle = Objects.requireNonNull(cardLifeCycle, "cardLifeCycle");
    this.allowLocking = allowLocking;
    if (cardLifeCycle.map(CardLifeCycle::stopsCard).orElse(false) && !allowLocking) {
      throw new ValidationException("cardLifeCycle", cardLifeCycle.get() + " takes the card out of use: set "
          + "\"allowLocking\": true to really want it");
    }
  }

  /** @return the applications to instantiate */
  public List<Install> installs() {
    return installs;
  }

  /** @return the key rotation */
  public Optional<Rotation> rotation() {
    return rotation;
  }

  /** @return the final card life-cycle state */
  public Optional<CardLifeCycle> cardLifeCycle() {
    return cardLifeCycle;
  }

  /**
   * Reads the {@code cardManagement} member of an {@code emv-cps} step.
   *
   * @param node the member's value
   * @param at its JSON path, for errors
   * @param keys resolves {@code rotateKeys.kmc}
   * @param profileDiversification the profile's diversification, the default
   * @return the plan
   * @throws ValidationException naming the JSON path
   */
  public static CardManagement fromJson(JsonNode node, String at, KeyLookup keys, String profileDiversification) {
    if (!node.isObject()) {
      throw new ValidationException(at, "must be an object");
    }
    CardTypes.requireOnly(node, at, MEMBERS);
    List<Install> installs = new ArrayList<>();
    JsonNode list = node.get("install");
    if (list != null) {
      if (!list.isArray()) {
        throw new ValidationException(at + ".install", "must be an array");
      }
      for (int n = 0; n < list.size(); n++) {
        JsonNode i = list.get(n);
        String where = at + ".install[" + n + "]";
        CardTypes.requireOnly(i, where, Set.of("loadFile", "module", "instance", "privileges", "parameters"));
        installs.add(new Install(hex(i, "loadFile", where, true, null), hex(i, "module", where, true, null),
            hex(i, "instance", where, true, null), hex(i, "privileges", where, false, "000000"),
            hex(i, "parameters", where, false, "")));
      }
    }
    Optional<Rotation> rotation = Optional.empty();
    JsonNode r = node.get("rotateKeys");
    if (r != null) {
      String where = at + ".rotateKeys";
      CardTypes.requireOnly(r, where, Set.of("kmc", "diversification", "keyVersion", "method"));
      JsonNode kmc = r.get("kmc");
      if (kmc == null || !kmc.isTextual()) {
        throw new ValidationException(where + ".kmc", "is required (a key label)");
      }
      JsonNode kvn = r.get("keyVersion");
      if (kvn == null || !kvn.isInt() || kvn.asInt() < 1 || kvn.asInt() > 0x7F) {
        throw new ValidationException(where + ".keyVersion", "is required, an integer 1..127");
      }
      String method = r.has("method") ? r.get("method").asText() : "put-key";
      if (!method.equals("put-key") && !method.equals("store-data")) {
        throw new ValidationException(where + ".method", "must be put-key or store-data");
      }
      Diversification d;
      try {
        d = Diversification.named(r.has("diversification") ? r.get("diversification").asText() : profileDiversification);
      } catch (ValidationException e) {
        throw new ValidationException(where + ".diversification", e.rule());
      }
      rotation = Optional.of(new Rotation(keys.require(kmc.asText(), where + ".kmc", KeyUsage.KMC), d, kvn.asInt(),
          method.equals("store-data")));
    }
    Optional<CardLifeCycle> state = Optional.empty();
    if (node.has("cardLifeCycle")) {
      try {
        state = Optional.of(CardLifeCycle.named(node.get("cardLifeCycle").asText()));
      } catch (ValidationException e) {
        throw new ValidationException(at + ".cardLifeCycle", e.rule());
      }
    }
    JsonNode lock = node.get("allowLocking");
    if (lock != null && !lock.isBoolean()) {
      throw new ValidationException(at + ".allowLocking", "must be true or false");
    }
    try {
      return new CardManagement(installs, rotation, state, lock != null && lock.asBoolean());
    } catch (ValidationException e) {
      throw new ValidationException(at + "." + e.field(), e.rule());
    }
  }

  private static Bytes hex(JsonNode n, String member, String at, boolean required, String dflt) {
    JsonNode v = n.get(member);
    if (v == null) {
      if (required) {
        throw new ValidationException(at + "." + member, "is required (hex)");
      }
      return Bytes.fromHex(dflt);
    }
    try {
      return Bytes.fromHex(v.asText());
    } catch (PersoException e) {
      throw new ValidationException(at + "." + member, "must be hex");
    }
  }

  /**
   * Instantiates the applications the card does not have yet (GET STATUS first, so a retried card is not
   * refused), under the transport keys.
   *
   * @param base the card channel
   * @param crypto the backend
   * @param profile the profile (secure channel)
   * @param transportKmc the KMC the card's ISD keys come from
   * @param note receives one line per command sent (no secrets)
   */
  public void instantiate(CardChannel base, CryptoBackend crypto, CardProfile profile, KeyRef transportKmc,
      BiConsumer<String, String> note) {
    if (installs.isEmpty()) {
      return;
    }
    try (GpSecureChannel isd = open(base, crypto, profile, transportKeys(profile, transportKmc))) {
      GpCardManager gp = manager(isd, crypto);
      List<Bytes> present = gp.status(StatusScope.APPLICATIONS).stream().map(RegistryEntry::aid).toList();
      for (Install i : installs) {
        if (present.contains(i.instance())) {
          note.accept("gp", "application " + i.instance().toHex() + " already installed");
          continue;
        }
        gp.install(i.loadFile(), i.module(), i.instance(), i.privileges(), i.parameters());
        note.accept("gp", "INSTALL " + i.instance().toHex() + " from " + i.loadFile().toHex());
      }
    }
  }

  /**
   * Rotates the keys and sets the final card state, in one secure channel opened with the transport keys
   * (after PUT KEY the open session keeps its session keys, GP 2.3.1 §11.8.2.3.3).
   *
   * @param base the card channel
   * @param crypto the backend
   * @param profile the profile (secure channel)
   * @param transportKmc the KMC the card's ISD keys come from
   * @param note receives one line per command sent and the new key version
   * @throws KeyRotationException when anything fails after the keys changed, saying which keys the card holds
   */
  public void finish(CardChannel base, CryptoBackend crypto, CardProfile profile, KeyRef transportKmc,
      BiConsumer<String, String> note) {
    if (rotation.isEmpty() && cardLifeCycle.isEmpty()) {
      return;
    }
    try (GpSecureChannel isd = open(base, crypto, profile, transportKeys(profile, transportKmc))) {
      GpCardManager gp = manager(isd, crypto);
      Integer rotatedTo = null;
      if (rotation.isPresent()) {
        Rotation r = rotation.get();
        GpKeys issuer = GpKeys.diversified(r.issuerKmc(), r.diversification()).withLabel("issuer KMC");
        GpCardManager.KeyRotation done = r.storeData() ? gp.storeDataKeys(issuer, r.keyVersion())
            : gp.putKeys(issuer, r.keyVersion());
        rotatedTo = done.newKeyVersion();
        if (r.storeData() && done.oldKeyVersion() != done.newKeyVersion()) {
          try {
            gp.deleteKeySet(done.oldKeyVersion()); // STORE DATA adds: the transport set goes explicitly
          } catch (PersoException e) {
            throw new KeyRotationException("deleting the transport key set failed: " + e.getMessage(),
                KeyRotationException.Holding.NEW_KEYS, rotatedTo, e);
          }
        }
        note.accept("gp.keyVersion", String.format("%02X", rotatedTo));
      }
      try {
        cardLifeCycle.ifPresent(s -> {
          gp.setCardStatus(s);
          note.accept("gp", "SET STATUS card " + s);
        });
      } catch (PersoException e) {
        if (rotatedTo == null) {
          throw e;
        }
        throw new KeyRotationException("setting the card life cycle after the key rotation failed: " + e.getMessage(),
            KeyRotationException.Holding.NEW_KEYS, rotatedTo, e);
      }
    }
  }

  /**
   * Reopens the secure channel with the keys the card should now hold and checks its life cycle (GET STATUS
   * of the ISD).
   *
   * @param base the card channel
   * @param crypto the backend
   * @param profile the profile
   * @param transportKmc the KMC used when there is no rotation
   * @return what was checked, for the audit
   * @throws KeyRotationException if the new keys do not open the card
   */
  public List<String> verify(CardChannel base, CryptoBackend crypto, CardProfile profile, KeyRef transportKmc) {
    if (rotation.isEmpty() && cardLifeCycle.isEmpty()) {
      return List.of();
    }
    List<String> checked = new ArrayList<>();
    GpKeys keys = rotation.map(r -> GpKeys.diversified(r.issuerKmc(), r.diversification()).withKeyVersion(r.keyVersion()))
        .orElse(transportKeys(profile, transportKmc));
    GpSecureChannel isd;
    try {
      isd = open(base, crypto, profile, keys);
    } catch (PersoException e) {
      int kvn = rotation.map(Rotation::keyVersion).orElse(0);
      throw new KeyRotationException("the new keys do not open the card: " + e.getMessage(),
          KeyRotationException.Holding.UNKNOWN, kvn, e);
    }
    try (isd) {
      checked.add(String.format("secure channel reopened with key version %02X",
          isd.initializeUpdateResponse().keyVersion()));
      if (cardLifeCycle.isPresent()) {
        int state = manager(isd, crypto).status(StatusScope.ISD).get(0).lifeCycle();
        if (state != cardLifeCycle.get().code()) {
          throw new ValidationException("cardLifeCycle", String.format("the card reports %02X, expected %s", state,
              cardLifeCycle.get()));
        }
        checked.add("card life cycle " + cardLifeCycle.get());
      }
    }
    return checked;
  }

  private GpCardManager manager(GpSecureChannel isd, CryptoBackend crypto) {
    GpCardManager.Builder b = GpCardManager.builder(isd, crypto);
    if (allowLocking) {
      b.allowLocking();
    }
    return b.build();
  }

  private static GpKeys transportKeys(CardProfile profile, KeyRef kmc) {
    return profile.secureChannel().keys(kmc);
  }

  /** SELECT the ISD and open the profile's secure channel with {@code keys}. */
  static GpSecureChannel open(CardChannel base, CryptoBackend crypto, CardProfile profile, GpKeys keys) {
    base.transmit(CommandApdu.of(0x00, 0xA4, 0x04, 0x00, GpOptions.ISD_AID, 256)).requireSuccess("SELECT ISD");
    SecureChannelProfile sc = profile.secureChannel();
    return sc.open(base, keys, sc.options(crypto, GpOptions.ISD_AID).build());
  }

  @Override
  public String toString() {
    return "CardManagement[" + installs.size() + " install(s)"
        + rotation.map(r -> String.format(", rotate to KVN %02X (%s)", r.keyVersion(),
            r.storeData() ? "STORE DATA" : "PUT KEY")).orElse("")
        + cardLifeCycle.map(s -> ", card " + s.name().toLowerCase(Locale.ROOT)).orElse("") + "]";
  }
}
