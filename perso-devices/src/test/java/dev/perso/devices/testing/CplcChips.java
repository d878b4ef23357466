package dev.perso.devices.testing;

import dev.perso.core.Bytes;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.card.VirtualCard;
import dev.perso.core.step.CardIdentifier;
import dev.perso.core.testing.TestSteps;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Blank chips for staged-line tests whose CPLC carries an IC serial number unique per physical card, and the
 * {@link CardIdentifier} that reads it: the card's identity across stages (not a secret).
 *
 * <pre>{@code
 * CplcChips chips = new CplcChips(0x1000);
 * DeviceContext ctx = DeviceContext.builder().cardStock(tag -> chips.next()).build();
 * IdentifyStep.remember("chip-serial", CplcChips.SERIAL);
 * }</pre>
 */
public final class CplcChips {
  /** GET DATA for the CPLC (GlobalPlatform Card Specification v2.3, §11.3 GET DATA and Annex H.6: tag 9F7F). */
  public static final CommandApdu GET_CPLC = CommandApdu.of(0x80, 0xCA, 0x9F, 0x7F, Bytes.of(), 256);

  /**
   * The IC serial number as hex: 4 bytes at offset 12 of the 42-byte CPLC value (GP Card Specification v2.3
   * Annex H.6), after the 3-byte tag and length; empty if the card answers no CPLC.
   */
  public static final CardIdentifier SERIAL = CardIdentifier.chip(ch -> {
    Bytes cplc = ch.transmit(GET_CPLC).requireSuccess("GET DATA CPLC").data();
    return cplc.length() == 45 ? cplc.slice(3 + 12, 3 + 16).toHex() : "";
  });

  private final AtomicInteger serials;

  /** @param first the serial before the first chip's */
  public CplcChips(int first) {
    this.serials = new AtomicInteger(first);
  }

  /** @return a new chip with the next serial, that takes a STORE DATA and answers 6D00 to anything else */
  public VirtualCard next() {
    int serial = serials.incrementAndGet();
    byte[] cplc = new byte[42];
    cplc[12] = (byte) (serial >>> 24);
    cplc[13] = (byte) (serial >>> 16);
    cplc[14] = (byte) (serial >>> 8);
    cplc[15] = (byte) serial;
    Bytes response = Bytes.concat(Bytes.fromHex("9F7F2A"), Bytes.of(cplc));
    VirtualCard blank = TestSteps.blankChip();
    return new VirtualCard() {
      @Override
      public Bytes atr() {
        return blank.atr();
      }

      @Override
      public ResponseApdu process(CommandApdu c) {
        if (c.cla() == 0x80 && c.ins() == 0xCA && c.p1() == 0x9F && c.p2() == 0x7F) {
          return ResponseApdu.of(response, 0x9000);
        }
        return c.ins() == 0xE2 ? ResponseApdu.of(0x9000) : ResponseApdu.of(0x6D00);
      }

      @Override
      public Bytes reset() {
        return blank.reset();
      }
    };
  }

  /**
   * @param chip a chip made by {@link #next()}
   * @return its IC serial number as hex, as {@link #SERIAL} reads it
   */
  public static String serialOf(VirtualCard chip) {
    chip.reset();
    return chip.process(GET_CPLC).data().slice(15, 19).toHex();
  }
}
