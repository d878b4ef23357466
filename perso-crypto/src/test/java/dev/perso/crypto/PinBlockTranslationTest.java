package dev.perso.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import dev.perso.core.CryptoException;
import dev.perso.core.MalformedDataException;
import dev.perso.core.ValidationException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * PIN block translation, format 1 under a transport KEK to format 2 under a card DEK (issue 11 item 9).
 * The expected bytes come from the ISO 9564-1 block definitions (format 1: control 1, length, PIN, random
 * fill; format 2: control 2, length, PIN, fill F) and are encrypted and decrypted here with the JDK's own
 * DESede/AES ciphers, independently of the backend under test.
 */
class PinBlockTranslationTest {
  static final String KEK = "0123456789ABCDEFFEDCBA9876543210";
  static final String DEK = "404142434445464748494A4B4C4D4E4F";
  static final String AES_DEK = "2B7E151628AED2A6ABF7158809CF4F3C";

  @Test
  void formatOneUnderKekBecomesFormatTwoUnderDek() throws Exception {
    // ISO 9564-1 format 1 with a known fill: 1 4 1234 then ten fill nibbles.
    Bytes iso1 = Bytes.fromHex("141234A5B6C7D8E9");
    Bytes underKek = Bytes.of(jce("DESede/ECB/NoPadding", Cipher.ENCRYPT_MODE, tdes(KEK), null, iso1.toByteArray()));
    SoftwareBackend sw = new SoftwareBackend();
    try (ClearKeyRef kek = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.KEK, KEK);
         ClearKeyRef dek = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.DEK, DEK)) {
      Bytes out = sw.translatePinBlock(PinBlockTranslation.from(kek, PinBlock.Format.ISO_1)
          .to(dek, PinBlock.Format.ISO_2).build(), underKek);
      byte[] clear = jce("DESede/ECB/NoPadding", Cipher.DECRYPT_MODE, tdes(DEK), null, out.toByteArray());
      assertThat(Bytes.of(clear).toHex()).isEqualTo("241234FFFFFFFFFF");
    }
  }

  @Test
  void anAesDekGetsTheBlockPaddedWithMethodTwoAndCbc() throws Exception {
    Bytes iso1 = PinBlock.encode(PinBlock.Format.ISO_1, "98765", null);
    SoftwareBackend sw = new SoftwareBackend();
    try (ClearKeyRef kek = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.KEK, KEK);
         ClearKeyRef dek = ClearKeyRef.fromHex(KeyAlgorithm.AES_128, KeyUsage.DEK, AES_DEK)) {
      Bytes underKek = sw.encrypt(kek, CipherSpec.ecb(), iso1);
      Bytes out = sw.translatePinBlock(PinBlockTranslation.from(kek, PinBlock.Format.ISO_1)
          .to(dek, PinBlock.Format.ISO_2).toSpec(CipherSpec.cbcZeroIv()).padding(Padding.METHOD_2).build(), underKek);
      assertThat(out.length()).isEqualTo(16);
      byte[] clear = jce("AES/CBC/NoPadding", Cipher.DECRYPT_MODE, new SecretKeySpec(Bytes.fromHex(AES_DEK).toByteArray(), "AES"),
          new byte[16], out.toByteArray());
      assertThat(Bytes.of(clear).toHex()).isEqualTo("2598765FFFFFFFFF80000000000000" + "00");

      assertThatThrownBy(() -> sw.translatePinBlock(PinBlockTranslation.from(kek, PinBlock.Format.ISO_1)
          .to(dek, PinBlock.Format.ISO_2).build(), underKek))
          .isInstanceOf(ValidationException.class).hasMessageContaining("multiple of 16");
    }
  }

  @Test
  void equalPinsNeverGiveEqualTransportCryptograms() {
    SoftwareBackend sw = new SoftwareBackend();
    try (ClearKeyRef kek = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.KEK, KEK)) {
      Bytes a = sw.encrypt(kek, CipherSpec.ecb(), PinBlock.encode(PinBlock.Format.ISO_1, "1234", null));
      Bytes b = sw.encrypt(kek, CipherSpec.ecb(), PinBlock.encode(PinBlock.Format.ISO_1, "1234", null));
      assertThat(a).isNotEqualTo(b);
    }
  }

  @Test
  void aBlockOfAnotherFormatIsRefusedWithoutQuotingThePin() {
    SoftwareBackend sw = new SoftwareBackend();
    try (ClearKeyRef kek = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.KEK, KEK);
         ClearKeyRef dek = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.DEK, DEK)) {
      Bytes iso2UnderKek = sw.encrypt(kek, CipherSpec.ecb(), PinBlock.encode(PinBlock.Format.ISO_2, "4826", null));
      assertThatThrownBy(() -> sw.translatePinBlock(PinBlockTranslation.from(kek, PinBlock.Format.ISO_1)
          .to(dek, PinBlock.Format.ISO_2).build(), iso2UnderKek))
          .isInstanceOf(MalformedDataException.class).hasMessageContaining("format 1").hasMessageNotContaining("4826");
      // a 16-byte source (two blocks) whose second block is not method 2 padding
      Bytes twoBlocks = sw.encrypt(kek, CipherSpec.ecb(), Bytes.concat(PinBlock.encode(PinBlock.Format.ISO_1, "4826", null),
          Bytes.fromHex("4826482648264826")));
      assertThatThrownBy(() -> sw.translatePinBlock(PinBlockTranslation.from(kek, PinBlock.Format.ISO_1)
          .to(dek, PinBlock.Format.ISO_2).build(), twoBlocks))
          .isInstanceOf(MalformedDataException.class).hasMessageContaining("method 2").hasMessageNotContaining("4826");
    }
  }

  @Test
  void keyUsageIsEnforcedOnBothKeys() {
    SoftwareBackend sw = new SoftwareBackend();
    try (ClearKeyRef kek = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.KEK, KEK);
         ClearKeyRef cvk = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.CVK, DEK)) {
      Bytes underKek = sw.encrypt(kek, CipherSpec.ecb(), PinBlock.encode(PinBlock.Format.ISO_1, "1234", null));
      assertThatThrownBy(() -> sw.translatePinBlock(PinBlockTranslation.from(kek, PinBlock.Format.ISO_1)
          .to(cvk, PinBlock.Format.ISO_2).build(), underKek))
          .isInstanceOf(CryptoException.class).hasMessageContaining("usage CVK");
    }
  }

  @Test
  void formatZeroNeedsThePanAndToStringNeverShowsIt() {
    try (ClearKeyRef kek = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.KEK, KEK);
         ClearKeyRef dek = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.DEK, DEK)) {
      assertThatThrownBy(() -> PinBlockTranslation.from(kek, PinBlock.Format.ISO_0).to(dek, PinBlock.Format.ISO_2).build())
          .isInstanceOf(ValidationException.class).hasMessageContaining("pan");
      PinBlockTranslation t = PinBlockTranslation.from(kek, PinBlock.Format.ISO_0).pan("4111111111111111")
          .to(dek, PinBlock.Format.ISO_2).build();
      assertThat(t.toString()).doesNotContain("4111111111111111").contains("ISO_0").contains("ISO_2");
    }
  }

  @Test
  void formatZeroSourceDecodesWithThePan() throws Exception {
    // ISO 9564-1 format 0 definition (PinBlockProperties.format0ByHand): PIN 1234, PAN 4111111111111111.
    Bytes iso0 = Bytes.fromHex("041225EEEEEEEEEE");
    Bytes underKek = Bytes.of(jce("DESede/ECB/NoPadding", Cipher.ENCRYPT_MODE, tdes(KEK), null, iso0.toByteArray()));
    SoftwareBackend sw = new SoftwareBackend();
    try (ClearKeyRef kek = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.KEK, KEK);
         ClearKeyRef dek = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.DEK, DEK)) {
      Bytes out = sw.translatePinBlock(PinBlockTranslation.from(kek, PinBlock.Format.ISO_0).pan("4111111111111111")
          .to(dek, PinBlock.Format.ISO_2).build(), underKek);
      assertThat(Bytes.of(jce("DESede/ECB/NoPadding", Cipher.DECRYPT_MODE, tdes(DEK), null, out.toByteArray())).toHex())
          .isEqualTo("241234FFFFFFFFFF");
    }
  }

  @Test
  @Tag("softhsm2")
  void softHsmTranslatesWithTokenKeysToTheSameBlock() throws Exception {
    Pkcs11Backend hsm = SoftHsm.backend();
    TokenKeyRef kek = (TokenKeyRef) hsm.importClear(KeyTemplate.of(SoftHsm.label("pin-kek"), KeyAlgorithm.TDES_2KEY,
        KeyUsage.KEK), Bytes.fromHex(KEK));
    try (ClearKeyRef dek = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.DEK, DEK)) {
      Bytes underKek = Bytes.of(jce("DESede/ECB/NoPadding", Cipher.ENCRYPT_MODE, tdes(KEK), null,
          Bytes.fromHex("141234A5B6C7D8E9").toByteArray()));
      Bytes out = hsm.translatePinBlock(PinBlockTranslation.from(kek, PinBlock.Format.ISO_1)
          .to(dek, PinBlock.Format.ISO_2).build(), underKek);
      assertThat(Bytes.of(jce("DESede/ECB/NoPadding", Cipher.DECRYPT_MODE, tdes(DEK), null, out.toByteArray())).toHex())
          .isEqualTo("241234FFFFFFFFFF");
    } finally {
      hsm.delete(kek.label());
    }
  }

  static SecretKeySpec tdes(String doubleLength) {
    byte[] k = Bytes.fromHex(doubleLength).toByteArray();
    byte[] k3 = new byte[24];
    System.arraycopy(k, 0, k3, 0, 16);
    System.arraycopy(k, 0, k3, 16, 8);
    return new SecretKeySpec(k3, "DESede");
  }

  static byte[] jce(String transformation, int mode, SecretKeySpec key, byte[] iv, byte[] data) throws Exception {
    Cipher c = Cipher.getInstance(transformation);
    if (iv == null) {
      c.init(mode, key);
    } else {
      c.init(mode, key, new IvParameterSpec(iv));
    }
    return c.doFinal(data);
  }
}
