package dev.perso.gp;

import dev.perso.core.Bytes;
import dev.perso.core.PersoException;
import dev.perso.crypto.CryptoBackend;
import dev.perso.gp.internal.Scp02Session;
import dev.perso.gp.internal.Scp03Session;
import dev.perso.gp.internal.StaticKeys;
import java.util.ArrayList;
import java.util.List;

/**
 * Offline key identification: checks which key sets verify a card cryptogram from an INITIALIZE
 * UPDATE response, without talking to the card (and so without any risk of locking it).
 *
 * <pre>{@code
 * InitializeUpdateResponse iu = InitializeUpdateResponse.parse(Bytes.fromHex(traceHex));
 * List<GpKeys> candidates = Diversification.builtIns().stream().map(d -> GpKeys.diversified(kmc, d)).toList();
 * List<GpKeys> matching = CardCryptogram.matching(crypto, candidates, iu, hostChallenge);
 * }</pre>
 */
public final class CardCryptogram {
  private CardCryptogram() {}

  /**
   * @param crypto the backend
   * @param keys a candidate key set
   * @param iu the card's response
   * @param hostChallenge the challenge the host sent
   * @return true if the key set yields the card cryptogram; false also when the keys do not fit the
   *     card's protocol (e.g. AES keys for SCP02)
   */
  public static boolean verifies(CryptoBackend crypto, GpKeys keys, InitializeUpdateResponse iu, Bytes hostChallenge) {
    try (StaticKeys k = keys.resolve(crypto, iu.kdd())) {
      // the card cryptogram does not depend on the SCP02 variant
      ScpVersion version = iu.version(Scp02Variant.I_15);
      if (version instanceof ScpVersion.Scp02Protocol scp02) {
        try (Scp02Session s = Scp02Session.derive(crypto, k.enc, k.mac, null, iu.sequenceCounter(), scp02.variant(),
            GpOptions.EmptyDataEncryption.SKIP)) {
          return s.cardCryptogram(hostChallenge, iu.sequenceCounter(), iu.cardChallenge())
              .constantTimeEquals(iu.cardCryptogram());
        }
      }
      if (hostChallenge.length() != iu.cardChallenge().length()) {
        return false;
      }
      try (Scp03Session s = Scp03Session.derive(crypto, k.enc, k.mac, null, hostChallenge, iu.cardChallenge(),
          ((ScpVersion.Scp03Protocol) version).s16(),
          GpOptions.CounterIncrement.EVERY_COMMAND, GpOptions.EmptyDataEncryption.SKIP)) {
        return s.cardCryptogram(hostChallenge, iu.cardChallenge()).constantTimeEquals(iu.cardCryptogram());
      }
    } catch (PersoException e) {
      return false;
    }
  }

  /**
   * @param crypto the backend
   * @param candidates key sets to try
   * @param iu the card's response
   * @param hostChallenge the challenge the host sent
   * @return the candidates that verify, in order
   */
  public static List<GpKeys> matching(CryptoBackend crypto, List<GpKeys> candidates, InitializeUpdateResponse iu,
      Bytes hostChallenge) {
    List<GpKeys> out = new ArrayList<>();
    for (GpKeys k : candidates) {
      if (verifies(crypto, k, iu, hostChallenge)) {
        out.add(k);
      }
    }
    return out;
  }

  /**
   * @param crypto the backend
   * @param keys the static keys of a SCP02 card session
   * @param aid the selected AID
   * @param iu the card's response
   * @return true if the card challenge is the i=45/55 pseudo-random one for {@code aid}
   */
  public static boolean isScp02PseudoRandom(CryptoBackend crypto, GpKeys keys, Bytes aid, InitializeUpdateResponse iu) {
    try (StaticKeys k = keys.resolve(crypto, iu.kdd())) {
      if (!(iu.version(Scp02Variant.I_55) instanceof ScpVersion.Scp02Protocol scp02)) {
        return false;
      }
      try (Scp02Session s = Scp02Session.derive(crypto, k.enc, k.mac, null, iu.sequenceCounter(), scp02.variant(),
          GpOptions.EmptyDataEncryption.SKIP)) {
        return s.pseudoRandomChallenge(aid).constantTimeEquals(iu.cardChallenge());
      }
    } catch (PersoException e) {
      return false;
    }
  }


  /**
   * The protocol a card answered with, "i" included: SCP03 with the "i" it states; SCP02, whose card does
   * not state its "i", with 55 when the card challenge is the pseudo-random one for {@code aid} under these
   * keys, else 15.
   *
   * <pre>{@code
   * ScpVersion v = CardCryptogram.version(crypto, keys, GpOptions.ISD_AID, iu);
   * try (GpSecureChannel s = v.authenticate(channel, keys, v.configure(options).build(), iu)) { ... }
   * }</pre>
   *
   * @param crypto the backend
   * @param keys the card's keys
   * @param aid the AID selected before INITIALIZE UPDATE
   * @param iu the card's response
   * @return the protocol in force
   * @throws dev.perso.core.ValidationException for an SCP03 "i" this SDK does not implement
   */
  public static ScpVersion version(CryptoBackend crypto, GpKeys keys, Bytes aid, InitializeUpdateResponse iu) {
    return iu.version(isScp02PseudoRandom(crypto, keys, aid, iu) ? Scp02Variant.I_55 : Scp02Variant.I_15);
  }
}
