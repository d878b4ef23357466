package dev.perso.devices.pcsc;

import dev.perso.core.internal.OwnedBytes;
import dev.perso.core.Bytes;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.card.VirtualCard;
import java.util.ArrayList;
import java.util.List;

/**
 * The card of notes/transports.md Appendix A, in our types: SELECT answers 61xx and serves the FCI by
 * GET RESPONSE, READ BINARY insists on Le = 10 with 6Cxx, GET DATA returns P1P2 bytes; it records the
 * commands it gets.
 */
final class RecordingCard implements VirtualCard {
  static final Bytes FCI = Bytes.fromHex("6F108408A000000003000000A5049F6501FF");
  private final Bytes atr;
  private final List<Bytes> seen = new ArrayList<>();
  private Bytes pending;

  RecordingCard(String atrHex) {
    this.atr = Bytes.fromHex(atrHex);
  }

  synchronized List<Bytes> seen() {
    return List.copyOf(seen);
  }

  @Override
  public Bytes atr() {
    return atr;
  }

  @Override
  public synchronized ResponseApdu process(CommandApdu c) {
    seen.add(c.encode());
    switch (c.ins()) {
      case 0xA4:
        pending = FCI;
        return ResponseApdu.of(0x6100 | FCI.length());
      case 0xC0: {
        if (pending == null) {
          return ResponseApdu.of(0x6985);
        }
        if (c.ne() != pending.length()) {
          return ResponseApdu.of(0x6C00 | pending.length());
        }
        Bytes d = pending;
        pending = null;
        return ResponseApdu.of(d, 0x9000);
      }
      case 0xB0: {
        if (c.ne() != 10) {
          return ResponseApdu.of(0x6C0A);
        }
        return ResponseApdu.of(Bytes.fromHex("0102030405060708090A"), 0x9000);
      }
      case 0xCA: {
        byte[] d = new byte[(c.p1() << 8) | c.p2()];
        for (int i = 0; i < d.length; i++) {
          d[i] = (byte) i;
        }
        return ResponseApdu.of(OwnedBytes.wrap(d), 0x9000);
      }
      case 0xD6:
        return ResponseApdu.of(Bytes.ofUnsigned(c.nc() >>> 8, c.nc() & 0xFF), 0x9000);
      default:
        return ResponseApdu.of(0x6D00);
    }
  }

  @Override
  public synchronized Bytes reset() {
    pending = null;
    return atr;
  }
}
