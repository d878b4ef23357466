package dev.perso.gp;

import static dev.perso.gp.GpTestCards.K40;
import static dev.perso.gp.GpTestCards.aes;
import static dev.perso.gp.GpTestCards.des;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import dev.perso.core.PersoException;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.gp.card.VirtualIsd;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * PUT KEY (GP Card Specification 2.3.1 §11.8; Amendment D §7.2 for SCP03), host against the virtual ISD, with
 * the public encryption vectors restated in notes/gp-card-management.md §1.
 */
class PutKeyTest {
  private static final String DES_FIELD_1E = "8010EFBEE6C6D99D7B70BDE9D7E927F020AF038BAF47";
  private static final String AES_FIELD_1F = "88111080D2A5B08FA0EE51143B459E638106DF03504A77";

  @Test
  void scp02PutKeyMatchesThePublicVector() {
    // Vector 1e: static keys K = 404142..4F, sequence counter 0000, new keys K x3, new KVN 01. The session DEK
    // wraps in 3DES-ECB (GP 2.2.1 E.4.7); 3DES-ECB of K under S-DEK = EFBEE6C6... (GPPro TestPlaintextKeys
    // testKeyEncryption_SCP02); KCV = 3DES(K, 00x8)[0:3] = 8BAF47 (App. B.6).
    GpTestCards t = new GpTestCards(GpKeys.single(des(K40)), false, -1, VirtualIsd.builder(GpTestCards.SW));
    try (GpSecureChannel s = t.open(GpKeys.single(des(K40)), SecurityLevel.C_MAC)) {
      GpCardManager.KeyRotation r = GpCardManager.builder(s, GpTestCards.SW).build()
          .putKeys(GpKeys.single(des(K40)), 0x01);
      assertThat(r.kcvs()).containsExactly("8BAF47", "8BAF47", "8BAF47");
    }
    CommandApdu put = t.last(0xD8);
    // P1 = the key set replaced (Table 11-65), P2 81 = key ID 1 and the following ones (Table 11-66)
    assertThat(put.p1()).isEqualTo(0x01);
    assertThat(put.p2()).isEqualTo(0x81);
    assertThat(put.data().toHex()).isEqualTo("01" + DES_FIELD_1E + DES_FIELD_1E + DES_FIELD_1E);
    assertThat(t.isd.keyVersions()).containsExactly(0x01);
  }

  @Test
  void scp03PutKeyMatchesTheComputedVectorAndAnswersKcvs() {
    // Vector 1f: SCP03 wraps with the static Key-DEK, AES-CBC ICV 0 (Amendment D §6.2.8); the AES key field is
    // 88 11 10 <16> 03 KCV (Table 7-10) with KCV = AES(K, 01x16)[0:3] = 504A77 (App. B.6).
    GpTestCards t = new GpTestCards(GpKeys.single(aes(K40)), true, 0, VirtualIsd.builder(GpTestCards.SW));
    try (GpSecureChannel s = t.open(GpKeys.single(aes(K40)), SecurityLevel.C_MAC)) {
      GpCardManager.builder(s, GpTestCards.SW).build().putKeys(GpKeys.single(aes(K40)), 0x01);
    }
    assertThat(t.last(0xD8).data().toHex()).isEqualTo("01" + AES_FIELD_1F + AES_FIELD_1F + AES_FIELD_1F);
  }

  @Test
  void aes256KeysAreChainedInCbcUnderTheStaticDek() {
    // kaoh/globalplatform storeDataTest (notes §1, 1f): key = DEK = 000102..1F, AES-CBC with ICV 0 gives
    // 5A6E0457...C77147EB... (ECB would differ in the second block); KCV 75E208.
    String k = "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F";
    GpTestCards t = new GpTestCards(GpKeys.single(aes(k)), true, 0, VirtualIsd.builder(GpTestCards.SW));
    try (GpSecureChannel s = t.open(GpKeys.single(aes(k)), SecurityLevel.C_MAC_C_DEC)) {
      GpCardManager.builder(s, GpTestCards.SW).build().putKeys(GpKeys.single(aes(k)), 0x02);
    }
    String field = "882120" + "5A6E045708FB7196F02E553D02C3A692C77147EBD5121DE8D0FAE7762423B6BF" + "0375E208";
    assertThat(t.last(0xD8).data().toHex()).isEqualTo("02" + field + field + field);
    assertThat(t.isd.keyVersions()).containsExactly(0x02);
  }

