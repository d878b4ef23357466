package dev.perso.gp;

import static dev.perso.gp.GpTestCards.aes;
import static dev.perso.gp.GpTestCards.des;
import static org.assertj.core.api.Assertions.assertThat;

import dev.perso.gp.card.VirtualIsd;
import dev.perso.gp.internal.StaticKeys;
import dev.perso.core.Bytes;
import dev.perso.core.apdu.CommandApdu;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.stream.Collectors;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * STORE DATA key loading (GP Card Specification 2.3.1 §11.11.4): per key DGI 00B9 with one B9 control
 * reference template (Table 11-92) then DGI 8113 with the key encrypted under the DEK (Table 11-93), checked
 * against an encoding recomputed here with the JDK's ciphers straight from the tables, not with the code
 * under test, and against the spec-form vector of notes/gp-card-management.md §2.
 */
class KeyLoadingStoreDataTest {
  private static final String DEK = "000102030405060708090A0B0C0D0E0F";
  private static final String[] NEW = {"404142434445464748494A4B4C4D4E4F", "505152535455565758595A5B5C5D5E5F",
      "606162636465666768696A6B6C6D6E6F"};
  private static final int[] USAGE = {0x18, 0x14, 0x48}; // C-ENC, C-MAC, C-DEK (§11.1.9)

