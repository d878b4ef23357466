package dev.perso.emv.card;

import dev.perso.core.Bytes;
import dev.perso.core.PersoException;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.tlv.Tag;
import dev.perso.core.tlv.Tlv;
import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.Derivation;
import dev.perso.crypto.KeyAlgorithm;
import dev.perso.crypto.KeyRef;
import dev.perso.crypto.KeyUsage;
import dev.perso.crypto.Padding;
import dev.perso.crypto.ClearKeyRef;
import dev.perso.emv.cps.CardVerifier;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A basic EMV application built from its personalized DGIs: what a virtual card does after STORE
 * DATA. The DGI conventions are those of public VSDC/PBOC perso scripts (gp-emv-cps notes §2.6):
 * <ul>
 *   <li>{@code 9102}: the FCI proprietary template ({@code A5 ...}); SELECT answers
 *       {@code 6F { 84 AID, A5 ... }}.</li>
 *   <li>{@code 9104}: the GET PROCESSING OPTIONS data, {@code 82 AIP} and {@code 94 AFL}; GPO answers
 *       format 2, {@code 77 { 82, 94 }}.</li>
 *   <li>{@code SSRR} with SFI {@code SS} 01..1E and record {@code RR}: a record ({@code 70 ...}); READ
 *       RECORD answers it.</li>
 *   <li>{@code 8000}: the ICC master keys AC, SMI, SMC (16 bytes each, in clear once decrypted).</li>
 *   <li>{@code 8010}: the offline PIN as an ISO 9564-1 format 2 block (8 bytes, padding removed); VERIFY
 *       with a plaintext PIN ({@code 00 20 00 80}, EMV Book 3 §6.5.12) compares against it.</li>
 *   <li>{@code 9010}: PIN try limit and counter; GET DATA {@code 9F17} answers the counter, a wrong PIN
 *       decrements it ({@code 63Cx}, x tries left), a right one resets it to the limit, and at zero VERIFY
 *       answers {@code 6983} (EMV Book 3 §6.5.12.4).</li>
 * </ul>
 * GENERATE AC answers format 1 ({@code 80 CID ATC AC}) with an ARQC: the EMV common session key
 * (EMV Book 2 A1.3, R = ATC‖00×6) from the AC master key, ISO/IEC 9797-1 algorithm 3 with padding
 * method 2 over the command data (CDOL1 values) ‖ AIP ‖ ATC. {@code CardVerifier} checks it the same way
 * from the issuer master key.
 */
final class EmvApplication {
  private static final Tag AIP = Tag.of(0x82);

  private final Bytes aid;
  private final Map<Integer, Bytes> dgis;
  private final CryptoBackend crypto;
  private int atc;
  private boolean gpoDone;

  /**
   * @param aid the application's AID
   * @param dgis its DGIs, sensitive ones already decrypted
   * @param crypto the backend the card computes with
   */
  EmvApplication(Bytes aid, Map<Integer, Bytes> dgis, CryptoBackend crypto) {
    this.aid = aid;
    this.dgis = new TreeMap<>(dgis);
    this.crypto = crypto;
  }

  Bytes aid() {
    return aid;
  }

  int atc() {
    return atc;
  }

  /** @return the FCI SELECT answers */
  ResponseApdu select() {
    gpoDone = false;
    Bytes a5 = dgis.containsKey(0x9102) ? dgis.get(0x9102) : Tlv.constructed(Tag.of(0xA5), List.of()).encode();
    Tlv.Builder fci = Tlv.builder(0x6F).add(Tlv.primitive(0x84, aid));
    Tlv.parseAll(a5).forEach(fci::add);
    return ResponseApdu.of(fci.build().encode(), 0x9000);
  }

  /**
   * @param c a command for the selected application
   * @return its response
   */
  ResponseApdu process(CommandApdu c) {
    try {
      switch (c.ins()) {
        case 0xA8:
          return c.cla() == 0x80 ? gpo() : ResponseApdu.of(0x6E00);
        case 0xB2:
          return readRecord(c);
        case 0xCA:
          return getData(c);
        case 0xAE:
          return c.cla() == 0x80 ? generateAc(c) : ResponseApdu.of(0x6E00);
        case 0x20:
          return c.cla() == 0x00 ? verify(c) : ResponseApdu.of(0x6E00);
        default:
          return ResponseApdu.of(0x6D00);
      }
    } catch (PersoException e) {
      return ResponseApdu.of(0x6F00);
    }
  }

  private ResponseApdu gpo() {
    Bytes gpo = dgis.get(0x9104);
    if (gpo == null) {
      return ResponseApdu.of(0x6985);
    }
    gpoDone = true;
    atc++;
    Tlv.Builder format2 = Tlv.builder(0x77);
    Tlv.parseAll(gpo).forEach(format2::add);
    return ResponseApdu.of(format2.build().encode(), 0x9000);
  }

