package dev.perso.devices.pcsc;

import dev.perso.core.internal.OwnedBytes;
import dev.perso.core.Bytes;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.card.VirtualCard;
import dev.perso.devices.tpdu.card.T0Card;

/**
 * Deterministic T=0 card for the interop runs (ATR 3B 02 14 50, notes §1.7 C): INS B0 returns P1 bytes
 * (case 2, exact Le demanded with 6Cxx by the T0Card engine), A4 echoes its data (case 4), D6 takes data
 * (case 3), 20 takes nothing (case 1); P2 = FF gives 6A82.
 */
public final class InteropT0Card implements VirtualCard {
  static final Bytes ATR = Bytes.fromHex("3B021450");

  @Override
  public Bytes atr() {
    return ATR;
  }

  @Override
  public ResponseApdu process(CommandApdu c) {
    if (c.p2() == 0xFF) {
      return ResponseApdu.of(0x6A82);
    }
    switch (c.ins()) {
      case 0xB0: {
        byte[] d = new byte[Math.max(1, c.p1())];
        for (int i = 0; i < d.length; i++) {
          d[i] = (byte) (i * 5 + c.p2());
        }
        return ResponseApdu.of(OwnedBytes.wrap(d), 0x9000);
      }
      case 0xA4:
        return ResponseApdu.of(c.data(), 0x9000);
      default:
        return ResponseApdu.of(0x9000);
    }
  }

  @Override
  public Bytes reset() {
    return ATR;
  }
}
