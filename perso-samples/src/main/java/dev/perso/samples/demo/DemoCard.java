package dev.perso.samples.demo;

import dev.perso.core.Bytes;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.card.VirtualCard;
import java.util.Map;

/**
 * A small in-process payment card for the demo: a PPSE and one application with one record, answering
 * like a T=0 card does at APDU level (case-4 responses come through {@code 61xx} and GET RESPONSE).
 * The full virtual GP/EMV card arrives with perso-emv-cps.
 *
 * <p>The record holds the public EMVCo-style test PAN 4761 7390 0101 0010 (Visa's published test card
 * number, used in pyemv and many EMV test suites), so the demo can show that traces mask it.
 */
public final class DemoCard implements VirtualCard {
  /** ATR of the vsmartcard vicc example card used in the transports notes: T=0, 3B 02 14 50. */
  static final Bytes ATR = Bytes.fromHex("3B021450");

  static final Bytes PPSE = Bytes.fromHex("325041592E5359532E4444463031");
  static final Bytes AID = Bytes.fromHex("A0000000031010");

  // FCI of the PPSE (EMV Book B / Book 1 §11.3.4 layout): 6F { 84 name, A5 { BF0C { 61 { 4F AID, 87 priority } } } }
  private static final Bytes PPSE_FCI =
      Bytes.fromHex("6F23840E325041592E5359532E4444463031A511BF0C0E610C4F07A00000000310108701 01".replace(" ", ""));
  // FCI of the application: 6F { 84 AID, A5 { 50 "VISA DEBIT", 87 01, 5F2D "en" } }
  private static final Bytes APP_FCI =
      Bytes.fromHex("6F1F8407A0000000031010A514500A56495341204445424954870101 5F2D02656E".replace(" ", ""));
  // Record SFI 1, record 1: 70 { 57 track 2 equivalent, 5A PAN, 5F20 name, 5F24 expiry }
  private static final Bytes RECORD_1_1 = Bytes.fromHex(
      "7038"
          + "57134761739001010010D25122011234567890000F"
          + "5A084761739001010010"
          + "5F2010434152444D454D4245522F5445535420"
          + "5F24032512 31".replace(" ", ""));

  private enum Selected { NONE, PPSE, APP }

  private Selected selected = Selected.NONE;
  private Bytes pending = Bytes.empty();

  @Override
  public Bytes atr() {
    return ATR;
  }

  @Override
  public synchronized Bytes reset() {
    selected = Selected.NONE;
    pending = Bytes.empty();
    return ATR;
  }

  @Override
  public synchronized ResponseApdu process(CommandApdu c) {
    if (c.cla() == 0x00 && c.ins() == 0xC0) {
      return getResponse(c);
    }
    pending = Bytes.empty();
    if (c.cla() != 0x00 && c.cla() != 0x80) {
      return ResponseApdu.of(0x6E00);
    }
    switch (c.ins()) {
      case 0xA4:
        return select(c);
      case 0xB2:
        return readRecord(c);
      default:
        return ResponseApdu.of(0x6D00);
    }
  }

  private ResponseApdu select(CommandApdu c) {
    if (c.p1() != 0x04 || (c.p2() & 0xF3) != 0x00) {
      return ResponseApdu.of(0x6A86);
    }
    Map<Bytes, Selected> names = Map.of(PPSE, Selected.PPSE, AID, Selected.APP);
    Selected s = names.get(c.data());
    if (s == null) {
      selected = Selected.NONE;
      return ResponseApdu.of(0x6A82);
    }
    selected = s;
    return answer(s == Selected.PPSE ? PPSE_FCI : APP_FCI);
  }

  private ResponseApdu readRecord(CommandApdu c) {
    if (selected != Selected.APP) {
      return ResponseApdu.of(0x6985);
    }
    int sfi = c.p2() >>> 3;
    if ((c.p2() & 0x07) != 0x04) {
      return ResponseApdu.of(0x6A86);
    }
    if (sfi != 1 || c.p1() != 1) {
      return ResponseApdu.of(0x6A83);
    }
    // Like EMV Book 1 Annex A example A2: a wrong Le is answered with 6Cxx naming the exact length.
    if (c.ne() != RECORD_1_1.length()) {
      return ResponseApdu.of(0x6C00 | RECORD_1_1.length());
    }
    return ResponseApdu.of(RECORD_1_1, 0x9000);
  }

  /** Case 4 under T=0: announce the data with 61xx; it is fetched with GET RESPONSE. */
  private ResponseApdu answer(Bytes data) {
    pending = data;
    return ResponseApdu.of(0x6100 | Math.min(data.length(), 0xFF));
  }

  private ResponseApdu getResponse(CommandApdu c) {
    if (pending.isEmpty()) {
      return ResponseApdu.of(0x6985);
    }
    int n = Math.min(c.ne() == 0 ? 256 : c.ne(), pending.length());
    Bytes out = pending.slice(0, n);
    pending = pending.slice(n);
    return pending.isEmpty() ? ResponseApdu.of(out, 0x9000)
        : ResponseApdu.of(out, 0x6100 | Math.min(pending.length(), 0xFF));
  }
}