  private ResponseApdu readRecord(CommandApdu c) {
    if ((c.p2() & 0x07) != 0x04) {
      return ResponseApdu.of(0x6A86);
    }
    int sfi = c.p2() >>> 3;
    Bytes record = dgis.get((sfi << 8) | c.p1());
    if (sfi < 1 || sfi > 30 || c.p1() == 0 || record == null) {
      return ResponseApdu.of(0x6A83);
    }
    return ResponseApdu.of(record, 0x9000);
  }

  private ResponseApdu getData(CommandApdu c) {
    int tag = (c.p1() << 8) | c.p2();
    switch (tag) {
      case 0x9F36:
        return ResponseApdu.of(Tlv.primitive(0x9F36, Bytes.ofUnsigned(atc >>> 8, atc & 0xFF)).encode(), 0x9000);
      case 0x9F17: {
        Bytes limits = dgis.get(0x9010);
        if (limits == null || limits.isEmpty()) {
          return ResponseApdu.of(0x6A88);
        }
        Bytes counter = limits.slice(limits.length() - 1);
        return ResponseApdu.of(Tlv.primitive(0x9F17, counter).encode(), 0x9000);
      }
      default:
        return ResponseApdu.of(0x6A88);
    }
  }

  /** VERIFY, plaintext offline PIN only (P2 80, EMV Book 3 Table 23); the block is ISO format 2. */
  private ResponseApdu verify(CommandApdu c) {
    if (c.p1() != 0x00 || c.p2() != 0x80) {
      return ResponseApdu.of(0x6A86);
    }
    Bytes pin = dgis.get(0x8010);
    Bytes limits = dgis.get(0x9010);
    if (pin == null || pin.length() < 8 || limits == null || limits.length() != 2) {
      return ResponseApdu.of(0x6985);
    }
    if (c.data().length() != 8 || (c.data().getUnsigned(0) >>> 4) != 2) {
      return ResponseApdu.of(0x6A80);
    }
    int limit = limits.getUnsigned(0);
    int counter = limits.getUnsigned(1);
    if (counter == 0) {
      return ResponseApdu.of(0x6983);
    }
    if (pin.slice(0, 8).constantTimeEquals(c.data())) {
      dgis.put(0x9010, Bytes.ofUnsigned(limit, limit));
      return ResponseApdu.of(0x9000);
    }
    counter--;
    dgis.put(0x9010, Bytes.ofUnsigned(limit, counter));
    return ResponseApdu.of(0x63C0 | Math.min(counter, 0x0F));
  }

  private ResponseApdu generateAc(CommandApdu c) {
    if (!gpoDone) {
      return ResponseApdu.of(0x6985);
    }
    Bytes keys = dgis.get(0x8000);
    if (keys == null || keys.length() < 16) {
      return ResponseApdu.of(0x6985);
    }
    Bytes aip = aip().orElse(Bytes.fromHex("0000"));
    Bytes atcBytes = Bytes.ofUnsigned(atc >>> 8, atc & 0xFF);
    Bytes ac = arqc(crypto, keys.slice(0, 16), atcBytes, CardVerifier.arqcInput(c.data(), aip, atcBytes));
    // Cryptogram Information Data 80 = ARQC (EMV Book 3 Table 15), whatever P1 asked: the virtual card
    // always goes online.
    return ResponseApdu.of(Tlv.primitive(0x80, Bytes.concat(Bytes.fromHex("80"), atcBytes, ac)).encode(), 0x9000);
  }

  private Optional<Bytes> aip() {
    Bytes gpo = dgis.get(0x9104);
    if (gpo == null) {
      return Optional.empty();
    }
    return Tlv.find(Tlv.parseAll(gpo), AIP).map(Tlv::value);
  }

  /**
   * @param crypto the backend
   * @param iccMasterKey the 16-byte AC master key
   * @param atc the 2-byte ATC
   * @param input the ARQC input
   * @return the 8-byte ARQC
   */
  static Bytes arqc(CryptoBackend crypto, Bytes iccMasterKey, Bytes atc, Bytes input) {
    try (ClearKeyRef mk = ClearKeyRef.of(KeyAlgorithm.TDES_2KEY, KeyUsage.IMK_AC, iccMasterKey)) {
      KeyRef sk = crypto.derive(mk, Derivation.emvCommonSessionKey(Bytes.concat(atc, Bytes.of(new byte[6]))));
      try {
        return crypto.arqc(sk, Padding.EMV, input);
      } finally {
        if (sk instanceof ClearKeyRef) {
          ((ClearKeyRef) sk).close();
        }
      }
    }
  }

  /** @return the personalized DGI ids, for inspection in tests */
  List<Integer> dgiIds() {
    return List.copyOf(dgis.keySet());
  }
}
