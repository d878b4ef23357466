package dev.perso.emv.prep;

import dev.perso.core.cardholder.Expiry;
import dev.perso.core.Bytes;
import dev.perso.core.ValidationException;
import dev.perso.core.record.CardRecord;
import dev.perso.core.tlv.Tlv;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.perso.crypto.CipherSpec;
import dev.perso.crypto.ClearKeyRef;
import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.CvvInput;
import dev.perso.crypto.Derivation;
import dev.perso.crypto.KeyAlgorithm;
import dev.perso.crypto.KeyRef;
import dev.perso.crypto.Padding;
import dev.perso.crypto.PinBlock;
import dev.perso.emv.cps.ApplicationData;
import dev.perso.emv.cps.ApplicationsSection;
import dev.perso.emv.cps.CardProfile;
import dev.perso.emv.cps.KcvRule;
import dev.perso.emv.cps.Dgi;
import dev.perso.emv.cps.InputDgi;
import dev.perso.iso7813.IssuerLayout;
import dev.perso.iso7813.MagStripe;
import dev.perso.iso7813.SecurityCodes;
import dev.perso.iso7813.StripeKeys;
import dev.perso.iso7813.StripeRecord;
import dev.perso.iso7813.Track2;
import dev.perso.iso7813.step.MagStripeSection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Data preparation: builds one card's record (its DGIs, stripe and surface fields) from a cardholder
 * record and the issuer keys, in the JSON Lines card-record model, with every key operation in the
 * {@link CryptoBackend} (an HSM's keys never leave it). A bureau can produce perso data with the library
 * alone; the CLI's demo and {@code perso run} read what it writes.
 *
 * <ul>
 *   <li>{@code 8000}: the ICC master keys AC, SMI, SMC, derived with EMV option A (EMV Book 2 A1.4.1)
 *       from the IMKs inside the backend and exported under the transport KEK; {@code 9000}: their
 *       KCVs (3 bytes each, DES encrypting zeros);</li>
 *   <li>{@code 8010}: the offline PIN as an ISO 9564-1 format 1 PIN block (random fill) under the KEK,
 *       which the personalizer translates to the card's format 2 block under the DEK; {@code 9010}: PIN
 *       try limit and counter {@code 03 03};</li>
 *   <li>{@code 0101}: record SFI 1 #1, {@code 70 { 57 track 2 equivalent (with the iCVV), 5F20 name,
 *       9F1F track 1 discretionary data }}; {@code 0102}: record SFI 1 #2, {@code 70 { 5A PAN, 5F24,
 *       5F25, 5F28, 5F34, 8C CDOL1, 8D CDOL2, 8E CVM list, 9F07, 9F08, 9F0D/0E/0F }};</li>
 *   <li>{@code 9102}: the FCI proprietary template; {@code 9104}: GPO data (AIP, AFL);</li>
 *   <li>{@code magstripe} section: the fields the stripe step builds its tracks from (PAN, name, expiry,
 *       service code, PVKI) with the PVV computed here, so the file never holds a clear PIN; the stripe
 *       step computes the CVV with the CVK;</li>
 *   <li>{@code surface} section (only when asked for with {@link Builder#sections}): the raw fields a surface
 *       layout formats: {@code pan}, {@code name} (FIRST SURNAME), {@code expiry} (YYMM) and {@code cvv2}
 *       (computed here with the CVK, service code 000).</li>
 * </ul>
 * A card with several applications: {@link Builder#application} adds each further one, its DGIs made with
 * its own issuer keys and its profile's rules for it; the stripe and surface use the first application's.
 * The DGI numbering follows public VSDC/PBOC perso scripts (gp-emv-cps notes §2.6); it is an example,
 * not a scheme's DGI map. Data preparation has the clear PIN by nature; it never logs it.
 *
 * <pre>{@code
 * CardDataPreparation prep = CardDataPreparation.builder(crypto, issuerKeys).build();
 * CardDataPreparation prep = CardDataPreparation.builder(crypto, issuerKeys).sections(debit.sections()).build();
 * CardRecord card = prep.prepare(cardholder);   // applications + magstripe, as debit-example reads them
 * writer.println(JsonLinesRecords.toJsonLine(card));
 * }</pre>
 */
public final class CardDataPreparation {
  /** CDOL1: amount, other amount, country, TVR, currency, date, type, unpredictable number (29 bytes). */
  public static final Bytes CDOL1 = Bytes.fromHex("9F02069F03069F1A0295055F2A029A039C019F3704");
  /** Length of the data a terminal sends for {@link #CDOL1}. */
  public static final int CDOL1_DATA_LENGTH = 29;
  /** The surface section's name (emboss text fields). */
  public static final String SURFACE = "surface";

  private final CryptoBackend crypto;
  /** The card's first application's keys: they also serve the stripe (CVV, PVV) and the surface (CVV2). */
  private final IssuerKeys keys;
  private final List<Application> applications;
  private final IssuerLayout layout;
  private final Set<String> sections;

  /** One application of the card: what its DGIs are for, and the issuer keys they are made with. */
  private record Application(Bytes aid, String profile, String label, IssuerKeys keys, KcvRule keyKcv) {}

  private CardDataPreparation(Builder b) {
    this.sections = Set.copyOf(b.sections);
    this.crypto = b.crypto;
    this.keys = b.keys;
    List<Application> apps = new ArrayList<>();
    apps.add(new Application(b.aid, b.profile, b.label, b.keys, b.keyKcv));
    apps.addAll(b.further);
    for (int i = 1; i < apps.size(); i++) {
      for (int j = 0; j < i; j++) {
        if (apps.get(i).aid().equals(apps.get(j).aid())) {
          throw new ValidationException("applications", "AID " + apps.get(i).aid().toHex() + " is given twice");
        }
      }
    }
    this.applications = List.copyOf(apps);
    this.layout = b.layout;
  }

  /**
   * @param crypto the backend holding the issuer keys
   * @param keys the issuer keys
   * @return a builder for a VSDC-style application A0000000031010 with profile {@code vsdc-example}
   */
  public static Builder builder(CryptoBackend crypto, IssuerKeys keys) {
    return new Builder(crypto, keys);
  }

  /**
   * @param c the cardholder
   * @return the card's record: the applications (sensitive DGIs under the transport KEK), and the
   *     stripe and surface fields when those sections are asked for
   */
  public CardRecord prepare(Cardholder c) {
    StripeRecord rec = c.stripe();
    String pan = rec.pan();
    String psn = c.panSequence();
    StripeKeys stripeKeys = StripeKeys.of(crypto, keys.cvk(), keys.pvk());
    SecurityCodes codes = layout.codesWithIcvv(rec, stripeKeys);
    String expiry = rec.expiry().orElseThrow();
    List<ApplicationData> apps = new ArrayList<>();
    for (Application app : applications) {
      // each application's iCVV and ICC master keys under its own issuer keys; the stripe's are the first's
      SecurityCodes appCodes = app.keys() == keys ? codes
          : layout.codesWithIcvv(rec, StripeKeys.of(crypto, app.keys().cvk(), app.keys().pvk()));
      apps.add(new ApplicationData(app.aid(), app.profile(), dgis(app, rec, psn, appCodes)));
    }
    CardRecord.Builder record = CardRecord.builder(c.cardId())
        .section(ApplicationsSection.NAME, ApplicationsSection.encode(apps));
    if (sections.contains(MagStripeSection.NAME)) {
      record.section(MagStripeSection.NAME, MagStripeSection.encode(withoutPin(rec), codes.pvv()));
    }
    if (sections.contains(SURFACE)) {
      ObjectNode surface = JsonNodeFactory.instance.objectNode();
      // Raw fields: the card type's surface layout formats them (PAN 4-4-4-4, expiry MM/YY, name in capitals).
      surface.put("pan", pan);
      surface.put("name", cardholderName(rec.name().orElseThrow()));
      surface.put("expiry", expiry);
      // CVV2: the CVV algorithm with service code 000, for the indent on the signature panel.
      surface.put("cvv2", crypto.cvv(keys.cvk(), CvvInput.of(pan, expiry, "000")));
      record.section(SURFACE, surface);
    }
    return record.build();
  }

  /** One application's DGIs (see the class comment), made with its own issuer keys. */
  private List<InputDgi> dgis(Application app, StripeRecord rec, String psn, SecurityCodes codes) {
    String pan = rec.pan();
    String expiry = rec.expiry().orElseThrow();
    MagStripe stripe = MagStripe.builder().track1(layout.track1(rec, codes)).track2(layout.track2(rec, codes)).build();
    Track2 chipTrack2 = layout.chipTrack2(rec, codes);
    List<InputDgi> dgis = new ArrayList<>();
    dgis.add(InputDgi.clear(Dgi.of(0x9102, fciProprietary(app.label()))));
    // AIP 1800: cardholder verification and terminal risk management supported (EMV Book 3 Table 37);
    // AFL: SFI 1, records 1 to 2, none for offline data authentication.
    dgis.add(InputDgi.clear(Dgi.of(0x9104, Bytes.concat(
        Tlv.primitive(0x82, Bytes.fromHex("1800")).encode(), Tlv.primitive(0x94, Bytes.fromHex("08010200")).encode()))));
    dgis.add(InputDgi.clear(Dgi.of(0x0101, Tlv.builder(0x70)
        .add(0x57, track2Equivalent(chipTrack2))
        .add(0x5F20, ascii(rec.name().orElseThrow()))
        .add(0x9F1F, ascii(stripe.track1().orElseThrow().discretionaryData()))
        .build().encode())));
    dgis.add(InputDgi.clear(Dgi.of(0x0102, Tlv.builder(0x70)
        .add(0x5A, Bytes.fromHex(pan.length() % 2 == 0 ? pan : pan + "F"))
        .add(0x5F24, Bytes.fromHex(Expiry.ofYymm(expiry).lastDay()))
        .add(0x5F25, Bytes.fromHex("240101"))
        .add(0x5F28, Bytes.fromHex("0840"))
        .add(0x5F34, Bytes.fromHex(psn))
        .add(0x8C, CDOL1)
        .add(0x8D, Bytes.fromHex("8A029F02069F03069F1A0295055F2A029A039C019F3704"))
        .add(0x8E, Bytes.fromHex("000000000000000042031E031F00"))
        .add(0x9F07, Bytes.fromHex("FF00"))
        .add(0x9F08, Bytes.fromHex("008C"))
        .add(0x9F0D, Bytes.fromHex("F040008800"))
        .add(0x9F0E, Bytes.fromHex("0010000000"))
        .add(0x9F0F, Bytes.fromHex("F040009800"))
        .build().encode())));

    KeyRef ac = crypto.derive(app.keys().imkAc(), Derivation.emvOptionA(pan, psn));
    KeyRef smi = crypto.derive(app.keys().imkSmi(), Derivation.emvOptionA(pan, psn));
    KeyRef smc = crypto.derive(app.keys().imkSmc(), Derivation.emvOptionA(pan, psn));
    Bytes keysUnderKek = Bytes.concat(crypto.exportUnderKek(ac, app.keys().transportKek()),
        crypto.exportUnderKek(smi, app.keys().transportKek()), crypto.exportUnderKek(smc, app.keys().transportKek()));
    dgis.add(InputDgi.underKek(Dgi.of(0x8000, keysUnderKek), app.keys().transportKekName()));
    dgis.add(InputDgi.clear(Dgi.of(0x9000, Bytes.concat(crypto.kcv(ac, app.keyKcv().method(), app.keyKcv().length()).value(),
        crypto.kcv(smi, app.keyKcv().method(), app.keyKcv().length()).value(), crypto.kcv(smc, app.keyKcv().method(), app.keyKcv().length()).value()))));
    for (KeyRef derived : List.of(ac, smi, smc)) {
      if (derived instanceof ClearKeyRef) {
        ((ClearKeyRef) derived).close();   // per-card key bytes a software backend handed back
      }
    }
    // ISO 9564-1 format 1 (random fill) under the transport KEK: equal PINs never give equal cryptograms,
    // and PCI PIN allows formats 0, 1, 3 and 4 for PINs in transit (format 2 only inside the ICC). The
    // personalizer translates it to the card's format 2 block under the session DEK in the backend.
    Bytes pinBlock = PinBlock.encode(PinBlock.Format.ISO_1, rec.pin().orElseThrow(), null);
    if (app.keys().transportKek().algorithm().isAes()) {
      pinBlock = Padding.METHOD_2.apply(pinBlock, 16);   // one AES block: the PIN block, then 80 00..
    }
    dgis.add(InputDgi.pinBlockUnderKek(Dgi.of(0x8010, crypto.encrypt(app.keys().transportKek(), CipherSpec.ecb(), pinBlock)),
        PinBlock.Format.ISO_1, app.keys().transportKekName()));
    dgis.add(InputDgi.clear(Dgi.of(0x9010, Bytes.fromHex("0303"))));

    return dgis;
  }

  /** The stripe fields as they go into the file: never the PIN (the PVV, if the layout has one, goes instead). */
  private static StripeRecord withoutPin(StripeRecord rec) {
    StripeRecord.Builder b = StripeRecord.builder().pan(rec.pan()).countryCode(rec.countryCode().orElse(null))
        .name(rec.name().orElse(null)).expiry(rec.expiry().orElse(null)).serviceCode(rec.serviceCode().orElse(null))
        .luhnCheck(rec.luhnCheck());
    return rec.pvki() < 0 ? b.build() : b.pvki(rec.pvki()).build();
  }

  private static Bytes fciProprietary(String label) {
    return Tlv.builder(0xA5)
        .add(0x50, ascii(label))
        .add(0x87, Bytes.fromHex("01"))
        .add(0x5F2D, ascii("en"))
        .build().encode();
  }

  /**
   * EMV Book 3 Annex A, tag 57: track 2 data without sentinels and LRC, the separator as hex D, padded
   * with F to whole bytes.
   */
  static Bytes track2Equivalent(Track2 t) {
    String text = t.text();
    int start = text.startsWith(";") ? 1 : 0;
    int end = text.indexOf('?') >= 0 ? text.indexOf('?') : text.length();
    String digits = text.substring(start, end).replace('=', 'D');
    if (!digits.matches("[0-9D]+")) {
      throw new ValidationException("track2", "holds characters a track 2 equivalent cannot carry");
    }
    return Bytes.fromHex(digits.length() % 2 == 0 ? digits : digits + "F").asSecret();
  }

  private static Bytes ascii(String s) {
    return Bytes.of(s.getBytes(StandardCharsets.US_ASCII));
  }

  /** {@code SURNAME/FIRST.TITLE} (track 1) as the name reads on the card: {@code FIRST SURNAME}. */
  private static String cardholderName(String track1Name) {
    int slash = track1Name.indexOf('/');
    if (slash < 0) {
      return track1Name.trim();
    }
    String first = track1Name.substring(slash + 1);
    int dot = first.indexOf('.');
    first = (dot < 0 ? first : first.substring(0, dot)).trim();
    String surname = track1Name.substring(0, slash).trim();
    return first.isEmpty() ? surname : first + " " + surname;
  }

  /** Configures a {@link CardDataPreparation}. */
  public static final class Builder {
    private final CryptoBackend crypto;
    private final IssuerKeys keys;
    private Bytes aid = Bytes.fromHex("A0000000031010");
    private String profile = "vsdc-example";
    private String label = "VISA DEBIT";
    private IssuerLayout layout = IssuerLayout.EXAMPLE_PVV_CVV;
    private Set<String> sections = Set.of(ApplicationsSection.NAME, MagStripeSection.NAME);
    private KcvRule keyKcv = KcvRule.tdes(0x8000);
    private final List<Application> further = new ArrayList<>();

    private Builder(CryptoBackend crypto, IssuerKeys keys) {
      this.crypto = Objects.requireNonNull(crypto, "crypto");
      this.keys = Objects.requireNonNull(keys, "keys");
    }

    /** @param value the application's AID @return this builder */
    public Builder aid(Bytes value) {
      this.aid = value;
      return this;
    }

    /** @param name the card profile the data is for @return this builder */
    public Builder profile(String name) {
      this.profile = name;
      return this;
    }

    /**
     * Takes the profile's name, its first application's AID and the KCV rule of its key DGI 8000 (the
     * KCV DGI 9000's method and length), so that the data fits the card type without hidden conventions.
     *
     * @param p the card profile the data is for
     * @return this builder
     */
    public Builder profile(CardProfile p) {
      this.profile = p.name();
      this.aid = p.applications().get(0).aid();
      this.keyKcv = keyKcv(p, aid);
      return this;
    }

    /**
     * A further application of the card, after the first ({@link #profile}, {@link #aid}, {@link #label},
     * with the builder's keys): its DGIs are made with its own issuer keys (its IMKs, the CVK of its iCVV,
     * its transport KEK) and the KCV rule of its key DGI 8000 in the profile's rules for it
     * ({@link CardProfile#forApplication}). The stripe and surface keep the first application's keys.
     *
     * <pre>{@code
     * CardProfile twoApps = CardProfile.example("two-app-example");
     * CardDataPreparation prep = CardDataPreparation.builder(crypto, debitKeys).profile(twoApps)
     *     .application(twoApps, Bytes.fromHex("A0000000041010"), "CREDIT", creditKeys).build();
     * }</pre>
     *
     * @param p the card profile the application's data is for (usually the card's)
     * @param aid one of its applications
     * @param label the application label (tag 50)
     * @param keys that application's issuer keys
     * @return this builder
     */
    public Builder application(CardProfile p, Bytes aid, String label, IssuerKeys keys) {
      Objects.requireNonNull(label, "label");
      further.add(new Application(Objects.requireNonNull(aid, "aid"), p.name(), label, Objects.requireNonNull(keys, "keys"),
          keyKcv(p, aid)));
      return this;
    }

    /** The KCV rule of DGI 8000 in the profile's rules for the application; the keys are TDES. */
    private static KcvRule keyKcv(CardProfile p, Bytes aid) {
      KcvRule rule = p.forApplication(aid).kcvRules().values().stream().filter(r -> r.keyDgi() == 0x8000).findFirst()
          .orElse(KcvRule.tdes(0x8000));
      if (rule.keyAlgorithm() != KeyAlgorithm.TDES_2KEY) {
        throw new ValidationException("profile " + p.name() + " kcv", "the ICC master keys in DGI 8000 are "
            + "double-length TDES (EMV Book 2 A1.4), the profile says " + rule.keyAlgorithm());
      }
      return rule;
    }

    /** @param text the application label (tag 50) @return this builder */
    public Builder label(String text) {
      this.label = text;
      return this;
    }

    /** @param value the stripe's issuer layout @return this builder */
    public Builder layout(IssuerLayout value) {
      this.layout = value;
      return this;
    }

    /**
     * The record sections to produce, usually a card type's {@code sections()}: {@code applications} is
     * always produced, {@code magstripe} and {@code surface} only when named. Default: applications and
     * magstripe (what {@code debit-example} reads).
     *
     * @param names section names
     * @return this builder
     */
    public Builder sections(Set<String> names) {
      for (String n : names) {
        if (!Set.of(ApplicationsSection.NAME, MagStripeSection.NAME, SURFACE).contains(n)) {
          throw new ValidationException("sections", "data preparation cannot produce section '" + n + "'");
        }
      }
      this.sections = Set.copyOf(names);
      return this;
    }

    /** @return the data preparation */
    public CardDataPreparation build() {
      return new CardDataPreparation(this);
    }
  }
}