  /** Table 11-92 and 11-93, written out byte by byte for one key. */
  static byte[] expectedBlock(String algorithm, String wrapMode, byte[] dek, byte[] key, int id, int kvn, int type,
      byte[] kcv) throws Exception {
    ByteArrayOutputStream crt = new ByteArrayOutputStream();
    crt.writeBytes(new byte[] {(byte) 0x95, 1, (byte) USAGE[id - 1]});   // key usage qualifier [M]
    crt.writeBytes(new byte[] {(byte) 0x80, 1, (byte) type});            // key type [M]
    crt.writeBytes(new byte[] {(byte) 0x81, 1, (byte) key.length});      // key length [M]
    crt.writeBytes(new byte[] {(byte) 0x82, 1, (byte) id});              // key ID [M]
    crt.writeBytes(new byte[] {(byte) 0x83, 1, (byte) kvn});             // key version [M]
    crt.writeBytes(new byte[] {(byte) 0x84, 3});                          // KCV [M]
    crt.writeBytes(kcv);
    byte[] c = crt.toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {0x00, (byte) 0xB9, (byte) (c.length + 2), (byte) 0xB9, (byte) c.length});
    out.writeBytes(c);
    Cipher cipher = Cipher.getInstance(algorithm + "/" + wrapMode + "/NoPadding");
    SecretKeySpec k = new SecretKeySpec(algorithm.equals("DESede") ? desede(dek) : dek, algorithm);
    if (wrapMode.equals("CBC")) {
      cipher.init(Cipher.ENCRYPT_MODE, k, new IvParameterSpec(new byte[algorithm.equals("AES") ? 16 : 8]));
    } else {
      cipher.init(Cipher.ENCRYPT_MODE, k);
    }
    byte[] enc = cipher.doFinal(key);
    out.writeBytes(new byte[] {(byte) 0x81, 0x13, (byte) enc.length});
    out.writeBytes(enc);
    return out.toByteArray();
  }

  static byte[] desede(byte[] k16) {
    byte[] k = new byte[24];
    System.arraycopy(k16, 0, k, 0, 16);
    System.arraycopy(k16, 0, k, 16, 8);
    return k;
  }

  static byte[] aesKcv(byte[] key) throws Exception {
    Cipher c = Cipher.getInstance("AES/ECB/NoPadding");
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
    byte[] ones = new byte[16];
    java.util.Arrays.fill(ones, (byte) 1);
    return java.util.Arrays.copyOf(c.doFinal(ones), 3); // GP App. B.6 / Amendment D §7.2.2
  }

  static byte[] desKcv(byte[] key) throws Exception {
    Cipher c = Cipher.getInstance("DESede/ECB/NoPadding");
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(desede(key), "DESede"));
    return java.util.Arrays.copyOf(c.doFinal(new byte[8]), 3);
  }

  @Test
  void scp03KeyLoadingMatchesTheRecomputationAndTheSpecFormVector() throws Exception {
    GpTestCards t = new GpTestCards(GpKeys.single(aes(DEK)), true, 0, VirtualIsd.builder(GpTestCards.SW));
    try (GpSecureChannel s = t.open(GpKeys.single(aes(DEK)), SecurityLevel.C_MAC)) {
      GpCardManager.KeyRotation r = GpCardManager.builder(s, GpTestCards.SW).build()
          .storeDataKeys(GpKeys.of(aes(NEW[0]), aes(NEW[1]), aes(NEW[2])), 0x01);
      // the KCVs of kaoh's test_build_store_data_keys_scp03_aes128 (notes §2)
      assertThat(r.kcvs()).containsExactly("504A77", "F2A8DF", "D7D0E4");
    }
    List<CommandApdu> stores = t.plain.stream().filter(c -> c.ins() == 0xE2).collect(Collectors.toList());
    assertThat(stores).hasSize(3);
    for (int n = 0; n < 3; n++) {
      byte[] key = Bytes.fromHex(NEW[n]).toByteArray();
      byte[] want = expectedBlock("AES", "CBC", Bytes.fromHex(DEK).toByteArray(), key, n + 1, 1, 0x88, aesKcv(key));
      assertThat(stores.get(n).data().toHex()).isEqualTo(Bytes.of(want).toHex());
      // P1 (Table 11-89): b7b6 01 application-dependent encryption, b5b4 01 DGI format, b8 on the last block only
      assertThat(stores.get(n).p1()).isEqualTo(n == 2 ? 0xA8 : 0x28);
      assertThat(stores.get(n).p2()).isEqualTo(n);
    }
    // Spec-form vector for key 1 (notes §2; ciphertext = kaoh's first 8113 value)
    assertThat(stores.get(0).data().toHex()).isEqualTo("00B916B914950118800188810110820101830101" + "8403504A77"
        + "811310D533E59B45A153ED7E5E9C5DFCFD4AAA");
    assertThat(t.isd.keyVersions()).containsExactly(0x01);
    assertThat(t.isd.history()).containsExactly("STORE DATA: key set 01 replaced by 01");
    try (GpSecureChannel s = t.open(GpKeys.of(aes(NEW[0]), aes(NEW[1]), aes(NEW[2])), SecurityLevel.C_MAC)) {
      assertThat(s.initializeUpdateResponse().keyVersion()).isEqualTo(1);
    }
  }

  @Test
  void scp02KeyLoadingWrapsUnderTheSessionDekInEcb() throws Exception {
    String k = GpTestCards.K40;
    GpTestCards t = new GpTestCards(GpKeys.single(des(k)), false, -1, VirtualIsd.builder(GpTestCards.SW));
    GpKeys issuer = GpKeys.diversified(des("0F0E0D0C0B0A09080706050403020100"), Diversification.VISA2);
    try (GpSecureChannel s = t.open(GpKeys.single(des(k)), SecurityLevel.C_MAC)) {
      GpCardManager.builder(s, GpTestCards.SW).build().storeDataKeys(issuer, 0x20);
    }
    List<CommandApdu> stores = t.plain.stream().filter(c -> c.ins() == 0xE2).collect(Collectors.toList());
    // session DEK for sequence counter 0000 (notes §1, 1a: COMPUTED E11987EE..., KCV 85272E in GPPro's tests)
    byte[] sDek = Bytes.fromHex("E11987EE331B417A5D67D760692F89D4").toByteArray();
    assertThat(Bytes.of(desKcv(sDek)).toHex()).isEqualTo("85272E");
    // VISA2 card keys from the KDD 00010203040506070809, computed here from the VISA2 layout
    // (KDD bytes 0,1,4..7 with F0 01 / 0F 01 ...), see GpVectorsTest for the method's own vectors.
    try (StaticKeys keys = issuer.resolve(GpTestCards.SW, GpTestCards.KDD)) {
      dev.perso.crypto.KeyRef[] all = {keys.enc, keys.mac, keys.dek};
      for (int n = 0; n < 3; n++) {
        byte[] key = ((dev.perso.crypto.ClearKeyRef) all[n]).toSecretBytes().toByteArray();
        byte[] want = expectedBlock("DESede", "ECB", sDek, key, n + 1, 0x20, 0x80, desKcv(key));
        assertThat(stores.get(n).data().toHex()).isEqualTo(Bytes.of(want).toHex());
      }
    }
    // a new version is added next to the old one (§11.11.4); DELETE (Table 11-24) then removes the old set
    assertThat(t.isd.keyVersions()).containsExactly(0x01, 0x20);
    try (GpSecureChannel s = t.open(issuer.withKeyVersion(0x20), SecurityLevel.C_MAC)) {
      GpCardManager gp = GpCardManager.builder(s, GpTestCards.SW).build();
      gp.deleteKeySet(0x01);
      assertThat(t.last(0xE4).data().toHex()).isEqualTo("D20101");
      // never the last key set
      assertThat(s.transmit(GpCommands.deleteKeySet(0x20)).sw().value()).isEqualTo(0x6985);
    }
    assertThat(t.isd.keyVersions()).containsExactly(0x20);
  }

  @Test
  void theCardRefusesA8113WithoutIts00B9AndABadKcv() {
    GpTestCards t = new GpTestCards(GpKeys.single(aes(DEK)), true, 0, VirtualIsd.builder(GpTestCards.SW));
    try (GpSecureChannel s = t.open(GpKeys.single(aes(DEK)), SecurityLevel.C_MAC)) {
      assertThat(s.transmit(CommandApdu.of(0x80, 0xE2, 0xA8, 0x00,
          Bytes.fromHex("811310D533E59B45A153ED7E5E9C5DFCFD4AAA"))).sw().value()).isEqualTo(0x6A80);
      assertThat(s.transmit(CommandApdu.of(0x80, 0xE2, 0xA8, 0x00, Bytes.fromHex(
          "00B916B914950118800188810110820101830101840350AA77811310D533E59B45A153ED7E5E9C5DFCFD4AAA"))).sw().value())
          .isEqualTo(0x6982);
    }
    assertThat(t.isd.history()).isEmpty();
  }
}
