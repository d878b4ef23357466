package dev.perso.gp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import dev.perso.core.SecureChannelException;
import dev.perso.core.ValidationException;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.card.VirtualCard;
import dev.perso.core.channel.CardChannel;
import dev.perso.gp.card.ScpCard;
import org.junit.jupiter.api.Test;

/**
 * The protocol as one typed value. Lengths from GP Card Specification 2.3.1 Appendix E (SCP02: 8-byte
 * host challenge, 6-byte card challenge, 3DES) and Amendment D §6.2 (SCP03: 8 or 16 bytes by i b1, AES,
 * pseudo-random card challenge by i b5).
 */
class ScpVersionTest {
  @Test
  void eachProtocolKnowsItsBlockSizeChallengesAndOptions() {
    ScpVersion scp02 = ScpVersion.of(2, 0x55);
    assertThat(scp02).isInstanceOf(ScpVersion.Scp02Protocol.class);
    assertThat(scp02.blockSize()).isEqualTo(8);
    assertThat(scp02.cardChallengeLength()).isEqualTo(6);
    assertThat(scp02.pseudoRandomChallenge()).isTrue();
    assertThat(ScpVersion.of(2, 0x15).pseudoRandomChallenge()).isFalse();
    assertThat(scp02.aes()).isFalse();

    ScpVersion.Scp03Protocol s16 = (ScpVersion.Scp03Protocol) ScpVersion.of(3, 0x71);
    assertThat(s16.s16()).isTrue();
    assertThat(s16.cardChallengeLength()).isEqualTo(16);
    assertThat(s16.hostChallengeLength()).isEqualTo(16);
    assertThat(s16.pseudoRandomChallenge()).isTrue();
    assertThat(ScpVersion.of(3, 0x00).cardChallengeLength()).isEqualTo(8);
    assertThat(s16.blockSize()).isEqualTo(16);
    assertThat(s16.aes()).isTrue();

    GpOptions o = s16.configure(GpOptions.builder(new dev.perso.crypto.SoftwareBackend())).build();
    assertThat(o.scp03Mode()).isEqualTo(GpOptions.Scp03Mode.S16);
    GpOptions o2 = scp02.configure(GpOptions.builder(new dev.perso.crypto.SoftwareBackend())).build();
    assertThat(o2.scp02Variant()).isEqualTo(Scp02Variant.of(0x55));
    assertThat(scp02.toString()).isEqualTo("SCP02 i=55");
  }

  @Test
  void otherProtocolsAreTypedErrors() {
    assertThatThrownBy(() -> ScpVersion.of(1, 0x05)).isInstanceOf(ValidationException.class).hasMessageContaining("02 or 03");
    assertThatThrownBy(() -> ScpVersion.of(3, 0x100)).isInstanceOf(ValidationException.class);
  }

  /** GP 2.3.1 E.5.2 (SCP02 levels: no R-ENCRYPTION) and Amendment D §7.1.2 (SCP03 levels: no R-MAC alone). */
  @Test
  void eachProtocolRefusesTheLevelsItDoesNotDefine() {
    ScpVersion scp02 = ScpVersion.of(2, 0x15);
    scp02.requireLevel(SecurityLevel.R_MAC);
    scp02.requireLevel(SecurityLevel.C_MAC_C_DEC_R_MAC);
    assertThatThrownBy(() -> scp02.requireLevel(SecurityLevel.C_MAC_C_DEC_R_MAC_R_ENC))
        .isInstanceOf(ValidationException.class).hasMessageContaining("SCP02 has no R-ENCRYPTION");
    ScpVersion scp03 = ScpVersion.of(3, 0x70);
    scp03.requireLevel(SecurityLevel.C_MAC_C_DEC_R_MAC_R_ENC);
    assertThatThrownBy(() -> scp03.requireLevel(SecurityLevel.R_MAC))
        .isInstanceOf(ValidationException.class).hasMessageContaining("no R-MAC-only level");
  }

  /** Amendment D Table 5-1: "i" b6 (20) R-MAC, b6 and b7 (60) R-ENCRYPTION; 40 alone and bits 02..08, 80 undefined. */
  @Test
  void anScp03IOffersTheResponseProtectionItsBitsSayAndAnUndefinedIIsATypedError() {
    ScpVersion.Scp03Protocol none = new ScpVersion.Scp03Protocol(0x10);
    ScpVersion.Scp03Protocol rMac = new ScpVersion.Scp03Protocol(0x30);
    ScpVersion.Scp03Protocol rEnc = new ScpVersion.Scp03Protocol(0x71);
    assertThat(none.supports(SecurityLevel.C_MAC_C_DEC)).isTrue();
    assertThat(none.supports(SecurityLevel.C_MAC_C_DEC_R_MAC)).isFalse();
    assertThat(rMac.rMac()).isTrue();
    assertThat(rMac.rEncryption()).isFalse();
    assertThat(rMac.supports(SecurityLevel.C_MAC_C_DEC_R_MAC)).isTrue();
    assertThat(rMac.supports(SecurityLevel.C_MAC_C_DEC_R_MAC_R_ENC)).isFalse();
    assertThat(rEnc.supports(SecurityLevel.C_MAC_C_DEC_R_MAC_R_ENC)).isTrue();
    for (int i : new int[] {0x40, 0x41, 0x02, 0x08, 0x80}) {
      assertThatThrownBy(() -> ScpVersion.of(3, i)).as("i=%02X", i).isInstanceOf(ValidationException.class)
          .hasMessageContaining("SCP03 i must be");
    }
  }

