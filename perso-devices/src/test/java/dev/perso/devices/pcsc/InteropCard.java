package dev.perso.devices.pcsc;

import dev.perso.core.internal.OwnedBytes;
import dev.perso.core.Bytes;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.card.VirtualCard;

/**
 * Deterministic card for the interop runs: the answer depends only on the command. ATR T=1, IFSC 32
 * (3B 80 81 31 20 45 TCK, computed by us), so that the driver chains commands longer than 32 bytes.
 */
public final class InteropCard implements VirtualCard {
  static final Bytes ATR = Bytes.fromHex("3B808131204555");

  @Override
  public Bytes atr() {
    return ATR;
  }

  @Override
  public ResponseApdu process(CommandApdu c) {
    int n = ((c.p1() & 0x03) << 8) | c.p2(); // up to 1023 bytes
    byte[] d = new byte[n];
    for (int i = 0; i < n; i++) {
      d[i] = (byte) (i + c.ins() + (c.nc() > 0 ? c.data().get(i % c.nc()) : 0));
    }
    return ResponseApdu.of(OwnedBytes.wrap(d), c.p1() >= 0x80 ? 0x6A82 : 0x9000);
  }

  @Override
  public Bytes reset() {
    return ATR;
  }
}
