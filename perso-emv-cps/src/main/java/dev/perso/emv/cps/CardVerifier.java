package dev.perso.emv.cps;

import dev.perso.core.internal.OwnedBytes;
import dev.perso.core.Bytes;
import dev.perso.core.PersoException;
import dev.perso.core.ValidationException;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.channel.CardChannel;
import dev.perso.core.channel.GetResponse;
import dev.perso.core.record.CardRecord;
import dev.perso.core.tlv.Dol;
import dev.perso.core.tlv.Tag;
import dev.perso.core.tlv.Tlv;
import dev.perso.crypto.ClearKeyRef;
import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.Derivation;
import dev.perso.crypto.KeyRef;
import dev.perso.crypto.Padding;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Post-personalization verification: reads the card back as a terminal would and compares it with the
 * perso data, then runs GENERATE AC and verifies the ARQC with the issuer master key through the
 * {@link CryptoBackend}. That proves the keys landed correctly without ever reading a key.
 *
 * <ul>
 *   <li>SELECT: the FCI must be {@code 6F { 84 AID, <DGI 9102> }};</li>
 *   <li>GET PROCESSING OPTIONS: the answer must be {@code 77 { <DGI 9104> }};</li>
 *   <li>READ RECORD of every record DGI {@code SSRR} (SFI 1..30): byte for byte;</li>
 *   <li>GENERATE AC (ARQC requested) with CDOL1 data: the ICC master key is derived with EMV option A
 *       from the IMK-AC and the card's PAN (5A) and PSN (5F34), the session key with the EMV common
 *       session key (R = ATC‖00×6), and the ARQC is ISO/IEC 9797-1 algorithm 3, padding method 2, over
 *       {@link #arqcInput CDOL1 data ‖ AIP ‖ ATC}.</li>
 * </ul>
 *
 * <pre>{@code
 * CardVerifier verifier = CardVerifier.builder(crypto, imkAc).build();
 * List<String> checks = verifier.verify(channel, record);   // throws PersoException on any mismatch
 *
 * // a card with several applications, each under its own scheme's issuer key, in one call:
 * CardVerifier.builder(crypto, visaImkAc).imkAc(Bytes.fromHex("A0000000041010"), mastercardImkAc).build()
 *     .verify(channel, record);
 * }</pre>
 */
public final class CardVerifier {
  private static final Tag AIP = Tag.of(0x82);
  private static final Tag PAN = Tag.of(0x5A);
  private static final Tag PSN = Tag.of(0x5F34);
  private static final Tag CDOL1 = Tag.of(0x8C);

  private final CryptoBackend crypto;
  private final KeyRef imkAc;
  private final Map<Bytes, KeyRef> imkAcByAid;
  private final SecureRandom random = new SecureRandom();

  private CardVerifier(Builder b) {
    this.crypto = b.crypto;
    this.imkAc = b.imkAc;
    this.imkAcByAid = Map.copyOf(b.imkAcByAid);
  }

  /**
   * @param crypto the backend holding the issuer master key
   * @param imkAc the issuer master key for application cryptograms
   * @return a builder
   */
  public static Builder builder(CryptoBackend crypto, KeyRef imkAc) {
    return new Builder(crypto, imkAc);
  }

  /**
   * The ARQC input the virtual card and this verifier use.
   *
   * @param cdol1Data the GENERATE AC command data
   * @param aip the Application Interchange Profile
   * @param atc the 2-byte ATC
   * @return CDOL1 data ‖ AIP ‖ ATC
   */
  public static Bytes arqcInput(Bytes cdol1Data, Bytes aip, Bytes atc) {
    return Bytes.concat(cdol1Data, aip, atc);
  }

  /**
   * @param channel the channel to the personalized card
   * @param record the record it was personalized with (its {@link ApplicationsSection applications})
   * @return the checks that passed, in words
   * @throws PersoException naming the first mismatch
   */
  public List<String> verify(CardChannel channel, CardRecord record) {
    return verify(channel, record.id(), ApplicationsSection.decode(record));
  }

  /**
   * @param channel the channel to the personalized card
   * @param cardId the card's record id, for messages
   * @param applications the applications it was personalized with
   * @return the checks that passed, in words
   * @throws PersoException naming the first mismatch
   */
  public List<String> verify(CardChannel channel, String cardId, List<ApplicationData> applications) {
    CardChannel ch = channel.with(GetResponse.auto());
    List<String> passed = new ArrayList<>();
    for (ApplicationData app : applications) {
      verifyApplication(ch, cardId, app, passed);
    }
    return List.copyOf(passed);
  }

  private static Optional<Bytes> clear(ApplicationData app, int dgi) {
    return app.dgis().stream().filter(d -> d.dgi().id() == dgi && d.transportKey().isEmpty())
        .map(d -> d.dgi().value()).findFirst();
  }

  private void verifyApplication(CardChannel ch, String cardId, ApplicationData app, List<String> passed) {
    String who = "card " + cardId + " " + app.aid().toHex();
    ResponseApdu fci = ch.transmit(CommandApdu.of(0x00, 0xA4, 0x04, 0x00, app.aid(), 256)).requireSuccess(who + " SELECT");
    Optional<Bytes> dgi9102 = clear(app, 0x9102);
    if (dgi9102.isPresent()) {
      Tlv.Builder expected = Tlv.builder(0x6F).add(0x84, app.aid());
      Tlv.parseAll(dgi9102.get()).forEach(expected::add);
      same(who, "FCI", expected.build().encode(), fci.data());
      passed.add(who + " FCI matches DGI 9102");
    }
    Bytes gpoData = clear(app, 0x9104).orElseThrow(() ->
        new ValidationException(who + " dgi 9104", "GPO data is needed to verify the card"));
    ResponseApdu gpo = ch.transmit(CommandApdu.of(0x80, 0xA8, 0x00, 0x00, Bytes.fromHex("8300"), 256))
        .requireSuccess(who + " GET PROCESSING OPTIONS");
    Tlv.Builder format2 = Tlv.builder(0x77);
    Tlv.parseAll(gpoData).forEach(format2::add);
    same(who, "GPO response", format2.build().encode(), gpo.data());
    passed.add(who + " GPO matches DGI 9104");

    List<Tlv> records = new ArrayList<>();
    for (InputDgi d : app.dgis()) {
      int sfi = d.dgi().id() >>> 8;
      int rec = d.dgi().id() & 0xFF;
      if (sfi < 1 || sfi > 30 || rec == 0 || d.transportKey().isPresent()) {
        continue;
      }
      ResponseApdu r = ch.transmit(CommandApdu.of(0x00, 0xB2, rec, (sfi << 3) | 0x04, Bytes.empty(), 256))
          .requireSuccess(who + " READ RECORD SFI " + sfi + " record " + rec);
      same(who, "record SFI " + sfi + " #" + rec, d.dgi().value(), r.data());
      records.addAll(Tlv.parseAll(r.data()));
      passed.add(who + " record SFI " + sfi + " #" + rec + " matches DGI " + d.dgi().idHex());
    }

    Bytes aip = Tlv.find(Tlv.parseAll(gpoData), AIP).map(Tlv::value).orElse(Bytes.fromHex("0000"));
    String pan = Tlv.find(records, PAN).map(t -> t.value().toHex().replace("F", "")).orElseThrow(() ->
        new ValidationException(who + " records", "no PAN (5A) to derive the ICC master key from"));
    String psn = Tlv.find(records, PSN).map(t -> t.value().toHex()).orElse("00");
    long cdolLength = Tlv.find(records, CDOL1).map(t -> Dol.parse(t.value()).totalLength()).orElse(0L);
    byte[] data = new byte[(int) cdolLength];
    random.nextBytes(data);
    Bytes cdol1Data = OwnedBytes.wrap(data);
    ResponseApdu ac = ch.transmit(CommandApdu.of(0x80, 0xAE, 0x80, 0x00, cdol1Data, 256))
        .requireSuccess(who + " GENERATE AC");
    Bytes format1 = Tlv.parseAll(ac.data()).get(0).value();
    if (format1.length() != 11) {
      throw new ValidationException(who + " GENERATE AC", "expected format 1 (CID, ATC, AC), got " + format1.length() + " bytes");
    }
    Bytes atc = format1.slice(1, 3);
    Bytes arqc = format1.slice(3, 11);
    KeyRef iccMk = crypto.derive(imkAcByAid.getOrDefault(app.aid(), imkAc), Derivation.emvOptionA(pan, psn));
    KeyRef sk = crypto.derive(iccMk, Derivation.emvCommonSessionKey(Bytes.concat(atc, Bytes.of(new byte[6]))));
    try {
      Bytes expected = crypto.arqc(sk, Padding.EMV, arqcInput(cdol1Data, aip, atc));
      if (!expected.constantTimeEquals(arqc)) {
        throw new ValidationException(who + " ARQC", "does not verify with the issuer master key: the card's AC key is wrong");
      }
    } finally {
      for (KeyRef k : List.of(iccMk, sk)) {
        if (k instanceof ClearKeyRef) {
          ((ClearKeyRef) k).close();
        }
      }
    }
    passed.add(who + " ARQC verified with the IMK (ATC " + atc.toHex() + ")");
  }

  private static void same(String who, String what, Bytes expected, Bytes actual) {
    if (!expected.equals(actual)) {
      throw new ValidationException(who + " " + what, "card returns " + actual.length() + " bytes that differ from the "
          + expected.length() + " bytes personalized");
    }
  }

  /** Configures a {@link CardVerifier}. */
  public static final class Builder {
    private final CryptoBackend crypto;
    private final KeyRef imkAc;
    private final Map<Bytes, KeyRef> imkAcByAid = new java.util.LinkedHashMap<>();

    private Builder(CryptoBackend crypto, KeyRef imkAc) {
      this.crypto = Objects.requireNonNull(crypto, "crypto");
      this.imkAc = Objects.requireNonNull(imkAc, "imkAc");
    }

    /**
     * The issuer key of one application of a multi-application card (the builder's key serves the others).
     *
     * @param aid the application
     * @param key its issuer master key for application cryptograms
     * @return this builder
     */
    public Builder imkAc(Bytes aid, KeyRef key) {
      imkAcByAid.put(Objects.requireNonNull(aid, "aid"), Objects.requireNonNull(key, "key"));
      return this;
    }

    /** @return the verifier */
    public CardVerifier build() {
      return new CardVerifier(this);
    }
  }
}
