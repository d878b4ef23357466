package dev.perso.emv.card;

import dev.perso.core.Bytes;
import dev.perso.core.PersoException;
import dev.perso.core.TransportException;
import dev.perso.core.ValidationException;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.card.VirtualCard;
import dev.perso.core.tlv.Tlv;
import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.KeyRef;
import dev.perso.emv.cps.CardProfile;
import dev.perso.emv.cps.DgiAssembler;
import dev.perso.emv.cps.DgiEncryption;
import dev.perso.emv.cps.PreparedDgi;
import dev.perso.emv.cps.SecureChannelProfile;
import dev.perso.emv.cps.StoreDataBlock;
import dev.perso.gp.Diversification;
import dev.perso.gp.GpKeys;
import dev.perso.gp.GpOptions;
import dev.perso.gp.Scp02Variant;
import dev.perso.gp.card.ScpCard;
import dev.perso.gp.CardLifeCycle;
import dev.perso.gp.card.VirtualIsd;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A virtual GlobalPlatform card with EMV applications, for tests and demos: an Issuer Security Domain
 * with SCP02 or SCP03 card-side keys diversified from a KMC with the card's KDD, applications that
 * accept EMV CPS personalization, and afterwards a basic EMV card built from the stored DGIs.
 *
 * <ul>
 *   <li>SELECT of the ISD or an application; INITIALIZE UPDATE and EXTERNAL AUTHENTICATE (through
 *       {@link ScpCard}, which checks the host cryptogram and every C-MAC);</li>
 *   <li>INSTALL [for personalization] from the ISD (GP Card Spec 2.3.1 §11.5.2.3);</li>
 *   <li>STORE DATA under an authenticated channel only: the block number must follow 00, 01...; DGIs
 *       split across blocks are reassembled; encrypted DGIs are decrypted with the channel's DEK and
 *       their padding removed per the profile; the last block moves the application from SELECTABLE to
 *       PERSONALIZED, after which STORE DATA is refused ({@code 6985});</li>
 *   <li>once personalized: SELECT returns the FCI, GET PROCESSING OPTIONS, READ RECORD, GET DATA,
 *       VERIFY (plaintext offline PIN against DGI 8010) and GENERATE AC (an ARQC from the DGI 8000 AC key)
 *       work.</li>
 * </ul>
 * {@link Fault}s can be switched on to test rejection paths.
 *
 * <p>Several Security Domains: an application of the profile with a secure channel of its own
 * ({@link dev.perso.emv.cps.ApplicationProfile#withSecureChannel}) is in its own Security Domain (GP Card
 * Spec 2.3.1 §7.2), with keys diversified from its own KMC ({@link Builder#applicationKmc}): the
 * Supplementary Security Domain it names, which is then selectable and takes INSTALL [for personalization]
 * for its applications only, or, for an application selected itself, the SD it forwards INITIALIZE UPDATE
 * to. Each answers INITIALIZE UPDATE with its own SCP, "i" and key set; the ISD keeps the card's.
 *
 * <pre>{@code
 * CardProfile vsdc = CardProfile.example("vsdc-example");
 * VirtualEmvCard card = VirtualEmvCard.builder(crypto, kmc, vsdc).kdd(Bytes.fromHex("00000000000000000001")).build();
 * CpsPersonalizer.builder(crypto).profile(vsdc, kmc).transportKey("transport-kek", kek).build()
 *     .personalize(VirtualCard.connect(card), cardRecord);
 * card.state(Bytes.fromHex("A0000000031010"));   // PERSONALIZED
 *
 * // two applications in different Security Domains: SCP02 under the ISD, SCP03 in an SSD with an AES KMC
 * CardProfile twoApps = CardProfile.example("two-app-example");
 * VirtualEmvCard both = VirtualEmvCard.builder(crypto, kmcTdes, twoApps)
 *     .applicationKmc(Bytes.fromHex("A0000000041010"), kmcAes).build();
 * }</pre>
 */
public final class VirtualEmvCard implements VirtualCard {

  /** GP life-cycle states of an application (GP Card Spec 2.3.1 §11.1.1, Table 11-5). */
  public enum LifeCycle {
    /** Installed and selectable, waiting for personalization (07). */
    SELECTABLE,
    /** Personalized: the application-specific state EMV CPS moves to after the last STORE DATA (0F). */
    PERSONALIZED
  }

  /** Faults a test can switch on. Blocks count from 0 per personalization session, as P2 does. */
  public enum FaultKind {
    /** Answer STORE DATA block N with a status word instead of processing it. */
    WRONG_STATUS,
    /** Flip one bit of STORE DATA block N's C-MAC before checking it, as line noise would. */
    TAMPERED_MAC,
    /** The card is pulled out when STORE DATA block N arrives. */
    REMOVED
  }

  /**
   * A fault to inject.
   *
   * @param kind what goes wrong
   * @param block the STORE DATA block (P2) it happens at
   * @param sw the status word for {@link FaultKind#WRONG_STATUS}
   */
  public record Fault(FaultKind kind, int block, int sw) {
    /**
     * @param block the block
     * @param sw the status word to answer
     * @return a wrong-status fault
     */
    public static Fault wrongStatus(int block, int sw) {
      return new Fault(FaultKind.WRONG_STATUS, block, sw);
    }

    /** @param block the block @return a tampered-MAC fault */
    public static Fault tamperedMac(int block) {
      return new Fault(FaultKind.TAMPERED_MAC, block, 0);
    }

    /** @param block the block @return a removal fault */
    public static Fault removed(int block) {
      return new Fault(FaultKind.REMOVED, block, 0);
    }
  }

  private final CryptoBackend crypto;
  private final CardProfile profile;
  private final Bytes isdAid;
  /** The ISD's secure channel; the card's ATR. */
  private final ScpCard scp;
  private final VirtualIsd isd;
  private final Set<Fault> faults;
  private final Domain isdDomain;
  /** Supplementary Security Domains selected by their own AID, for applications personalized through them. */
  private final Map<Bytes, Domain> ssds = new LinkedHashMap<>();
  /** The Security Domain of each application with a secure channel of its own. */
  private final Map<Bytes, Domain> appDomains = new LinkedHashMap<>();
  private final Map<Bytes, App> apps = new LinkedHashMap<>();
  private Bytes selected;
  private Bytes installTarget;
  private int nextBlock;
  private DgiAssembler assembler;
  private boolean removed;

  /** A Security Domain: its secure channel's card side, keys and block size. */
  private record Domain(ScpCard scp, int blockSize, KeyRef kmc) {}

  private static final class App {
    final Bytes aid;
    LifeCycle state = LifeCycle.SELECTABLE;
    final Map<Integer, Bytes> dgis = new LinkedHashMap<>();
    EmvApplication emv;

    App(Bytes aid) {
      this.aid = aid;
    }
  }

  private VirtualEmvCard(Builder b) {
    this.crypto = b.crypto;
    this.profile = b.profile;
    this.isdAid = b.isdAid;
    this.faults = Set.copyOf(b.faults);
    SecureChannelProfile sc = profile.secureChannel();
    // Card management (GP 2.3.1 ch. 11) is the ISD's: the profile's applications come from load files named by
    // their RIDs, instantiated already unless the builder says they are only loaded.
    VirtualIsd.Builder ib = VirtualIsd.builder(crypto).aid(isdAid).cardLifeCycle(b.cardLifeCycle)
        .listener(this::isdEvent);
    if (b.cplc != null) {
      ib.cplc(b.cplc);
    }
    Map<Bytes, List<Bytes>> elfs = new LinkedHashMap<>();
    profile.applications().forEach(a -> elfs.computeIfAbsent(a.aid().slice(0, 5), k -> new ArrayList<>()).add(a.aid()));
    elfs.forEach(ib::loadFile);
    if (b.instantiated) {
      profile.applications().forEach(a -> ib.application(a.aid(), a.aid().slice(0, 5)));
    }
    this.isd = ib.build();
    this.scp = scpCard(sc, b.kmc, b.kdd);
    this.isdDomain = new Domain(scp, sc.version().blockSize(), b.kmc);
    isd.attach(scp);
    // GP Card Spec 2.3.1 §7.2: each Security Domain has its own keys and secure channel. An application with a
    // secure channel of its own is in its own SD: the one it names (target security-domain), or the one it
    // forwards INITIALIZE UPDATE to when selected itself (target application).
    for (dev.perso.emv.cps.ApplicationProfile a : profile.applications()) {
      if (a.secureChannel().isEmpty()) {
        if (b.applicationKmcs.containsKey(a.aid())) {
          throw new ValidationException("applicationKmc " + a.aid().toHex(), "the application has no secure channel "
              + "of its own in profile " + profile.name() + ": the ISD's keys serve it");
        }
        continue;
      }
      SecureChannelProfile own = a.secureChannel().get();
      Optional<Bytes> sdAid = a.securityDomainAid();
      if (sdAid.isPresent() && sdAid.get().equals(isdAid)) {
        throw new ValidationException("profile " + profile.name() + " application " + a.aid().toHex(),
            "has a secure channel of its own but is personalized through the ISD, whose channel is the card's");
      }
      Domain shared = sdAid.map(ssds::get).orElse(null);
      if (shared != null && !shared.scp().version().equals(own.version())) {
        throw new ValidationException("profile " + profile.name() + " application " + a.aid().toHex(),
            "Security Domain " + sdAid.get().toHex() + " has one secure channel, not two");
      }
      KeyRef kmc = b.applicationKmcs.getOrDefault(a.aid(), b.kmc);
      if (shared != null && !shared.kmc().equals(kmc)) {
        throw new ValidationException("applicationKmc " + a.aid().toHex(), "Security Domain " + sdAid.get().toHex()
            + " has one key set: its applications take the same KMC");
      }
      Domain d = shared != null ? shared : new Domain(scpCard(own, kmc, b.kdd), own.version().blockSize(), kmc);
      sdAid.ifPresent(aid -> ssds.put(aid, d));
      appDomains.put(a.aid(), d);
    }
    if (b.instantiated) {
      profile.applications().forEach(a -> apps.put(a.aid(), new App(a.aid())));
    }
  }

  /** The card side of one Security Domain's secure channel, its keys diversified from {@code kmc} with the KDD. */
  private ScpCard scpCard(SecureChannelProfile sc, KeyRef kmc, Bytes kdd) {
    GpKeys keys = GpKeys.diversified(kmc, Diversification.named(sc.diversification()));
    ScpCard.Builder scb = ScpCard.builder(crypto, keys).kdd(kdd).aid(() -> selected == null ? isdAid : selected)
        .keyVersion(sc.keyVersion() == 0 ? 1 : sc.keyVersion()).application(this::dispatch).version(sc.version());
    return scb.build();
  }

  /** The Security Domain the selected SD or application is served by: commands go through its secure channel. */
  private Domain current() {
    if (selected == null || selected.equals(isdAid)) {
      return isdDomain;
    }
    Domain d = ssds.get(selected);
    return d != null ? d : appDomains.getOrDefault(selected, isdDomain);
  }

  private boolean securityDomainSelected() {
    return selected != null && (selected.equals(isdAid) || ssds.containsKey(selected));
  }

  /** Applications appear when the ISD makes them selectable and go when it deletes them. */
  private void isdEvent(VirtualIsd.Event e) {
    if (e.kind() == VirtualIsd.Event.Kind.DELETED) {
      apps.remove(e.aid());
    } else if (e.state() == 0x07 && profile.application(e.aid()).isPresent()) {
      apps.putIfAbsent(e.aid(), new App(e.aid()));
    }
  }

  /**
   * The card's Issuer Security Domain: card life cycle, key versions, registry and history of the card
   * management commands it took.
   *
   * @return the ISD
   */
  public VirtualIsd isd() {
    return isd;
  }

  /**
   * @param crypto the backend the card computes with
   * @param kmc the KMC the card's keys are diversified from
   * @param profile the card type: applications, secure channel, DGI padding rules
   * @return a builder
   */
  public static Builder builder(CryptoBackend crypto, KeyRef kmc, CardProfile profile) {
    return new Builder(crypto, kmc, profile);
  }

  @Override
  public Bytes atr() {
    return scp.atr();
  }

  @Override
  public synchronized Bytes reset() {
    if (removed) {
      throw new TransportException("virtual card removed");
    }
    selected = null;
    installTarget = null;
    assembler = null;
    ssds.values().forEach(d -> d.scp().reset());
    appDomains.values().forEach(d -> d.scp().reset());
    return scp.reset();
  }

  /** Puts a removed card back in the reader. */
  public synchronized void reinsert() {
    removed = false;
  }

  @Override
  public synchronized ResponseApdu process(CommandApdu command) {
    if (removed) {
      throw new TransportException("virtual card removed");
    }
    if (command.ins() == 0xE2 && (command.cla() & 0x04) != 0) {
      Optional<Fault> f = faultAt(command.p2());
      if (f.isPresent() && f.get().kind() == FaultKind.REMOVED) {
        removed = true;
        throw new TransportException("virtual card removed during STORE DATA block " + command.p2());
      }
      if (f.isPresent() && f.get().kind() == FaultKind.TAMPERED_MAC && command.data().length() >= 8) {
        Bytes d = command.data();
        Bytes flipped = Bytes.concat(d.slice(0, d.length() - 1),
            Bytes.ofUnsigned(d.getUnsigned(d.length() - 1) ^ 0x01));
        command = command.withData(flipped);
      }
    }
    return current().scp().process(command);
  }

  /**
   * @param aid an application's AID
   * @return its life-cycle state
   */
  public synchronized LifeCycle state(Bytes aid) {
    App a = apps.get(aid);
    if (a == null) {
      throw new ValidationException("aid", aid.toHex() + " is not installed on this card");
    }
    return a.state;
  }

  /**
   * @param aid an application's AID
   * @return the ids of its stored DGIs, in the order they arrived
   */
  public synchronized List<Integer> storedDgis(Bytes aid) {
    App a = apps.get(aid);
    return a == null ? List.of() : List.copyOf(a.dgis.keySet());
  }

  private Optional<Fault> faultAt(int block) {
    return faults.stream().filter(f -> f.block() == block).findFirst();
  }

  /** The applet layer: plain commands after ScpCard has unwrapped them. */
  private ResponseApdu dispatch(CommandApdu c) {
    try {
      if (c.ins() == 0xA4 && c.p1() == 0x04) {
        return select(c.data());
      }
      if (selected == null) {
        return ResponseApdu.of(0x6985);
      }
      boolean authenticated = current().scp().level().isPresent();
      if (selected.equals(isdAid) && (VirtualIsd.handles(c) || (c.ins() == 0xE2 && installTarget == null))) {
        return isd.process(c);
      }
      if ((c.cla() & 0x80) != 0 && c.ins() == 0xE6) {
        return install(c, authenticated);
      }
      if ((c.cla() & 0x80) != 0 && c.ins() == 0xE2) {
        return storeData(c, authenticated);
      }
      App app = apps.get(selected);
      if (app != null && app.state == LifeCycle.PERSONALIZED) {
        return app.emv.process(c);
      }
      return ResponseApdu.of(0x6D00);
    } catch (PersoException e) {
      return ResponseApdu.of(0x6A80);
    }
  }

  private ResponseApdu select(Bytes aid) {
    installTarget = null;
    assembler = null;
    nextBlock = 0;
    // "The Lc and data field of the SELECT command may be omitted if the Issuer Security Domain is being
    // selected" (GP Card Spec v2.3.1 §11.9.2.3): how a reader finds the ISD without knowing its AID.
    if (aid.isEmpty()) {
      aid = isdAid;
    }
    if (aid.equals(isdAid) || ssds.containsKey(aid)) {
      selected = aid;
      return ResponseApdu.of(Tlv.builder(0x6F).add(0x84, aid)
          .add(Tlv.builder(0xA5).add(0x9F65, Bytes.fromHex("FF")).build()).build().encode(), 0x9000);
    }
    App app = apps.get(aid);
    if (app == null || isd.applicationState(aid).map(s -> (s & 0x80) != 0).orElse(false)
        || isd.cardLifeCycle().stopsCard()) {
      selected = null;
      return ResponseApdu.of(0x6A82);
    }
    selected = aid;
    if (app.state == LifeCycle.PERSONALIZED) {
      return app.emv.select();
    }
    return ResponseApdu.of(Tlv.builder(0x6F).add(0x84, aid).build().encode(), 0x9000);
  }

  private ResponseApdu install(CommandApdu c, boolean authenticated) {
    if (!securityDomainSelected() || c.p1() != 0x20) {
      return ResponseApdu.of(0x6A86);
    }
    if (!authenticated) {
      return ResponseApdu.of(0x6982);
    }
    // Data: 00 00 Lam AID 00 00 00 (GP Card Spec 2.3.1 Table 11-49).
    Bytes d = c.data();
    if (d.length() < 3 || d.getUnsigned(0) != 0 || d.getUnsigned(1) != 0 || d.length() < 3 + d.getUnsigned(2)) {
      return ResponseApdu.of(0x6A80);
    }
    Bytes aid = d.slice(3, 3 + d.getUnsigned(2));
    App app = apps.get(aid);
    if (app == null || current() != appDomains.getOrDefault(aid, isdDomain)) {
      return ResponseApdu.of(0x6A88);   // not installed, or not associated with the selected Security Domain
    }
    if (app.state != LifeCycle.SELECTABLE) {
      return ResponseApdu.of(0x6985);
    }
    installTarget = aid;
    nextBlock = 0;
    assembler = null;
    return ResponseApdu.of(0x9000);
  }

  private ResponseApdu storeData(CommandApdu c, boolean authenticated) {
    if (!authenticated) {
      return ResponseApdu.of(0x6982);
    }
    App app = apps.get(securityDomainSelected() && installTarget != null ? installTarget : selected);
    if (app == null) {
      return ResponseApdu.of(0x6985);
    }
    if (app.state == LifeCycle.PERSONALIZED) {
      return ResponseApdu.of(0x6985);
    }
    Optional<Fault> fault = faultAt(c.p2());
    if (fault.isPresent() && fault.get().kind() == FaultKind.WRONG_STATUS) {
      return ResponseApdu.of(fault.get().sw());
    }
    if (c.p2() != nextBlock) {
      assembler = null;
      nextBlock = 0;
      return ResponseApdu.of(0x6A86);
    }
    if (assembler == null) {
      assembler = new DgiAssembler();
    }
    for (PreparedDgi d : assembler.accept(c.p1(), c.data())) {
      Bytes value = d.dgi().value();
      if (d.encrypted()) {
        value = unpad(app.aid, d.dgi().id(), current().scp().decryptSensitiveData(value));
      }
      app.dgis.put(d.dgi().id(), value);
    }
    nextBlock++;
    if ((c.p1() & StoreDataBlock.P1_LAST_BLOCK) != 0) {
      assembler.finish();
      assembler = null;
      app.state = LifeCycle.PERSONALIZED;
      isd.applicationState(app.aid, 0x0F);
      app.emv = new EmvApplication(app.aid, app.dgis, crypto);
    }
    return ResponseApdu.of(0x9000);
  }

  /** Removes ISO/IEC 9797-1 method 2 padding as the profile says the applet expects it. */
  private Bytes unpad(Bytes aid, int dgi, Bytes value) {
    DgiEncryption rule = profile.forApplication(aid).encryptionOf(dgi);
    int blockSize = current().blockSize();
    if (rule != DgiEncryption.ENCRYPTED_PADDED && rule != DgiEncryption.ENCRYPTED_PAD_IF_NEEDED) {
      return value;
    }
    int end = value.length() - 1;
    int floor = Math.max(0, value.length() - blockSize);
    while (end >= floor && value.getUnsigned(end) == 0) {
      end--;
    }
    if (end >= floor && value.getUnsigned(end) == 0x80) {
      return value.slice(0, end);
    }
    if (rule == DgiEncryption.ENCRYPTED_PADDED) {
      throw new ValidationException("dgi " + Integer.toHexString(dgi), "method 2 padding missing");
    }
    return value;
  }

  /** Configures a {@link VirtualEmvCard}. */
  public static final class Builder {
    private final CryptoBackend crypto;
    private final KeyRef kmc;
    private final CardProfile profile;
    private Bytes kdd = Bytes.fromHex("00000000000000000001");
    private Bytes isdAid = GpOptions.ISD_AID;
    private final List<Fault> faults = new ArrayList<>();
    private CardLifeCycle cardLifeCycle = CardLifeCycle.INITIALIZED;
    private boolean instantiated = true;
    private final Map<Bytes, KeyRef> applicationKmcs = new LinkedHashMap<>();
    private dev.perso.gp.Cplc cplc;

    private Builder(CryptoBackend crypto, KeyRef kmc, CardProfile profile) {
      this.crypto = Objects.requireNonNull(crypto, "crypto");
      this.kmc = Objects.requireNonNull(kmc, "kmc");
      this.profile = Objects.requireNonNull(profile, "profile");
    }

    /** @param value the card's 10-byte key diversification data (from its CPLC) @return this builder */
    public Builder kdd(Bytes value) {
      if (value.length() != 10) {
        throw new ValidationException("kdd", "must be 10 bytes, was " + value.length());
      }
      this.kdd = value;
      return this;
    }

    /**
     * @param value the card's CPLC, which its ISD answers GET DATA 9F7F with (default: {@link VirtualIsd}'s
     *     example, the same on every card)
     * @return this builder
     */
    public Builder cplc(dev.perso.gp.Cplc value) {
      this.cplc = Objects.requireNonNull(value, "cplc");
      return this;
    }

    /** @param value the ISD's AID (default A000000151000000) @return this builder */
    public Builder isdAid(Bytes value) {
      this.isdAid = Objects.requireNonNull(value);
      return this;
    }

    /** @param value the card's life-cycle state as it leaves the factory (default INITIALIZED) @return this builder */
    public Builder cardLifeCycle(CardLifeCycle value) {
      this.cardLifeCycle = Objects.requireNonNull(value);
      return this;
    }

    /**
     * The profile's applications are only loaded (their load files are on the card), not instantiated:
     * personalization must INSTALL them first.
     *
     * @return this builder
     */
    public Builder loadedOnly() {
      this.instantiated = false;
      return this;
    }

    /**
     * The KMC of the Security Domain of an application with a secure channel of its own
     * ({@link dev.perso.emv.cps.ApplicationProfile#withSecureChannel}): that SD's keys are diversified from
     * it with the card's KDD. Without it the card's KMC serves that SD too.
     *
     * @param aid one of the profile's applications with its own secure channel
     * @param kmc its Security Domain's master key (TDES for SCP02, AES for SCP03)
     * @return this builder
     */
    public Builder applicationKmc(Bytes aid, KeyRef kmc) {
      if (profile.application(aid).isEmpty()) {
        throw new ValidationException("applicationKmc " + aid.toHex(), "not an application of profile " + profile.name());
      }
      applicationKmcs.put(aid, Objects.requireNonNull(kmc, "kmc"));
      return this;
    }

    /** @param fault a fault to inject @return this builder */
    public Builder fault(Fault fault) {
      faults.add(Objects.requireNonNull(fault));
      return this;
    }

    /** @return the card */
    public VirtualEmvCard build() {
      return new VirtualEmvCard(this);
    }
  }

}
