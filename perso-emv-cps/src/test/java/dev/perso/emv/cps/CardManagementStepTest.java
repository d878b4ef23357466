package dev.perso.emv.cps;

import static dev.perso.emv.cps.TestCards.CRYPTO;
import static dev.perso.emv.cps.TestCards.IMK;
import static dev.perso.emv.cps.TestCards.KEK;
import static dev.perso.emv.cps.TestCards.KMC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perso.core.Bytes;
import dev.perso.core.ValidationException;
import dev.perso.core.device.DeviceRole;
import dev.perso.core.event.PersoEvents;
import dev.perso.core.testing.TestStepContext;
import dev.perso.crypto.ClearKeyRef;
import dev.perso.crypto.KeyAlgorithm;
import dev.perso.crypto.KeyLookup;
import dev.perso.crypto.KeyRef;
import dev.perso.crypto.KeyUsage;
import dev.perso.emv.card.VirtualEmvCard;
import dev.perso.gp.CardLifeCycle;
import dev.perso.gp.KeyRotationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The emv-cps step with GlobalPlatform card management: instantiate, personalize, rotate, secure, reopen. */
class CardManagementStepTest {
  private static final CardProfile VSDC = CardProfile.example("vsdc-example");
  private static final KeyRef ISSUER_KMC = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.KMC,
      "505152535455565758595A5B5C5D5E5F");
  private static final KeyLookup KEYS = KeyLookup.of(Map.of("issuer-kmc", ISSUER_KMC));
  private static final ObjectMapper JSON = new ObjectMapper();

  static CardManagement plan(String json) throws Exception {
    return CardManagement.fromJson(JSON.readTree(json), "$.steps[0].cardManagement", KEYS, "emv");
  }

  @Test
  void instantiatesPersonalizesRotatesSecuresAndReopensWithTheNewKeys() throws Exception {
    CardManagement plan = plan("{\"install\": [{\"loadFile\": \"A000000003\", \"module\": \"A0000000031010\","
        + " \"instance\": \"A0000000031010\"}], \"rotateKeys\": {\"kmc\": \"issuer-kmc\", \"keyVersion\": 2},"
        + " \"cardLifeCycle\": \"SECURED\"}");
    CpsStep step = CpsStep.builder(CRYPTO, VSDC, KMC).transportKey("transport-kek", KEK).verifyWith(IMK)
        .cardManagement(plan).build();
    VirtualEmvCard card = (VirtualEmvCard) step.virtualCardStock().orElseThrow()
        .apply(new dev.perso.core.device.CardTag(42, "0001"));
    assertThat(card.isd().applicationState(TestCards.VSDC)).isEmpty(); // only loaded: the card type installs it
    CpsStepTest.OneCardStation station = new CpsStepTest.OneCardStation(card);
    List<String> audit = new ArrayList<>();
    List<Integer> commandsAtWrite = new ArrayList<>();
    TestStepContext ctx = new TestStepContext(TestCards.card("0001", TestCards.VSDC, "vsdc-example", true))
        .device(DeviceRole.CHIP_STATION, station).onMarkWritten(() -> commandsAtWrite.add(station.ins.size()))
        .events(new PersoEvents() {
          @Override
          public void audit(String cardId, String entry) {
            audit.add(entry);
          }
        });
    step.run(ctx);

    // GET STATUS only reads: the card counts as written at the INSTALL that follows it
    int install = station.ins.indexOf(0xE6);
    assertThat(station.ins.subList(0, install)).contains(0xF2);
    assertThat(commandsAtWrite).containsExactly(install);
    assertThat(card.state(TestCards.VSDC)).isEqualTo(VirtualEmvCard.LifeCycle.PERSONALIZED);
    assertThat(card.isd().applicationState(TestCards.VSDC)).contains(0x0F);
    assertThat(card.isd().keyVersions()).containsExactly(0x02);
    assertThat(card.isd().cardLifeCycle()).isEqualTo(CardLifeCycle.SECURED);
    assertThat(card.isd().history()).containsExactly("INSTALL A0000000031010 from A000000003 state 07",
        "A0000000031010 set itself to 0F", "PUT KEY: key set 01 replaced by 02",
        "SET STATUS card INITIALIZED -> SECURED");
    assertThat(ctx.outputs()).containsEntry("gp.keyVersion", "02");
    assertThat(audit).contains("INSTALL A0000000031010 from A000000003", "gp key version now 02",
        "SET STATUS card SECURED");
  }

  @Test
  void aFailureAfterTheRotationSaysTheCardHoldsTheNewKeyVersion() throws Exception {
    // the card is SECURED already: SET STATUS SECURED is refused (6985) after PUT KEY went through
    CardManagement plan = plan("{\"rotateKeys\": {\"kmc\": \"issuer-kmc\", \"keyVersion\": 3},"
        + " \"cardLifeCycle\": \"SECURED\"}");
    CpsStep step = CpsStep.builder(CRYPTO, VSDC, KMC).transportKey("transport-kek", KEK).cardManagement(plan).build();
    VirtualEmvCard card = VirtualEmvCard.builder(CRYPTO, KMC, VSDC).kdd(Bytes.fromHex("00000000000000000043"))
        .cardLifeCycle(CardLifeCycle.SECURED).build();
    TestStepContext ctx = new TestStepContext(TestCards.card("0002", TestCards.VSDC, "vsdc-example", true))
        .device(DeviceRole.CHIP_STATION, new CpsStepTest.OneCardStation(card));
    assertThatThrownBy(() -> step.run(ctx)).isInstanceOfSatisfying(KeyRotationException.class, e -> {
      assertThat(e.holding()).isEqualTo(KeyRotationException.Holding.NEW_KEYS);
      assertThat(e.cardKeyVersion()).isEqualTo(3);
      assertThat(e.getMessage()).contains("6985").contains("KVN 03");
    });
    assertThat(card.isd().keyVersions()).containsExactly(0x03);
    assertThat(ctx.outputs()).containsEntry("gp.keyVersion", "03");
  }

  @Test
  void storeDataRotationAddsTheIssuerSetThenDeletesTheTransportSet() throws Exception {
    CardManagement plan = plan("{\"rotateKeys\": {\"kmc\": \"issuer-kmc\", \"keyVersion\": 5, \"method\": \"store-data\"},"
        + " \"cardLifeCycle\": \"SECURED\"}");
    CpsStep step = CpsStep.builder(CRYPTO, VSDC, KMC).transportKey("transport-kek", KEK).cardManagement(plan).build();
    VirtualEmvCard card = VirtualEmvCard.builder(CRYPTO, KMC, VSDC).kdd(Bytes.fromHex("00000000000000000044")).build();
    TestStepContext ctx = new TestStepContext(TestCards.card("0003", TestCards.VSDC, "vsdc-example", true))
        .device(DeviceRole.CHIP_STATION, new CpsStepTest.OneCardStation(card));
    step.run(ctx);
    assertThat(card.isd().keyVersions()).containsExactly(0x05);
    assertThat(card.isd().history()).contains("STORE DATA: key set 05 added", "DELETE key set 01");
    assertThat(card.isd().cardLifeCycle()).isEqualTo(CardLifeCycle.SECURED);
  }

  @Test
  void lockingNeedsAnExplicitAllowAndBadMembersAreNamed() throws Exception {
    assertThatThrownBy(() -> plan("{\"cardLifeCycle\": \"TERMINATED\"}")).isInstanceOf(ValidationException.class)
        .hasMessageContaining("$.steps[0].cardManagement.cardLifeCycle").hasMessageContaining("allowLocking");
    assertThat(plan("{\"cardLifeCycle\": \"LOCKED\", \"allowLocking\": true}").cardLifeCycle())
        .contains(CardLifeCycle.CARD_LOCKED);
    assertThatThrownBy(() -> plan("{\"rotateKeys\": {\"kmc\": \"issuer-kmc\", \"keyVersion\": 200}}"))
        .hasMessageContaining("rotateKeys.keyVersion");
    assertThatThrownBy(() -> plan("{\"rotateKeys\": {\"kmc\": \"nope\", \"keyVersion\": 2}}"))
        .hasMessageContaining("rotateKeys.kmc");
    assertThatThrownBy(() -> plan("{\"install\": [{\"loadFile\": \"zz\"}]}")).hasMessageContaining("install[0]");
    assertThatThrownBy(() -> plan("{\"lock\": true}")).isInstanceOf(ValidationException.class);
    assertThat(plan("{}").rotation()).isEqualTo(Optional.empty());
  }
}
