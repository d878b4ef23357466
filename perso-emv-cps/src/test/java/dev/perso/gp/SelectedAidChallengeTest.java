package dev.perso.gp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import dev.perso.core.SecureChannelException;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.channel.CardChannel;
import dev.perso.crypto.ClearKeyRef;
import dev.perso.crypto.KeyAlgorithm;
import dev.perso.crypto.KeyUsage;
import dev.perso.crypto.SoftwareBackend;
import dev.perso.gp.card.ScpCard;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.engines.DESEngine;
import org.bouncycastle.crypto.macs.ISO9797Alg3Mac;
import org.bouncycastle.crypto.paddings.ISO7816d4Padding;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 §1: the SCP02 pseudo-random card challenge (i=55) is the card's MAC over the AID of the
 * application selected when INITIALIZE UPDATE arrives, not always the ISD's. The card here shares no code
 * with the host: it is written from GP Card Specification 2.2.1 Appendix E (session keys: 3DES-CBC of
 * {@code 0101|0182 || sequence counter || 00..} under the static key, E.4.1; card cryptogram: full 3DES MAC
 * of host challenge || sequence counter || card challenge under S-ENC; card challenge: the first 6 bytes
 * of the ISO/IEC 9797-1 algorithm 3 MAC of the AID under the C-MAC session key), with the JDK's DESede and
 * Bouncy Castle's {@code ISO9797Alg3Mac}, as the card side of Petr Tobiska's asterix SCP02 computes it.
 */
class SelectedAidChallengeTest {
  static final String K40 = "404142434445464748494A4B4C4D4E4F";
  static final Bytes APP = Bytes.fromHex("A0000000031010");

  /** A card-side SCP02 i=55 written from the specification with the JDK and Bouncy Castle only. */
  static final class SpecCard implements CardChannel {
    final byte[] key = Bytes.fromHex(K40).toByteArray();
    final byte[] seq = {0x00, 0x2A};
    Bytes selected = GpOptions.ISD_AID;
    byte[] lastChallenge;

    @Override
    public ResponseApdu transmit(CommandApdu c) {
      try {
        if (c.ins() == 0xA4) {
          selected = c.data();
          return ResponseApdu.of(0x9000);
        }
        if (c.ins() == 0x50) {
          byte[] sEnc = tdesCbc(key, derivation(0x01, 0x82));
          byte[] cMac = tdesCbc(key, derivation(0x01, 0x01));
          lastChallenge = Arrays.copyOf(retailMac(cMac, selected.toByteArray()), 6);
          byte[] in = new byte[24];
          System.arraycopy(c.data().toByteArray(), 0, in, 0, 8);
          System.arraycopy(seq, 0, in, 8, 2);
          System.arraycopy(lastChallenge, 0, in, 10, 6);
          in[16] = (byte) 0x80;
          byte[] mac = tdesCbc(sEnc, in);
          byte[] cryptogram = Arrays.copyOfRange(mac, 16, 24);
          return ResponseApdu.of(Bytes.concat(Bytes.fromHex("00000000000000000000"), Bytes.fromHex("0102"),
              Bytes.of(seq), Bytes.of(lastChallenge), Bytes.of(cryptogram)), 0x9000);
        }
        if (c.ins() == 0x82) {
          return ResponseApdu.of(0x9000);
        }
        return ResponseApdu.of(0x6D00);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }

    byte[] derivation(int a, int b) {
      byte[] d = new byte[16];
      d[0] = (byte) a;
      d[1] = (byte) b;
      d[2] = seq[0];
      d[3] = seq[1];
      return d;
    }

    static byte[] tdesCbc(byte[] doubleKey, byte[] data) throws Exception {
      byte[] k = new byte[24];
      System.arraycopy(doubleKey, 0, k, 0, 16);
      System.arraycopy(doubleKey, 0, k, 16, 8);
      Cipher c = Cipher.getInstance("DESede/CBC/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k, "DESede"), new IvParameterSpec(new byte[8]));
      return c.doFinal(data);
    }

    static byte[] retailMac(byte[] key, byte[] data) {
      ISO9797Alg3Mac mac = new ISO9797Alg3Mac(new DESEngine(), new ISO7816d4Padding());
      mac.init(new KeyParameter(key));
      mac.update(data, 0, data.length);
      byte[] out = new byte[8];
      mac.doFinal(out, 0);
      return out;
    }
  }

  private static GpKeys keys() {
    return GpKeys.single(ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.KMC, K40)).withKeyVersion(0x01);
  }

  @Test
  void theHostChecksTheChallengeForTheApplicationItSelected() {
    SpecCard card = new SpecCard();
    card.transmit(CommandApdu.of(0x00, 0xA4, 0x04, 0x00, APP));
    GpOptions options = GpOptions.builder(new SoftwareBackend()).scp02Variant(Scp02Variant.of(0x55)).aid(APP)
        .challengeCheck(GpOptions.ChallengeCheck.VERIFY).build();
    try (GpSecureChannel s = Scp02.open(card, keys(), options)) {
      assertThat(s.challengeStatus()).isEqualTo(ChallengeStatus.VERIFIED);
    }
  }

  @Test
  void checkingItForTheIsdWhenTheApplicationIsSelectedFailsBeforeExternalAuthenticate() {
    SpecCard card = new SpecCard();
    card.transmit(CommandApdu.of(0x00, 0xA4, 0x04, 0x00, APP));
    GpOptions isd = GpOptions.builder(new SoftwareBackend()).scp02Variant(Scp02Variant.of(0x55))
        .challengeCheck(GpOptions.ChallengeCheck.VERIFY).build();
    assertThatThrownBy(() -> Scp02.open(card, keys(), isd)).isInstanceOf(SecureChannelException.class)
        .hasMessageContaining("challenge");
  }

  @Test
  void theProjectsVirtualCardComputesItOverTheSelectedApplicationToo() {
    ScpCard[] holder = new ScpCard[1];
    Bytes[] selected = {GpOptions.ISD_AID};
    holder[0] = ScpCard.builder(new SoftwareBackend(), keys()).scp02(Scp02Variant.of(0x55)).aid(() -> selected[0]).build();
    SpecCard spec = new SpecCard();
    selected[0] = APP;
    spec.selected = APP;
    Bytes host = Bytes.fromHex("0102030405060708");
    ResponseApdu ours = holder[0].process(CommandApdu.of(0x80, 0x50, 0x01, 0x00, host));
    spec.transmit(CommandApdu.of(0x80, 0x50, 0x01, 0x00, host));
    // both answered with sequence counter 0001 vs 002A: recompute the spec card's challenge at our counter
    byte[] seq = ours.data().slice(12, 14).toByteArray();
    spec.seq[0] = seq[0];
    spec.seq[1] = seq[1];
    spec.transmit(CommandApdu.of(0x80, 0x50, 0x01, 0x00, host));
    assertThat(ours.data().slice(14, 20)).isEqualTo(Bytes.of(spec.lastChallenge));
  }
}
