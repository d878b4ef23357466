package dev.perso.gp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perso.core.Bytes;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.card.ScriptedCard;
import dev.perso.core.card.VirtualCard;
import dev.perso.crypto.ClearKeyRef;
import dev.perso.crypto.KeyAlgorithm;
import dev.perso.crypto.KeyUsage;
import dev.perso.crypto.SoftwareBackend;
import dev.perso.gp.card.ScpCard;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Complete host dialogues against {@link ScriptedCard}, byte for byte. The card's side of each script was
 * recorded from {@link ScpCard} (KMC = K40, KDD 00112233445566778899, KVN 20, seeded challenges). These are
 * regression transcripts of this implementation, NOT independent vectors: the independent ones (session
 * keys, wrapper bytes, KCVs) are in {@link GpVectorsTest}, and no public SCP02 R-MAC or SCP03 R-ENC
 * transcript was found (notes gp-emv-cps §5.2).
 */
class GoldenDialogueTest {
  static final SoftwareBackend SW = new SoftwareBackend();
  static final String K40 = "404142434445464748494A4B4C4D4E4F";
  static final CommandApdu STORE_1 = CommandApdu.of(0x80, 0xE2, 0x00, 0x00,
      Bytes.fromHex("0101107010570847617390010100105F240325"));
  static final CommandApdu STORE_2 = CommandApdu.of(0x80, 0xE2, 0x80, 0x01, Bytes.fromHex("9102055F2D02656E"));

  @AfterAll
  static void close() {
    SW.close();
  }

  static GpOptions options(SecurityLevel level) {
    return GpOptions.builder(SW).hostChallenge(Bytes.fromHex("0102030405060708")).level(level).build();
  }

  @Test
  void scp02EmvCpsCMacCDecRMac() {
    ScriptedCard card = ScriptedCard.builder()
        .expect("8050000008010203040506070800", "001122334455667788992002000B359D41BAF78AF2FAD5586A69F0F09000")
        .expect("8482130010BF5724F8964140F55AF3E30835CE85B9", "9000")
        .expect("84E20000209ACC3A717526A0DE0CB19548F56653009E0A062E4E34DF0D8FA48F6ED016DBBF", "9F3602001CF3D91238116135709000")
        .expect("84E2800118F3457B8B9494402B4BE42DB1DA59BD71E45BDF743C8CD778", "9F3602001CFD4BF11CFE549D689000")
        .build();
    GpKeys keys = GpKeys.diversified(ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.KMC, K40), Diversification.EMV_CPS);
    try (GpSecureChannel s = Scp02.open(VirtualCard.connect(card), keys, options(SecurityLevel.C_MAC_C_DEC_R_MAC))) {
      assertThat(s.transmit(STORE_1).data().toHex()).isEqualTo("9F3602001C");
      assertThat(s.transmit(STORE_2).data().toHex()).isEqualTo("9F3602001C");
    }
    card.assertComplete();
  }

  @Test
  void scp03Kdf3PseudoRandomFullSecurity() {
    ScriptedCard card = ScriptedCard.builder()
        .expect("8050000008010203040506070800", "00112233445566778899200370EC8645EA32371C8E62B24F69A1B7E1D600000B9000")
        .expect("8482330010AE92CF28103741635444A848B39D69F3", "9000")
        .expect("84E2000028DC5DFD1572D4C8E578FBDD46D9B698532E4ECCB8F299E47CF494CB3DB64995970440FA58E26539B0",
            "FC78DC4F88120E0ACA2B6A3CDD6C2701FA5506FC7EB14AFD9000")
        .expect("84E28001181198B709B2572956BB483D57360350ED22B688087611D262",
            "BCBED6F1D4E542E1AFAD0DCAC9E18959F650ACAB675C39199000")
        .build();
    GpKeys keys = GpKeys.diversified(ClearKeyRef.fromHex(KeyAlgorithm.AES_128, KeyUsage.KMC, K40), Diversification.KDF3);
    try (GpSecureChannel s = Scp03.open(VirtualCard.connect(card), keys,
        options(SecurityLevel.C_MAC_C_DEC_R_MAC_R_ENC))) {
      assertThat(s.challengeStatus()).isEqualTo(ChallengeStatus.VERIFIED);
      assertThat(s.transmit(STORE_1).data().toHex()).isEqualTo("9F3602001C");
      assertThat(s.transmit(STORE_2).data().toHex()).isEqualTo("9F3602001C");
    }
    card.assertComplete();
  }
}
