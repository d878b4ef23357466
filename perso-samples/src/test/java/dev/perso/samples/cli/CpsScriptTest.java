package dev.perso.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perso.core.Bytes;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.card.VirtualCard;
import dev.perso.core.channel.CardChannel;
import dev.perso.crypto.ClearKeyRef;
import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.KeyAlgorithm;
import dev.perso.crypto.KeyRef;
import dev.perso.crypto.KeyUsage;
import dev.perso.crypto.SoftwareBackend;
import dev.perso.emv.card.VirtualEmvCard;
import dev.perso.core.record.CardRecord;
import dev.perso.emv.cps.CardProfile;
import dev.perso.emv.cps.CpsPersonalizer;
import dev.perso.core.record.JsonLinesRecords;
import dev.perso.iso7813.Name;
import dev.perso.iso7813.StripeRecord;
import dev.perso.emv.prep.CardDataPreparation;
import dev.perso.emv.prep.Cardholder;
import dev.perso.emv.prep.IssuerKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpsScriptTest {
  // GP test key (GlobalPlatformPro TestPlaintextKeys) as KMC; pyemv's doctest IMK; a made-up KEK.
  private static final String KMC = "404142434445464748494A4B4C4D4E4F";
  private static final String IMK = "0123456789ABCDEFFEDCBA9876543210";
  private static final String KEK = "00112233445566778899AABBCCDDEEFF";

  private static KeyRef tdes(String hex, KeyUsage usage) {
    return ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, usage, hex);
  }

  @Test
  void dryRunPrintsExactlyWhatARealSessionSends(@TempDir Path dir) throws Exception {
    CryptoBackend crypto = new SoftwareBackend();
    IssuerKeys issuer = new IssuerKeys(tdes(IMK, KeyUsage.IMK_AC), tdes(IMK, KeyUsage.IMK_SMI), tdes(IMK, KeyUsage.IMK_SMC),
        tdes(IMK, KeyUsage.CVK), tdes(IMK, KeyUsage.PVK), tdes(KEK, KeyUsage.KEK), "transport-kek");
    CardRecord card = CardDataPreparation.builder(crypto, issuer).build().prepare(new Cardholder("0001",
        StripeRecord.builder().pan("4761739001010010").name(Name.of("Cardmember", "Test")).expiry("2912")
            .serviceCode("201").pvki(1).pin("1234").build(), "01"));
    Path file = dir.resolve("batch.jsonl");
    Files.writeString(file, JsonLinesRecords.toJsonLine(card) + "\n");

    // A real session with a virtual card, recording what crosses the channel.
    Bytes hostChallenge = Bytes.fromHex("0102030405060708");
    VirtualEmvCard virtual = VirtualEmvCard.builder(crypto, tdes(KMC, KeyUsage.KMC), CardProfile.example("vsdc-example"))
        .kdd(Bytes.fromHex("00000000000000000007")).build();
    List<String> sent = new ArrayList<>();
    Bytes[] iu = new Bytes[1];
    CardChannel recording = c -> {
      sent.add(c.encode().toHex());
      ResponseApdu r = virtual.process(c);
      if (c.ins() == 0x50) {
        iu[0] = r.encode();
      }
      return r;
    };
    virtual.reset();
    CpsPersonalizer.builder(crypto).profile(CardProfile.example("vsdc-example"), tdes(KMC, KeyUsage.KMC))
        .transportKey("transport-kek", tdes(KEK, KeyUsage.KEK)).hostChallenge(hostChallenge).build()
        .personalize(recording, card);
    assertThat(virtual.state(Bytes.fromHex("A0000000031010"))).isEqualTo(VirtualEmvCard.LifeCycle.PERSONALIZED);

    CliRun r = CliRun.of("cps", "script", "--json", "--input", file.toString(), "--card", "0001", "--key", KMC,
        "--host-challenge", hostChallenge.toHex(), "--iu-response", iu[0].toHex(), "--transport-kek", KEK);
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode apdus = new ObjectMapper().readTree(r.out()).get("apdus");
    List<String> scripted = new ArrayList<>();
    apdus.forEach(a -> scripted.add(a.asText()));
    assertThat(scripted).isEqualTo(sent);
    assertThat(scripted.get(0)).startsWith("00A4040007A0000000031010");
    assertThat(scripted.get(scripted.size() - 1)).startsWith("84E2");
    assertThat(CryptoCommand.openKeys()).as("the KMC and KEK the command parsed are closed (wiped)").isZero();

    // --profile FILE, as cps run takes it: the same profile from a file gives the same APDUs ...
    Path profile = dir.resolve("vsdc.json");
    Files.copy(Path.of("../perso-emv-cps/src/main/resources/dev/perso/emv/cps/profiles/vsdc-example.json"), profile);
    CliRun fromFile = CliRun.of("cps", "script", "--json", "--input", file.toString(), "--card", "0001", "--key", KMC,
        "--host-challenge", hostChallenge.toHex(), "--iu-response", iu[0].toHex(), "--transport-kek", KEK,
        "--profile", profile.toString());
    assertThat(fromFile.exitCode()).as(fromFile.err()).isZero();
    assertThat(fromFile.out()).isEqualTo(r.out());
    // ... and a profile of another name is refused, naming both
    Files.writeString(profile, Files.readString(profile).replace("\"vsdc-example\"", "\"other\""));
    CliRun other = CliRun.of("cps", "script", "--input", file.toString(), "--card", "0001", "--key", KMC,
        "--host-challenge", hostChallenge.toHex(), "--iu-response", iu[0].toHex(), "--profile", profile.toString());
    assertThat(other.exitCode()).isEqualTo(2);
    assertThat(other.err()).contains("vsdc-example").contains("other");
  }

  @Test
  void unknownCardAndWrongKeyAreOneLineErrors(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("batch.jsonl");
    Files.writeString(file, "{\"cardId\":\"1\",\"applications\":[{\"aid\":\"A0000000031010\",\"profile\":\"vsdc-example\","
        + "\"dgis\":[{\"dgi\":\"9010\",\"data\":\"0303\"}]}]}\n");
    CliRun missing = CliRun.of("cps", "script", "--input", file.toString(), "--card", "2", "--key", KMC,
        "--host-challenge", "0102030405060708", "--iu-response", "00");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("no card '2'");
    CliRun wrong = CliRun.of("cps", "script", "--input", file.toString(), "--card", "1", "--key", KMC,
        "--host-challenge", "0102030405060708",
        "--iu-response", "0000000000000000000701020001AEE70640CA5545722B2B878E63DA");
    assertThat(wrong.exitCode()).isEqualTo(2);
    assertThat(wrong.errors().strip()).doesNotContain("\n").doesNotContain(KMC);
  }
}
