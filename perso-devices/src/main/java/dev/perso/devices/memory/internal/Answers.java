package dev.perso.devices.memory.internal;

import dev.perso.core.CardStatusException;
import dev.perso.core.internal.Hex;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.devices.memory.MemoryCardException;

/** Checks reader answers: status 9000 and the exact data length, or our exceptions. */
final class Answers {
  private Answers() {}

  static ResponseApdu expect(ResponseApdu r, String operation, int length) {
    if (r.sw().value() != 0x9000) {
      throw new CardStatusException(operation, r.sw());
    }
    if (r.data().length() != length) {
      throw new MemoryCardException(MemoryCardException.Reason.BAD_ANSWER, -1, operation + ": the reader answered "
          + r.data().length() + " data bytes, the dialect gives " + length);
    }
    return r;
  }

  static MemoryCardException bad(String operation, ResponseApdu r) {
    return new MemoryCardException(MemoryCardException.Reason.BAD_ANSWER, -1, operation + ": the reader answered "
        + r.data().length() + " data bytes and " + r.sw().toHex() + ", which the dialect does not give");
  }

  static String hex(int b) {
    return Hex.byteToHex(b);
  }
}
