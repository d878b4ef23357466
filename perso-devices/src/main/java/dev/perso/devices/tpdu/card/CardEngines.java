package dev.perso.devices.tpdu.card;

import dev.perso.core.Bytes;
import dev.perso.core.PersoException;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.card.VirtualCard;

/** Helpers shared by the card-side engines. */
final class CardEngines {
  private CardEngines() {}

  /** Runs the card, turning its failures into status words as a real card would. */
  static ResponseApdu process(VirtualCard card, CommandApdu command) {
    try {
      ResponseApdu r = card.process(command);
      return r == null ? ResponseApdu.of(0x6F00) : r;
    } catch (PersoException e) {
      return ResponseApdu.of(0x6F00);
    } catch (RuntimeException e) {
      return ResponseApdu.of(0x6F00);
    }
  }

  static ResponseApdu process(VirtualCard card, byte[] apdu) {
    CommandApdu c;
    try {
      c = CommandApdu.parse(apdu);
    } catch (PersoException e) {
      return ResponseApdu.of(Bytes.empty(), 0x6700);
    }
    return process(card, c);
  }
}
