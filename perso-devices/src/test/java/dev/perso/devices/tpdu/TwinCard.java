package dev.perso.devices.tpdu;

import dev.perso.core.Bytes;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.card.VirtualCard;

/** The card behind the notes' Appendix B fake GemPC Twin (same answers), used to replay the CCID traces. */
final class TwinCard implements VirtualCard {
  static final Bytes ATR = Bytes.fromHex("3B808131FE458B");

  @Override
  public Bytes atr() {
    return ATR;
  }

  @Override
  public ResponseApdu process(CommandApdu c) {
    switch (c.ins()) {
      case 0xA4:
        return ResponseApdu.parse(Bytes.fromHex("6F108408A000000003000000A5049F6501FF9000"));
      case 0x84:
        return ResponseApdu.parse(Bytes.fromHex("01020304050607089000"));
      case 0xCA: {
        byte[] r = new byte[602];
        for (int i = 0; i < 600; i++) {
          r[i] = (byte) i;
        }
        r[600] = (byte) 0x90;
        return ResponseApdu.parse(r);
      }
      default:
        return ResponseApdu.of(0x6D00);
    }
  }

  @Override
  public Bytes reset() {
    return ATR;
  }
}