  @Test
  void rotationFromTransportToIssuerKmcReopensOnlyWithTheNewKeys() {
    GpKeys transport = GpKeys.diversified(des(K40), Diversification.EMV_CPS);
    GpKeys issuer = GpKeys.diversified(des("0F0E0D0C0B0A09080706050403020100"), Diversification.EMV_CPS);
    GpTestCards t = new GpTestCards(transport, false, 0, VirtualIsd.builder(GpTestCards.SW));
    try (GpSecureChannel s = t.open(transport, SecurityLevel.C_MAC_C_DEC)) {
      GpCardManager.KeyRotation r = GpCardManager.builder(s, GpTestCards.SW).build().putKeys(issuer, 0x02);
      assertThat(r.oldKeyVersion()).isEqualTo(1);
      assertThat(r.newKeyVersion()).isEqualTo(2);
    }
    assertThat(t.isd.keyVersions()).containsExactly(0x02);
    assertThat(t.isd.history()).containsExactly("PUT KEY: key set 01 replaced by 02");
    try (GpSecureChannel s = t.open(issuer.withKeyVersion(0x02), SecurityLevel.C_MAC)) {
      assertThat(s.initializeUpdateResponse().keyVersion()).isEqualTo(2);
    }
    // the transport key set is gone: KVN 01 is unknown (6A88), the default set is the issuer's
    assertThatThrownBy(() -> t.open(transport.withKeyVersion(0x01), SecurityLevel.C_MAC))
        .isInstanceOf(dev.perso.core.SecureChannelException.class).hasMessageContaining("6A88");
    assertThatThrownBy(() -> t.open(transport, SecurityLevel.C_MAC)).isInstanceOf(PersoException.class);
  }

  @Test
  void theCardRefusesAWrongKcvAUnknownKeySetAndATypeChange() {
    GpTestCards t = new GpTestCards(GpKeys.single(des(K40)), false, -1, VirtualIsd.builder(GpTestCards.SW));
    String badKcv = "8010EFBEE6C6D99D7B70BDE9D7E927F020AF038BAF48";
    try (GpSecureChannel s = t.open(GpKeys.single(des(K40)), SecurityLevel.C_MAC)) {
      // §11.8.3.2: a KCV that does not match the decrypted key is 6982; nothing changes
      assertThat(s.transmit(CommandApdu.of(0x80, 0xD8, 0x01, 0x81, Bytes.fromHex("02" + DES_FIELD_1E + DES_FIELD_1E
          + badKcv), 256)).sw().value()).isEqualTo(0x6982);
      // P1 names a key set the card does not hold: 6A88 (referenced data not found)
      assertThat(s.transmit(CommandApdu.of(0x80, 0xD8, 0x05, 0x81, Bytes.fromHex("02" + DES_FIELD_1E + DES_FIELD_1E
          + DES_FIELD_1E), 256)).sw().value()).isEqualTo(0x6A88);
      // P1 00 adds a set: its version must be free
      assertThat(s.transmit(CommandApdu.of(0x80, 0xD8, 0x00, 0x81, Bytes.fromHex("01" + DES_FIELD_1E + DES_FIELD_1E
          + DES_FIELD_1E), 256)).sw().value()).isEqualTo(0x6A80);
    }
    assertThat(t.isd.keyVersions()).containsExactly(0x01);
    assertThat(t.isd.history()).isEmpty();
  }

  @Test
  void aRefusedPutKeySaysTheCardKeepsItsOldKeys() {
    GpTestCards t = new GpTestCards(GpKeys.single(des(K40)), false, -1, VirtualIsd.builder(GpTestCards.SW));
    try (GpSecureChannel s = t.open(GpKeys.single(des(K40)), SecurityLevel.C_MAC)) {
      // an SCP02 card holds 3DES keys: AES keys cannot replace them
      assertThatThrownBy(() -> GpCardManager.builder(s, GpTestCards.SW).build().putKeys(GpKeys.single(aes(K40)), 2))
          .isInstanceOf(dev.perso.core.ValidationException.class);
      // a card that answers 6A84 (no memory) keeps KVN 01: the exception says so, with the version only
      GpSecureChannel refusing = new ForwardingSecureChannel(s, c -> c.ins() == 0xD8 ? ResponseApdu.of(0x6A84) : null);
      assertThatThrownBy(() -> GpCardManager.builder(refusing, GpTestCards.SW).build()
          .putKeys(GpKeys.single(des("0F0E0D0C0B0A09080706050403020100")), 2))
          .isInstanceOfSatisfying(KeyRotationException.class, e -> {
            assertThat(e.holding()).isEqualTo(KeyRotationException.Holding.OLD_KEYS);
            assertThat(e.cardKeyVersion()).isEqualTo(1);
            assertThat(e.getMessage()).contains("KVN 01").doesNotContain("0F0E0D0C");
          });
    }
    assertThat(t.isd.keyVersions()).isEqualTo(List.of(0x01));
  }
}
