package dev.perso.gp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.internal.OwnedBytes;
import dev.perso.core.Bytes;
import dev.perso.core.CardStatusException;
import dev.perso.core.MalformedDataException;
import dev.perso.core.SecureChannelException;
import dev.perso.core.ValidationException;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.card.ScriptedCard;
import dev.perso.core.card.VirtualCard;
import dev.perso.core.channel.CardChannel;
import dev.perso.crypto.ClearKeyRef;
import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.KeyAlgorithm;
import dev.perso.crypto.KeyRef;
import dev.perso.crypto.KeyUsage;
import dev.perso.crypto.SoftwareBackend;
import dev.perso.gp.card.ScpCard;
import dev.perso.gp.internal.Scp02Session;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Host against the card side and against scripted dialogues: flows, safety rules, policies. */
class SecureChannelTest {
  static final CryptoBackend SW = new SoftwareBackend();
  static final String K40 = "404142434445464748494A4B4C4D4E4F";
  static final Bytes KDD = Bytes.fromHex("00010203040506070809");
  static final Bytes HOST = Bytes.fromHex("0102030405060708");
  static final Bytes STORE = Bytes.fromHex("0101" + "10" + "700E5A0847617390010100105F24032512310000");

  @AfterAll
  static void close() {
    SW.close();
  }

