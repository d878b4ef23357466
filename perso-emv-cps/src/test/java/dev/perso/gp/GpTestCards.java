package dev.perso.gp;

import dev.perso.core.Bytes;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.card.VirtualCard;
import dev.perso.crypto.ClearKeyRef;
import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.KeyAlgorithm;
import dev.perso.crypto.KeyUsage;
import dev.perso.crypto.SoftwareBackend;
import dev.perso.gp.card.ScpCard;
import dev.perso.gp.card.VirtualIsd;
import java.util.ArrayList;
import java.util.List;

/** A virtual ISD behind an {@link ScpCard}, recording the plain commands it receives. */
final class GpTestCards {
  static final CryptoBackend SW = new SoftwareBackend();
  static final String K40 = "404142434445464748494A4B4C4D4E4F";
  static final Bytes KDD = Bytes.fromHex("00010203040506070809");

  final VirtualIsd isd;
  final ScpCard card;
  final List<CommandApdu> plain = new ArrayList<>();

  GpTestCards(GpKeys cardKeys, boolean scp03, int sequenceCounter, VirtualIsd.Builder isdBuilder) {
    isd = isdBuilder.build();
    ScpCard.Builder b = ScpCard.builder(SW, cardKeys).kdd(KDD).sequenceCounter(sequenceCounter)
        .application(this::answer);
    if (scp03) {
      b.scp03(0x00);
    } else {
      b.scp02(Scp02Variant.I_15);
    }
    card = b.build();
    isd.attach(card);
  }

  private ResponseApdu answer(CommandApdu c) {
    plain.add(c);
    return isd.process(c);
  }


  static ClearKeyRef des(String hex) {
    return ClearKeyRef.fromHex(KeyAlgorithm.desForLength(hex.length() / 2), KeyUsage.KMC, hex);
  }

  static ClearKeyRef aes(String hex) {
    return ClearKeyRef.fromHex(KeyAlgorithm.aesForLength(hex.length() / 2), KeyUsage.KMC, hex);
  }

  GpSecureChannel open(GpKeys keys, SecurityLevel level) {
    GpOptions.Builder o = GpOptions.builder(SW).level(level);
    ScpVersion v = card.version();
    return v.open(VirtualCard.connect(card), keys, v.configure(o).build());
  }

  CommandApdu last(int ins) {
    for (int i = plain.size() - 1; i >= 0; i--) {
      if (plain.get(i).ins() == ins) {
        return plain.get(i);
      }
    }
    throw new AssertionError("no command with INS " + Integer.toHexString(ins));
  }
}
