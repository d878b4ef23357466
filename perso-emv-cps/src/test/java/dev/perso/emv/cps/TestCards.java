package dev.perso.emv.cps;

import dev.perso.core.Bytes;
import dev.perso.core.tlv.Tlv;
import dev.perso.crypto.CipherSpec;
import dev.perso.crypto.ClearKeyRef;
import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.Derivation;
import dev.perso.crypto.KeyAlgorithm;
import dev.perso.crypto.KeyRef;
import dev.perso.crypto.KeyUsage;
import dev.perso.crypto.PinBlock;
import dev.perso.crypto.SoftwareBackend;
import java.util.ArrayList;
import java.util.List;
import dev.perso.core.record.CardRecord;

/** Perso data for tests: a small EMV application whose keys are derived like a real issuer's. */
public final class TestCards {
  public static final CryptoBackend CRYPTO = new SoftwareBackend();
  // GP test key 404142..4F, the KMC of GlobalPlatformPro's TestPlaintextKeys and most GP vectors.
  public static final KeyRef KMC = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.KMC, "404142434445464748494A4B4C4D4E4F");
  // AES-128 KMC for SCP03 profiles: the same GP test key bytes.
  public static final KeyRef KMC_AES = ClearKeyRef.fromHex(KeyAlgorithm.AES_128, KeyUsage.KMC, "404142434445464748494A4B4C4D4E4F");
  // IMK of pyemv's kd.derive_icc_mk_a doctest.
  public static final KeyRef IMK = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.IMK_AC, "0123456789ABCDEFFEDCBA9876543210");
  public static final KeyRef KEK = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.KEK, "00112233445566778899AABBCCDDEEFF");
  public static final Bytes VSDC = Bytes.fromHex("A0000000031010");
  /** The offline PIN of every test card. */
  public static final String PIN = "1234";
  public static final Bytes MCHIP = Bytes.fromHex("A0000000041010");

  private TestCards() {}

  /**
   * @param cardId the card id
   * @param aid the application
   * @param profile the profile name
   * @param bigRecord also add a 600-byte record so STORE DATA must split it
   * @return the card's record, with an applications section
   */
  public static CardRecord card(String cardId, Bytes aid, String profile, boolean bigRecord) {
    String pan = "12345678901234567";
    KeyRef iccMk = CRYPTO.derive(IMK, Derivation.emvOptionA(pan, "01"));
    Bytes keys = Bytes.concat(CRYPTO.exportUnderKek(iccMk, KEK), CRYPTO.exportUnderKek(iccMk, KEK), CRYPTO.exportUnderKek(iccMk, KEK));
    Bytes kcv = CRYPTO.kcv(iccMk, dev.perso.crypto.KcvMethod.ENCRYPT_ZEROS).value();
    // ISO 9564-1 format 1 (random fill) under the transport KEK, as the reference data preparation sends it.
    Bytes pinBlock = PinBlock.encode(PinBlock.Format.ISO_1, PIN, null);
    List<InputDgi> dgis = new ArrayList<>();
    dgis.add(InputDgi.clear(Dgi.of(0x9102, Tlv.builder(0xA5).add(0x50, Bytes.fromHex("54455354")).build().encode())));
    dgis.add(InputDgi.clear(Dgi.of(0x9104, Bytes.fromHex("820218009404 08010200".replace(" ", "")))));
    dgis.add(InputDgi.clear(Dgi.of(0x0101, Tlv.builder(0x70)
        .add(0x57, Bytes.fromHex("12345678901234567D28122011234500000F")).build().encode())));
    dgis.add(InputDgi.clear(Dgi.of(0x0102, Tlv.builder(0x70).add(0x5A, Bytes.fromHex(pan + "F"))
        .add(0x5F34, Bytes.fromHex("01"))
        .add(0x8C, Bytes.fromHex("9F02069F03069F1A0295055F2A029A039C019F3704")).build().encode())));
    if (bigRecord) {
      dgis.add(InputDgi.clear(Dgi.of(0x0201, Tlv.builder(0x70).add(0x9F4B, Bytes.of(new byte[600])).build().encode())));
    }
    dgis.add(InputDgi.underKek(Dgi.of(0x8000, keys), "transport-kek"));
    dgis.add(InputDgi.clear(Dgi.of(0x9000, Bytes.concat(kcv, kcv, kcv))));
    dgis.add(InputDgi.pinBlockUnderKek(Dgi.of(0x8010, CRYPTO.encrypt(KEK, CipherSpec.ecb(), pinBlock)),
        PinBlock.Format.ISO_1, "transport-kek"));
    dgis.add(InputDgi.clear(Dgi.of(0x9010, Bytes.fromHex("0303"))));
    return record(cardId, List.of(new ApplicationData(aid, profile, dgis)));
  }

  /**
   * @param cardId the card id
   * @param applications its applications
   * @return a record with just an applications section
   */
  public static CardRecord record(String cardId, List<ApplicationData> applications) {
    return CardRecord.builder(cardId).section(ApplicationsSection.NAME, ApplicationsSection.encode(applications)).build();
  }
}
