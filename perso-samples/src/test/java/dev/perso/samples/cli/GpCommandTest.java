package dev.perso.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perso.core.Bytes;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.crypto.ClearKeyRef;
import dev.perso.crypto.KeyAlgorithm;
import dev.perso.crypto.KeyUsage;
import dev.perso.crypto.SoftwareBackend;
import dev.perso.gp.Diversification;
import dev.perso.gp.GpKeys;
import dev.perso.gp.Scp02Variant;
import dev.perso.gp.card.ScpCard;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class GpCommandTest {
  static final String K40 = "404142434445464748494A4B4C4D4E4F";
  static final String HOST = "0102030405060708";
  static final SoftwareBackend SW = new SoftwareBackend();
  static final ObjectMapper JSON = new ObjectMapper();

  @AfterAll
  static void close() {
    SW.close();
  }

  static JsonNode json(CliRun r) throws Exception {
    assertThat(r.exitCode()).as(r.err()).isZero();
    return JSON.readTree(r.out());
  }

  static ScpCard.Builder card(String kmcHex, Diversification d, boolean aes) {
    ClearKeyRef kmc = ClearKeyRef.fromHex(aes ? KeyAlgorithm.aesForLength(kmcHex.length() / 2) : KeyAlgorithm.TDES_2KEY,
        KeyUsage.KMC, kmcHex);
    return ScpCard.builder(SW, GpKeys.diversified(kmc, d)).kdd(Bytes.fromHex("00010203040506070809"))
        .random(new Random(3));
  }

  static String iu(ScpCard card, String host) {
    return card.process(new CommandApdu(0x80, 0x50, 0, 0, Bytes.fromHex(host), 256)).encode().toHex();
  }

  @Test
  void diversifyPrintsKeysAndKcvs() throws Exception {
    // GPPro TestPlaintextKeys.testDiversification_EMV_SCP02: K40, KDD 00..09 -> KCVs C33013 / 6F4CA6 / BB8179
    JsonNode j = json(CliRun.of("gp", "diversify", "--key", K40, "--kdd", "00010203040506070809", "--method", "emv", "--json"));
    assertThat(j.get("kcvEnc").asText()).isEqualTo("C33013");
    assertThat(j.get("kcvMac").asText()).isEqualTo("6F4CA6");
    assertThat(j.get("kcvDek").asText()).isEqualTo("BB8179");
    assertThat(j.get("enc").asText()).hasSize(32);
    JsonNode none = json(CliRun.of("gp", "diversify", "--key", K40, "--kdd", "00010203040506070809", "--method", "none", "--json"));
    assertThat(none.get("mac").asText()).isEqualTo(K40);
    JsonNode kdf3 = json(CliRun.of("gp", "diversify", "--key", K40, "--kdd", "00010203040506070809", "--method", "kdf3", "--json"));
    assertThat(kdf3.get("dek").asText()).hasSize(32);
  }

  @Test
  void sessionKeysForBothProtocols() throws Exception {
    // OpenJavaCard SCP02DerivationTest, K40, seq 0001
    JsonNode s2 = json(CliRun.of("gp", "session-keys", "--scp", "02", "--key", K40, "--seq", "0001", "--json"));
    assertThat(s2.get("enc").asText()).isEqualTo("25C9794A1205FF244F5FA0378D2F8D59");
    assertThat(s2.get("cmac").asText()).isEqualTo("9BED98891580C3B245FE9EC58BFA8D2A");
    assertThat(s2.get("dek").asText()).isEqualTo("0E51FDF196141F227A57BD154012FD39");
    assertThat(s2.has("rmac")).isTrue();
    // OpenJavaCard SCP03DerivationTest, K40, host A7F76C713F0A713D, card 31900058C1C451A2
    JsonNode s3 = json(CliRun.of("gp", "session-keys", "--scp", "03", "--key", K40, "--host-challenge", "A7F76C713F0A713D",
        "--card-challenge", "31900058C1C451A2", "--json"));
    assertThat(s3.get("enc").asText()).isEqualTo("258A78866F41482BEF482DC8CA976CCD");
    assertThat(s3.get("mac").asText()).isEqualTo("053DB6ABC7FDF3B63A0D965EE16B0255");
    assertThat(s3.get("rmac").asText()).isEqualTo("EDA0B4F2EC0345BFC50F3BC59CFEF936");
  }

  @Test
  void identifyKeysFindsKeyAndDiversification() throws Exception {
    String iu = iu(card(K40, Diversification.EMV_CPS, false).scp02(Scp02Variant.I_55).build(), HOST);
    for (String response : List.of(iu, iu.substring(0, iu.length() - 4))) {
      JsonNode j = json(CliRun.of("gp", "identify-keys", "--iu-response", response, "--host-challenge", HOST,
          "--key", "00112233445566778899AABBCCDDEEFF", "--key", K40, "--json"));
      assertThat(j.get("matches").toString()).isEqualTo("[{\"key\":1,\"method\":\"emv\",\"scp\":\"02\",\"i\":\"55\"}]");
    }
    String iu3 = iu(card(K40, Diversification.KDF3, true).scp03(0x70).build(), HOST);
    JsonNode j3 = json(CliRun.of("gp", "identify-keys", "--iu-response", iu3, "--host-challenge", HOST, "--key", K40, "--json"));
    assertThat(j3.get("matches").toString()).isEqualTo("[{\"key\":0,\"method\":\"kdf3\",\"scp\":\"03\",\"i\":\"70\"}]");
    CliRun none = CliRun.of("gp", "identify-keys", "--iu-response", iu3, "--host-challenge", HOST, "--key",
        "00112233445566778899AABBCCDDEEFF");
    assertThat(none.exitCode()).isZero();
    assertThat(none.out()).contains("no key/diversification verifies");
  }

  @Test
  void wrapProducesWhatTheCardAccepts() throws Exception {
    for (int scp : new int[] {2, 3}) {
      List<CommandApdu> received = new ArrayList<>();
      ScpCard.Builder b = card(K40, scp == 2 ? Diversification.EMV_CPS : Diversification.KDF3, scp == 3)
          .application(c -> {
            received.add(c);
            return ResponseApdu.of(0x9000);
          });
      ScpCard card = scp == 2 ? b.scp02(Scp02Variant.I_15).build() : b.scp03(0x10).build();
      String iu = iu(card, HOST);
      JsonNode j = json(CliRun.of("gp", "wrap", "--key", K40, "--method", scp == 2 ? "emv" : "kdf3",
          "--host-challenge", HOST, "--iu-response", iu, "--level", "03", "--apdu", "80E2000005DF01020304",
          "--apdu", "80CA006600", "--json"));
      assertThat(card.process(CommandApdu.parse(Bytes.fromHex(j.get("externalAuthenticate").asText()))).sw().value())
          .isEqualTo(0x9000);
      for (JsonNode a : j.get("apdus")) {
        assertThat(card.process(CommandApdu.parse(Bytes.fromHex(a.asText()))).sw().value()).isEqualTo(0x9000);
      }
      assertThat(received).extracting(c -> c.encode().toHex()).containsExactly("80E2000005DF01020304", "80CA006600");
      assertThat(j.has("warning")).isFalse();
    }
  }

  @Test
  void wrapWithSeparateKeysAndAnExplicitI() throws Exception {
    ScpCard card = card(K40, Diversification.NONE, false).scp02(Scp02Variant.I_05).build();
    String iu = iu(card, HOST);
    JsonNode j = json(CliRun.of("gp", "wrap", "--enc", K40, "--mac", K40, "--dek", K40, "--i", "05", "--host-challenge", HOST,
        "--iu-response", iu, "--level", "01", "--apdu", "80F28000024F00", "--json"));
    assertThat(card.process(CommandApdu.parse(Bytes.fromHex(j.get("externalAuthenticate").asText()))).isSuccess()).isTrue();
    assertThat(card.process(CommandApdu.parse(Bytes.fromHex(j.get("apdus").get(0).asText()))).isSuccess()).isTrue();
  }

  @Test
  void nonConformingPseudoRandomChallenge() throws Exception {
    ScpCard card = card(K40, Diversification.NONE, false).scp02(Scp02Variant.I_55).aid(Bytes.fromHex("A0000000031010")).build();
    String iu = iu(card, HOST);
    CliRun strict = CliRun.of("gp", "wrap", "--key", K40, "--i", "55", "--host-challenge", HOST, "--iu-response", iu,
        "--level", "01", "--apdu", "80CA006600");
    assertThat(strict.exitCode()).isEqualTo(2);
    assertThat(strict.errors().strip()).doesNotContain("\n").contains("pseudo-random challenge");
    JsonNode j = json(CliRun.of("gp", "wrap", "--key", K40, "--i", "55", "--host-challenge", HOST, "--iu-response", iu,
        "--level", "01", "--skip-challenge-check", "--apdu", "80CA006600", "--json"));
    assertThat(j.get("warning").asText()).contains("does not match AID A000000151000000");
    JsonNode right = json(CliRun.of("gp", "wrap", "--key", K40, "--i", "55", "--aid", "A0000000031010", "--host-challenge",
        HOST, "--iu-response", iu, "--level", "01", "--apdu", "80CA006600", "--json"));
    assertThat(right.has("warning")).isFalse();
  }

  @Test
  void wrongKeyAndBadInputAreOneLineErrors() {
    ScpCard card = card(K40, Diversification.EMV_CPS, false).build();
    String iu = iu(card, HOST);
    CliRun wrong = CliRun.of("gp", "wrap", "--key", K40, "--method", "visa2", "--host-challenge", HOST, "--iu-response", iu,
        "--level", "01", "--apdu", "80CA006600");
    assertThat(wrong.exitCode()).isEqualTo(2);
    assertThat(wrong.errors().strip()).doesNotContain("\n").contains("card cryptogram invalid").doesNotContain(K40);
    for (String[] args : List.of(
        new String[] {"gp", "wrap", "--key", K40, "--host-challenge", HOST, "--iu-response", iu, "--level", "02", "--apdu", "00"},
        new String[] {"gp", "session-keys", "--scp", "04", "--key", K40},
        new String[] {"gp", "diversify", "--key", K40, "--kdd", "0001", "--method", "emv"},
        new String[] {"gp", "diversify", "--key", K40, "--kdd", "00010203040506070809", "--method", "visa1"},
        new String[] {"gp", "identify-keys", "--iu-response", "0102", "--host-challenge", HOST, "--key", K40})) {
      CliRun r = CliRun.of(args);
      assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(r.errors().strip()).doesNotContain("\n").doesNotContain("Exception");
    }
  }
}