  /**
   * The INITIALIZE UPDATE response's SCP byte becomes the type once: SCP03 with the card's "i"; SCP02, whose
   * card does not state "i", with the host's variant, or 55/15 as the card challenge tells under the keys.
   */
  @Test
  void theCardsAnswerBecomesTheProtocolItSpeaks() {
    GpKeys des = GpKeys.diversified(GpTestCards.des(GpTestCards.K40), Diversification.EMV_CPS);
    GpKeys aes = GpKeys.diversified(GpTestCards.aes(GpTestCards.K40), Diversification.KDF3);
    Bytes host8 = Bytes.fromHex("0001020304050607");

    InitializeUpdateResponse scp03 = iu(ScpCard.builder(GpTestCards.SW, aes).scp03(0x70).build(), host8);
    assertThat(scp03.version(Scp02Variant.I_15)).isEqualTo(new ScpVersion.Scp03Protocol(0x70));
    assertThat(CardCryptogram.version(GpTestCards.SW, aes, GpOptions.ISD_AID, scp03))
        .isEqualTo(new ScpVersion.Scp03Protocol(0x70));

    InitializeUpdateResponse i55 = iu(ScpCard.builder(GpTestCards.SW, des).scp02(Scp02Variant.I_55).build(), host8);
    InitializeUpdateResponse i15 = iu(ScpCard.builder(GpTestCards.SW, des).scp02(Scp02Variant.I_15).build(), host8);
    assertThat(i55.version(Scp02Variant.I_05)).isEqualTo(new ScpVersion.Scp02Protocol(Scp02Variant.I_05));
    assertThat(CardCryptogram.version(GpTestCards.SW, des, GpOptions.ISD_AID, i55))
        .isEqualTo(new ScpVersion.Scp02Protocol(Scp02Variant.I_55));
    assertThat(CardCryptogram.version(GpTestCards.SW, des, GpOptions.ISD_AID, i15))
        .isEqualTo(new ScpVersion.Scp02Protocol(Scp02Variant.I_15));
  }

  @Test
  void offlineAuthenticationGoesThroughTheTypeTheCardAnsweredWith() {
    GpKeys aes = GpKeys.diversified(GpTestCards.aes(GpTestCards.K40), Diversification.KDF3);
    ScpCard card = ScpCard.builder(GpTestCards.SW, aes).scp03(0x30).build();
    Bytes host = Bytes.fromHex("0001020304050607");
    CardChannel channel = VirtualCard.connect(card);
    InitializeUpdateResponse iu = InitializeUpdateResponse.parse(
        channel.transmit(new CommandApdu(0x80, 0x50, 0x00, 0x00, host, 256)).requireSuccess("INITIALIZE UPDATE").data());
    ScpVersion v = iu.version(Scp02Variant.I_15);
    GpOptions options = v.configure(GpOptions.builder(GpTestCards.SW).level(SecurityLevel.C_MAC_C_DEC_R_MAC)
        .hostChallenge(host)).build();
    try (GpSecureChannel s = v.authenticate(channel, aes, options, iu)) {
      assertThat(s.version()).isEqualTo(v);
      assertThat(card.level()).contains(SecurityLevel.C_MAC_C_DEC_R_MAC);
    }
    // the same answer through the other protocol's type is refused before EXTERNAL AUTHENTICATE
    ScpVersion wrong = new ScpVersion.Scp02Protocol(Scp02Variant.I_15);
    assertThatThrownBy(() -> wrong.authenticate(c -> ResponseApdu.of(0x9000), aes,
        GpOptions.builder(GpTestCards.SW).hostChallenge(host).build(), iu))
        .isInstanceOf(SecureChannelException.class).hasMessageContaining("SCP03, not SCP02");
  }

  private static InitializeUpdateResponse iu(ScpCard card, Bytes host) {
    return InitializeUpdateResponse.parse(VirtualCard.connect(card)
        .transmit(new CommandApdu(0x80, 0x50, 0x00, 0x00, host, 256)).requireSuccess("INITIALIZE UPDATE").data());
  }
}
