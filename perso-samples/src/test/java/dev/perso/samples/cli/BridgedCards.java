package dev.perso.samples.cli;

import dev.perso.core.cardholder.Pan;
import static org.assertj.core.api.Assertions.assertThat;

import dev.perso.core.Bytes;
import dev.perso.core.card.VirtualCard;
import dev.perso.crypto.ClearKeyRef;
import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.KeyAlgorithm;
import dev.perso.crypto.KeyRef;
import dev.perso.crypto.KeyUsage;
import dev.perso.crypto.SoftwareBackend;
import dev.perso.devices.pcsc.PcscReaders;
import dev.perso.devices.pcsc.VpcdBridge;
import dev.perso.emv.card.VirtualEmvCard;
import dev.perso.core.record.CardRecord;
import dev.perso.emv.cps.CardProfile;
import dev.perso.core.record.JsonLinesRecords;
import dev.perso.iso7813.Name;
import dev.perso.iso7813.StripeRecord;
import dev.perso.emv.prep.CardDataPreparation;
import dev.perso.emv.prep.Cardholder;
import dev.perso.emv.prep.IssuerKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Virtual EMV cards of both example profiles and their perso data, for the PC/SC tests: public test keys
 * only (GP test key 404142..4F as TDES and AES-128 KMC; pyemv's IMK; the demo's KEK).
 */
final class BridgedCards {
  static final String KMC_HEX = "404142434445464748494A4B4C4D4E4F";
  static final String KEK_HEX = "00112233445566778899AABBCCDDEEFF";
  static final CryptoBackend CRYPTO = new SoftwareBackend();
  static final KeyRef KMC_TDES = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.KMC, KMC_HEX);
  static final KeyRef KMC_AES = ClearKeyRef.fromHex(KeyAlgorithm.AES_128, KeyUsage.KMC, KMC_HEX);
  static final KeyRef IMK = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.IMK_AC, "0123456789ABCDEFFEDCBA9876543210");
  static final KeyRef KEK = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.KEK, KEK_HEX);
  static final String VSDC = "vsdc-example";
  static final String MCHIP = "mchip-example";
  static final Duration WAIT = Duration.ofSeconds(10);

  private BridgedCards() {}

  static boolean scp03(String profile) {
    return CardProfile.example(profile).secureChannel().version() instanceof dev.perso.gp.ScpVersion.Scp03Protocol;
  }

  static KeyRef kmc(String profile) {
    return scp03(profile) ? KMC_AES : KMC_TDES;
  }

  static VirtualEmvCard card(String profile, int n, VirtualEmvCard.Fault... faults) {
    VirtualEmvCard.Builder b = VirtualEmvCard.builder(CRYPTO, kmc(profile), CardProfile.example(profile))
        .kdd(Bytes.fromHex(String.format("0000000000%010d", n)));
    for (VirtualEmvCard.Fault f : faults) {
      b.fault(f);
    }
    return b.build();
  }

  static Bytes aid(String profile) {
    return CardProfile.example(profile).applications().get(0).aid();
  }

  static CardRecord data(String profile, int n) {
    ClearKeyRef imk = (ClearKeyRef) IMK;
    IssuerKeys keys = new IssuerKeys(imk, imk.withUsage(KeyUsage.IMK_SMI), imk.withUsage(KeyUsage.IMK_SMC),
        imk.withUsage(KeyUsage.CVK), imk.withUsage(KeyUsage.PVK), KEK, "transport-kek");
    CardDataPreparation prep = CardDataPreparation.builder(CRYPTO, keys).profile(CardProfile.example(profile)).build();
    String body = "476173900" + String.format("%06d", n);
    String pan = Pan.luhnComplete(body);
    StripeRecord stripe = StripeRecord.builder().pan(pan).name(Name.of("Lovelace", "Ada")).expiry("2912")
        .serviceCode("201").pvki(1).pin("1234").build();
    return prep.prepare(new Cardholder(String.format("%04d", n), stripe, "01"));
  }

  static Path file(Path dir, String profile, int count) throws IOException {
    List<String> lines = new ArrayList<>();
    for (int n = 1; n <= count; n++) {
      lines.add(JsonLinesRecords.toJsonLine(data(profile, n)));
    }
    Path f = dir.resolve(profile + ".jsonl");
    Files.write(f, lines);
    return f;
  }

  static VpcdBridge insert(VirtualCard card, int port, String reader) {
    VpcdBridge b = VpcdBridge.insert(card, "127.0.0.1", port, WAIT);
    assertThat(PcscReaders.system().waitForCard(reader, WAIT)).as("card appears in %s", reader).isTrue();
    return b;
  }

  static void remove(VpcdBridge b, String reader) {
    b.close();
    assertThat(PcscReaders.system().waitForRemoval(reader, WAIT)).as("card leaves %s", reader).isTrue();
  }
}