  static KeyRef des(String hex) {
    return ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.KMC, hex);
  }

  static KeyRef aes(String hex) {
    return ClearKeyRef.fromHex(KeyAlgorithm.aesForLength(hex.length() / 2), KeyUsage.KMC, hex);
  }

  /** An application that records plain commands and answers with their data reversed. */
  static final class Recorder {
    final List<CommandApdu> received = new ArrayList<>();

    ResponseApdu answer(CommandApdu c) {
      received.add(c);
      byte[] d = c.data().toByteArray();
      byte[] r = new byte[d.length];
      for (int i = 0; i < d.length; i++) {
        r[i] = d[d.length - 1 - i];
      }
      return ResponseApdu.of(OwnedBytes.wrap(r), 0x9000);
    }
  }

  @ParameterizedTest(name = "SCP02 {0} at {1}")
  @CsvSource({
    "I_05, NONE", "I_05, C_MAC", "I_15, C_MAC_C_DEC", "I_15, R_MAC", "I_45, C_MAC_R_MAC", "I_55, C_MAC_C_DEC_R_MAC",
    "I_55, C_MAC", "I_15, NONE", "I_05, C_MAC_C_DEC_R_MAC", "I_45, C_MAC_C_DEC",
  })
  void scp02AgainstTheCardSide(Scp02Variant variant, SecurityLevel level) {
    Recorder app = new Recorder();
    GpKeys kmc = GpKeys.diversified(des(K40), Diversification.EMV_CPS);
    ScpCard card = ScpCard.builder(SW, kmc).kdd(KDD).scp02(variant).application(app::answer).random(new Random(1)).build();
    GpOptions options = GpOptions.builder(SW).level(level).scp02Variant(variant).build();
    try (GpSecureChannel secure = Scp02.open(VirtualCard.connect(card), kmc, options)) {
      assertThat(secure.scp()).isEqualTo(2);
      assertThat(secure.i()).isEqualTo(variant.i());
      assertThat(secure.challengeStatus()).isEqualTo(variant.pseudoRandomChallenge() ? ChallengeStatus.VERIFIED
          : ChallengeStatus.RANDOM);
      CommandApdu store = CommandApdu.of(0x80, 0xE2, 0x80, 0x00, STORE);
      ResponseApdu r = secure.transmit(store);
      assertThat(r.sw().value()).isEqualTo(0x9000);
      assertThat(app.received).containsExactly(store);
      assertThat(r.data()).isEqualTo(app.answer(store).data());
      assertThat(card.level()).contains(level);
    }
  }

  @ParameterizedTest(name = "SCP03 i={0} key {1} bytes at {2}")
  @CsvSource({
    "00, 16, C_MAC", "10, 24, C_MAC_C_DEC", "20, 32, C_MAC_R_MAC", "30, 16, C_MAC_C_DEC_R_MAC",
    "60, 24, C_MAC_C_DEC_R_MAC_R_ENC", "70, 32, C_MAC_C_DEC_R_MAC_R_ENC", "01, 16, C_MAC_C_DEC", "71, 32, C_MAC_C_DEC_R_MAC_R_ENC",
    "61, 24, C_MAC_R_MAC", "11, 16, NONE", "70, 16, C_MAC_C_DEC_R_MAC_R_ENC",
  })
  void scp03AgainstTheCardSide(String i, int keyLength, SecurityLevel level) {
    int iv = Integer.parseInt(i, 16);
    Recorder app = new Recorder();
    GpKeys kmc = GpKeys.diversified(aes((K40 + K40).substring(0, keyLength * 2)), Diversification.KDF3);
    ScpCard card = ScpCard.builder(SW, kmc).kdd(KDD).scp03(iv).application(app::answer).sequenceCounter(0x41).build();
    GpOptions options = GpOptions.builder(SW).level(level)
        .scp03Mode((iv & 1) != 0 ? GpOptions.Scp03Mode.S16 : GpOptions.Scp03Mode.S8).build();
    try (GpSecureChannel secure = Scp03.open(VirtualCard.connect(card), kmc, options)) {
      assertThat(secure.i()).isEqualTo(iv);
      assertThat(secure.challengeStatus()).isEqualTo((iv & 0x10) != 0 ? ChallengeStatus.VERIFIED : ChallengeStatus.RANDOM);
      for (int n = 0; n < 3; n++) {
        CommandApdu store = CommandApdu.of(0x80, 0xE2, n == 2 ? 0x80 : 0x00, n, n == 1 ? Bytes.empty() : STORE);
        ResponseApdu r = secure.transmit(store);
        assertThat(r.sw().value()).isEqualTo(0x9000);
        assertThat(app.received.get(n)).isEqualTo(store);
        assertThat(r.data()).isEqualTo(app.answer(store).data());
        app.received.remove(app.received.size() - 1);
      }
    }
  }

  /** The IU response a card with these keys gives to {@link #HOST}. */
  static String iuResponse(GpKeys cardKeys, int scp) {
    ScpCard.Builder b = ScpCard.builder(SW, cardKeys).kdd(KDD).random(new Random(7)).keyVersion(0x20);
    ScpCard card = scp == 2 ? b.build() : b.scp03(0x00).build();
    return card.process(new CommandApdu(0x80, 0x50, 0x00, 0x00, HOST, 256)).encode().toHex();
  }

  @Test
  void cardCryptogramMismatchNeverSendsExternalAuthenticateAndNamesTheAlternativeThatMatches() {
    KeyRef kmc = des(K40);
    String iu = iuResponse(GpKeys.diversified(kmc, Diversification.EMV_CPS), 2);
    ScriptedCard script = ScriptedCard.builder().expect("8050000008" + HOST.toHex() + "00", iu).build();
    GpOptions options = GpOptions.builder(SW).hostChallenge(HOST).alternatives(List.of(
        GpKeys.diversified(kmc, Diversification.NONE).withLabel("KMC as is"),
        GpKeys.diversified(kmc, Diversification.EMV_CPS).withLabel("KMC emv"))).build();
    GpKeys wrong = GpKeys.diversified(kmc, Diversification.VISA2);
    assertThatThrownBy(() -> Scp02.open(VirtualCard.connect(script), wrong, options))
        .isInstanceOf(SecureChannelException.class)
        .hasMessageContaining("card cryptogram invalid: KMC visa2")
        .hasMessageContaining("would match: KMC emv (diversification emv)")
        .hasMessageNotContaining("KMC as is")
        .hasMessageContaining("EXTERNAL AUTHENTICATE was not sent")
        .hasMessageContaining("KDD 00010203040506070809")
        .hasMessageNotContaining(K40);
    assertThat(script.stepsPlayed()).isEqualTo(1);
    script.assertComplete();
  }

  @Test
  void alternativesForAnotherKeyVersionAreNamedAsNotChecked() {
    KeyRef kmc = des(K40);
    String iu = iuResponse(GpKeys.diversified(kmc, Diversification.EMV_CPS), 2);
    ScriptedCard script = ScriptedCard.builder().expect("8050000008" + HOST.toHex() + "00", iu).build();
    GpOptions options = GpOptions.builder(SW).hostChallenge(HOST).alternatives(List.of(
        GpKeys.diversified(kmc, Diversification.EMV_CPS).withKeyVersion(0x20).withLabel("v20 emv"),
        GpKeys.diversified(kmc, Diversification.EMV_CPS).withKeyVersion(0x30).withLabel("v30 emv"))).build();
    assertThatThrownBy(() -> Scp02.open(VirtualCard.connect(script), GpKeys.single(kmc), options))
        .isInstanceOf(SecureChannelException.class)
        .hasMessageContaining("would match: v20 emv (diversification emv, key version 20)")
        .hasMessageContaining("not checked, other key versions need their own INITIALIZE UPDATE: v30 emv (key version 30)");
  }

  @Test
  void mismatchWithoutAlternativesSaysSo() {
    String iu = iuResponse(GpKeys.single(des(K40)), 2);
    ScriptedCard script = ScriptedCard.builder().expect("8050000008" + HOST.toHex() + "00", iu).build();
    GpKeys wrong = GpKeys.single(des("00112233445566778899AABBCCDDEEFF"));
    assertThatThrownBy(() -> Scp02.open(VirtualCard.connect(script), wrong,
        GpOptions.builder(SW).hostChallenge(HOST).build()))
        .isInstanceOf(SecureChannelException.class).hasMessageContaining("no alternatives were configured");
  }

  @ParameterizedTest(name = "INITIALIZE UPDATE {0}")
  @CsvSource({"6982, possibly LOCKED", "6983, possibly LOCKED", "6A88, has no key set 21"})
  void initializeUpdateErrors(String sw, String message) {
    ScriptedCard script = ScriptedCard.builder().expect("8050210008" + HOST.toHex() + "00", sw).build();
    assertThatThrownBy(() -> Scp02.open(VirtualCard.connect(script), GpKeys.single(des(K40)).withKeyVersion(0x21),
        GpOptions.builder(SW).hostChallenge(HOST).build()))
        .isInstanceOf(SecureChannelException.class).hasMessageContaining(message);
    ScriptedCard other = ScriptedCard.builder().expect("8050000008" + HOST.toHex() + "00", "6D00").build();
    assertThatThrownBy(() -> Scp02.open(VirtualCard.connect(other), GpKeys.single(des(K40)),
        GpOptions.builder(SW).hostChallenge(HOST).build()))
        .isInstanceOf(CardStatusException.class).hasMessageContaining("INITIALIZE UPDATE");
  }

  @Test
  void aLockedCardAnswers6983AndTheHostSaysSo() {
    ScpCard card = ScpCard.builder(SW, GpKeys.single(des(K40))).lockAfter(1).build();
    CardChannel ch = VirtualCard.connect(card);
    ResponseApdu iu = ch.transmit(new CommandApdu(0x80, 0x50, 0, 0, HOST, 256));
    assertThat(iu.isSuccess()).isTrue();
    assertThat(ch.transmit(CommandApdu.of(0x84, 0x82, 0x01, 0x00, OwnedBytes.wrap(new byte[16]))).sw().value())
        .isEqualTo(0x6982);
    assertThatThrownBy(() -> Scp02.open(ch, GpKeys.single(des(K40)), GpOptions.builder(SW).build()))
        .isInstanceOf(SecureChannelException.class).hasMessageContaining("6983").hasMessageContaining("LOCKED");
  }

  @Test
  void pseudoRandomChallengeForAnotherAidFailsOrIsReported() {
    GpKeys keys = GpKeys.single(des(K40));
    ScpCard card = ScpCard.builder(SW, keys).scp02(Scp02Variant.I_55).aid(Bytes.fromHex("A0000000031010")).build();
    GpOptions strict = GpOptions.builder(SW).scp02Variant(Scp02Variant.I_55).build();
    assertThatThrownBy(() -> Scp02.open(VirtualCard.connect(card), keys, strict))
        .isInstanceOf(SecureChannelException.class).hasMessageContaining("pseudo-random challenge")
        .hasMessageContaining("A000000151000000");
    assertThat(card.level()).isEmpty();
    try (GpSecureChannel s = Scp02.open(VirtualCard.connect(card), keys,
        strict.newBuilder().challengeCheck(GpOptions.ChallengeCheck.REPORT).build())) {
      assertThat(s.challengeStatus()).isEqualTo(ChallengeStatus.MISMATCH_IGNORED);
      assertThat(s.transmit(CommandApdu.of(0x80, 0xCA, 0x00, 0x66)).sw().value()).isEqualTo(0x9000);
    }
    try (GpSecureChannel s = Scp02.open(VirtualCard.connect(card), keys,
        strict.newBuilder().aid(Bytes.fromHex("A0000000031010")).build())) {
      assertThat(s.challengeStatus()).isEqualTo(ChallengeStatus.VERIFIED);
    }
  }

  @Test
  void scp03PseudoRandomChallengeIsChecked() {
    GpKeys keys = GpKeys.single(aes(K40));
    ScpCard card = ScpCard.builder(SW, keys).scp03(0x10).aid(Bytes.fromHex("A0000000041010")).build();
    assertThatThrownBy(() -> Scp03.open(VirtualCard.connect(card), keys, GpOptions.builder(SW).build()))
        .isInstanceOf(SecureChannelException.class).hasMessageContaining("pseudo-random");
  }

  @ParameterizedTest(name = "capacity at {0}")
  @CsvSource({"NONE, 255, 255", "C_MAC, 247, 247", "C_MAC_C_DEC, 239, 239", "C_MAC_R_MAC, 247, 247",
      "C_MAC_C_DEC_R_MAC, 239, 239"})
  void capacityAndSplitting(SecurityLevel level, int scp02, int scp03) {
    GpKeys des = GpKeys.single(des(K40));
    try (GpSecureChannel s = Scp02.open(VirtualCard.connect(ScpCard.builder(SW, des).build()), des,
        GpOptions.builder(SW).level(level).build())) {
      assertThat(s.maxCommandData()).isEqualTo(scp02);
      assertThat(s.transmit(CommandApdu.of(0x80, 0xE2, 0, 0, OwnedBytes.wrap(new byte[scp02]))).isSuccess()).isTrue();
      if (scp02 < 255) {
        assertThatThrownBy(() -> s.transmit(CommandApdu.of(0x80, 0xE2, 0, 1, OwnedBytes.wrap(new byte[scp02 + 1]))))
            .isInstanceOf(ValidationException.class).hasMessageContaining("split");
        // the failed command left the chain untouched
        assertThat(s.transmit(CommandApdu.of(0x80, 0xE2, 0, 1, OwnedBytes.wrap(new byte[1]))).isSuccess()).isTrue();
      }
    }
    GpKeys aes = GpKeys.single(aes(K40));
    ScpCard card = ScpCard.builder(SW, aes).scp03(0x20).build();
    try (GpSecureChannel s = Scp03.open(VirtualCard.connect(card), aes, GpOptions.builder(SW).level(level).build())) {
      assertThat(s.maxCommandData()).isEqualTo(scp03);
    }
    ScpCard s16 = ScpCard.builder(SW, aes).scp03(0x21).build();
    try (GpSecureChannel s = Scp03.open(VirtualCard.connect(s16), aes, GpOptions.builder(SW).level(level)
        .scp03Mode(GpOptions.Scp03Mode.S16).build())) {
      assertThat(s.maxCommandData()).isEqualTo(level == SecurityLevel.NONE ? 255 : level.cDecryption() ? 223 : 239);
    }
  }

  @Test
  void sensitiveDataRoundTripsThroughTheCard() {
    Bytes keys = Bytes.fromHex("112233440066778811223344550077888B4F854F0831FBF2635A212E4DDDB92A11220044556677881122330055667788");
    GpKeys des = GpKeys.diversified(des(K40), Diversification.EMV_CPS);
    ScpCard c2 = ScpCard.builder(SW, des).build();
    try (GpSecureChannel s = Scp02.open(VirtualCard.connect(c2), des, GpOptions.builder(SW).level(SecurityLevel.C_MAC_C_DEC).build())) {
      Bytes enc = s.encryptSensitiveData(keys);
      assertThat(enc).isNotEqualTo(keys);
      assertThat(c2.decryptSensitiveData(enc).toHex()).isEqualTo(keys.toHex());
      assertThatThrownBy(() -> s.encryptSensitiveData(Bytes.fromHex("241234FFFFFF")))
          .isInstanceOf(ValidationException.class).hasMessageContaining("multiple of 8");
    }
    GpKeys aes = GpKeys.diversified(aes(K40), Diversification.KDF3);
    ScpCard c3 = ScpCard.builder(SW, aes).scp03(0x70).build();
    try (GpSecureChannel s = Scp03.open(VirtualCard.connect(c3), aes, GpOptions.builder(SW).build())) {
      Bytes enc = s.encryptSensitiveData(keys);
      assertThat(c3.decryptSensitiveData(enc).toHex()).isEqualTo(keys.toHex());
    }
  }

  @Test
  void sensitiveDataFromDataPreparationIsReencryptedInOneBackendCall() {
    Bytes clear = Bytes.fromHex("112233440066778811223344550077888B4F854F0831FBF2635A212E4DDDB92A");
    KeyRef kek = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.KEK, "0123456789ABCDEFFEDCBA9876543210");
    Bytes underKek = SW.encrypt(kek, dev.perso.crypto.CipherSpec.ecb(), clear);
    GpKeys des = GpKeys.single(des(K40));
    ScpCard c2 = ScpCard.builder(SW, des).build();
    try (GpSecureChannel s = Scp02.open(VirtualCard.connect(c2), des, GpOptions.builder(SW).build())) {
      Bytes forCard = s.reencryptSensitiveData(kek, dev.perso.crypto.CipherSpec.ecb(), underKek);
      assertThat(forCard).isEqualTo(s.encryptSensitiveData(clear));
      assertThat(c2.decryptSensitiveData(forCard).toHex()).isEqualTo(clear.toHex());
    }
    GpKeys aes = GpKeys.single(aes(K40));
    ScpCard c3 = ScpCard.builder(SW, aes).scp03(0x00).build();
    try (GpSecureChannel s = Scp03.open(VirtualCard.connect(c3), aes, GpOptions.builder(SW).build())) {
      Bytes forCard = s.reencryptSensitiveData(kek, dev.perso.crypto.CipherSpec.ecb(), underKek);
      assertThat(c3.decryptSensitiveData(forCard).toHex()).isEqualTo(clear.toHex());
    }
  }

  @Test
  void emptyDataPolicy() {
    GpKeys aes = GpKeys.single(aes(K40));
    CommandApdu empty = CommandApdu.of(0x80, 0xF2, 0x80, 0x00);
    for (GpOptions.EmptyDataEncryption p : GpOptions.EmptyDataEncryption.values()) {
      ScpCard card = ScpCard.builder(SW, aes).scp03(0x00).emptyDataEncryption(p).build();
      List<CommandApdu> sent = new ArrayList<>();
      CardChannel spy = c -> {
        sent.add(c);
        return card.process(c);
      };
      card.reset();
      try (GpSecureChannel s = Scp03.open(spy, aes, GpOptions.builder(SW).level(SecurityLevel.C_MAC_C_DEC)
          .emptyDataEncryption(p).build())) {
        assertThat(s.transmit(empty).isSuccess()).isTrue();
        assertThat(s.transmit(CommandApdu.of(0x80, 0xE2, 0, 0, STORE)).isSuccess()).isTrue();
      }
      assertThat(sent.get(2).data().length()).isEqualTo(p == GpOptions.EmptyDataEncryption.SKIP ? 8 : 24);
    }
  }

  @Test
  void counterPolicyMustAgreeWithTheCard() {
    GpKeys aes = GpKeys.single(aes(K40));
    CommandApdu empty = CommandApdu.of(0x80, 0xF2, 0x80, 0x00);
    CommandApdu store = CommandApdu.of(0x80, 0xE2, 0, 0, STORE);
    ScpCard lazy = ScpCard.builder(SW, aes).scp03(0x00).counterIncrement(GpOptions.CounterIncrement.ONLY_WITH_DATA).build();
    GpOptions lazyHost = GpOptions.builder(SW).level(SecurityLevel.C_MAC_C_DEC)
        .counterIncrement(GpOptions.CounterIncrement.ONLY_WITH_DATA).build();
    try (GpSecureChannel s = Scp03.open(VirtualCard.connect(lazy), aes, lazyHost)) {
      s.transmit(empty);
      assertThat(s.transmit(store).isSuccess()).isTrue();
    }
    // a host that counts every command against a card that counts only commands with data: the MAC still
    // verifies (it covers the ciphertext) but the card decrypts the first block with the wrong IV
    Recorder app = new Recorder();
    ScpCard lazyRecording = ScpCard.builder(SW, aes).scp03(0x00).application(app::answer)
        .counterIncrement(GpOptions.CounterIncrement.ONLY_WITH_DATA).build();
    try (GpSecureChannel s = Scp03.open(VirtualCard.connect(lazyRecording), aes, lazyHost.newBuilder()
        .counterIncrement(GpOptions.CounterIncrement.EVERY_COMMAND).build())) {
      s.transmit(empty);
      s.transmit(store);
      assertThat(app.received.get(1).data()).isNotEqualTo(store.data());
      assertThat(app.received.get(1).data().slice(16)).isEqualTo(store.data().slice(16));
    }
    assertThatThrownBy(() -> lazyHost.newBuilder().emptyDataEncryption(GpOptions.EmptyDataEncryption.PAD_AND_ENCRYPT).build())
        .isInstanceOf(ValidationException.class);
  }

  @Test
  void wrongProtocolLevelAndKeyVersionAreRejectedBeforeAuthenticating() {
    GpKeys des = GpKeys.single(des(K40));
    assertThatThrownBy(() -> Scp03.open(VirtualCard.connect(ScpCard.builder(SW, des).build()), des,
        GpOptions.builder(SW).build())).isInstanceOf(SecureChannelException.class).hasMessageContaining("use Scp02.open");
    assertThatThrownBy(() -> Scp02.open(c -> { throw new AssertionError("nothing may be sent"); }, des,
        GpOptions.builder(SW).level(SecurityLevel.C_MAC_C_DEC_R_MAC_R_ENC).build()))
        .isInstanceOf(ValidationException.class).hasMessageContaining("SCP02 has no R-ENCRYPTION");
    GpKeys aes = GpKeys.single(aes(K40));
    assertThatThrownBy(() -> Scp03.open(VirtualCard.connect(ScpCard.builder(SW, aes).scp03(0x00).build()), aes,
        GpOptions.builder(SW).level(SecurityLevel.C_MAC_R_MAC).build()))
        .isInstanceOf(SecureChannelException.class).hasMessageContaining("needs R-MAC");
    // an S16 card refuses an 8-byte host challenge
    assertThatThrownBy(() -> Scp03.open(VirtualCard.connect(ScpCard.builder(SW, aes).scp03(0x01).build()), aes,
        GpOptions.builder(SW).build())).isInstanceOf(CardStatusException.class).hasMessageContaining("6700");
    ScpCard kvn20 = ScpCard.builder(SW, des).keyVersion(0x20).build();
    assertThatThrownBy(() -> Scp02.open(VirtualCard.connect(kvn20), des.withKeyVersion(0x21), GpOptions.builder(SW).build()))
        .isInstanceOf(SecureChannelException.class).hasMessageContaining("6A88");
    try (GpSecureChannel s = Scp02.open(VirtualCard.connect(kvn20), des.withKeyVersion(0x20), GpOptions.builder(SW).build())) {
      assertThat(s.initializeUpdateResponse().keyVersion()).isEqualTo(0x20);
    }
  }

  @Test
  void closeWipesSessionKeysAndRefusesFurtherUse() {
    KeyRef k = des(K40);
    Scp02Session session = Scp02Session.derive(SW, k, k, k, Bytes.fromHex("0001"), Scp02Variant.I_15,
        GpOptions.EmptyDataEncryption.SKIP);
    session.close();
    assertThat(session.sessionKeys()).allSatisfy(key -> assertThat(((ClearKeyRef) key).isDestroyed()).isTrue());
    GpKeys keys = GpKeys.diversified(k, Diversification.EMV_CPS);
    GpSecureChannel s = Scp02.open(VirtualCard.connect(ScpCard.builder(SW, keys).build()), keys, GpOptions.builder(SW).build());
    s.close();
    s.close();
    assertThatThrownBy(() -> s.transmit(CommandApdu.of(0x80, 0xCA, 0, 0x66))).isInstanceOf(SecureChannelException.class);
    assertThat(s.toString()).contains("closed");
  }

  @Test
  void nothingPrintsAKey() {
    KeyRef k = des(K40);
    GpKeys keys = GpKeys.diversified(k, Diversification.EMV_CPS).withKeyVersion(0x20);
    assertThat(keys.toString()).doesNotContain(K40).contains("emv").contains("KVN 20");
    assertThat(GpOptions.builder(SW).build().toString()).doesNotContain(K40);
    assertThat(ScpCard.builder(SW, keys).build().toString()).doesNotContain(K40);
  }

  @ParameterizedTest(name = "IU response {0}")
  @CsvSource({
    "'', 0", "000102030405060708090102, 12", "00010203040506070809010100000000000000000000000000000000, 11",
    "000102030405060708090103100000000000000000000000000000000000000000, 32",
  })
  void malformedInitializeUpdateResponses(String hex, int offset) {
    assertThatThrownBy(() -> InitializeUpdateResponse.parse(Bytes.fromHex(hex)))
        .isInstanceOf(MalformedDataException.class)
        .satisfies(e -> assertThat(((MalformedDataException) e).offset()).isEqualTo(offset));
  }

  @Test
  void initializeUpdateResponseWithOrWithoutStatusWord() {
    String iu = iuResponse(GpKeys.single(des(K40)), 2);
    InitializeUpdateResponse a = InitializeUpdateResponse.parse(Bytes.fromHex(iu));
    InitializeUpdateResponse b = InitializeUpdateResponse.parse(Bytes.fromHex(iu.substring(0, iu.length() - 4)));
    assertThat(a).isEqualTo(b);
    assertThat(a.kdd()).isEqualTo(KDD);
    assertThat(a.keyVersion()).isEqualTo(0x20);
    assertThat(a.sequenceCounter().toHex()).isEqualTo("0001");
    assertThat(a.encode().toHex()).isEqualTo(iu.substring(0, iu.length() - 4));
  }

  @Test
  void diversificationTemplatesAreChecked() {
    assertThatThrownBy(() -> Diversification.template("x", "$4 $5 ZZ")).isInstanceOf(MalformedDataException.class)
        .hasMessageContaining("token 3");
    assertThatThrownBy(() -> Diversification.template("x", "$4 $5")).isInstanceOf(ValidationException.class)
        .hasMessageContaining("16 or 32");
    assertThatThrownBy(() -> Diversification.named("visa1")).isInstanceOf(ValidationException.class);
    assertThat(Diversification.named("EMV")).isSameAs(Diversification.EMV_CPS);
  }
}
