package dev.perso.gp;

import static dev.perso.gp.GpTestCards.K40;
import static dev.perso.gp.GpTestCards.des;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import dev.perso.core.CardStatusException;
import dev.perso.core.ValidationException;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.gp.card.VirtualIsd;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The card side's protective rules, driven through {@link GpCardManager} over SCP02. */
class VirtualIsdTest {
  static final Bytes PKG = Bytes.fromHex("A0000000626F6E75");
  static final Bytes APPLET = Bytes.fromHex("A0000000626F6E7501");
  static final Bytes INSTANCE = Bytes.fromHex("A0000000626F6E750101");
  static final GpKeys KEYS = GpKeys.single(des(K40));

  static GpTestCards card(CardLifeCycle state) {
    return new GpTestCards(KEYS, false, 0, VirtualIsd.builder(GpTestCards.SW).cardLifeCycle(state));
  }

  static int sw(GpSecureChannel s, CommandApdu c) {
    return s.transmit(c).sw().value();
  }

  @Test
  void loadInstallStatusDeleteEndToEnd() {
    GpTestCards t = card(CardLifeCycle.INITIALIZED);
    CapFile cap = CapFile.parse(TestCaps.wallet());
    try (GpSecureChannel s = t.open(KEYS, SecurityLevel.C_MAC_C_DEC)) {
      GpCardManager gp = GpCardManager.builder(s, GpTestCards.SW).build();
      // §11.6: blocks as large as C-MAC + C-DEC carries, sequential P2, hash checked by the card (§C.2)
      assertThat(gp.load(cap, "SHA-256")).isEqualTo(1);
      gp.install(PKG, APPLET, INSTANCE, Privilege.encode(Set.of()), Bytes.fromHex("0102"));
      List<RegistryEntry> apps = gp.status(StatusScope.APPLICATIONS);
      assertThat(apps).singleElement().satisfies(e -> {
        assertThat(e.aid()).isEqualTo(INSTANCE);
        assertThat(e.lifeCycle()).isEqualTo(0x07); // SELECTABLE (Table 11-4)
        assertThat(e.loadFile()).contains(PKG);
      });
      assertThat(gp.status(StatusScope.LOAD_FILES_AND_MODULES)).singleElement()
          .satisfies(e -> assertThat(e.modules()).containsExactly(APPLET));
      assertThat(gp.status(StatusScope.ISD).get(0).lifeCycle()).isEqualTo(0x07); // INITIALIZED (Table 11-6)
      // DELETE (§11.2.2): a load file with instances needs P2 80; the ISD never goes
      assertThatThrownBy(() -> gp.delete(PKG, false)).isInstanceOf(CardStatusException.class).hasMessageContaining("6985");
      assertThat(sw(s, GpCommands.delete(GpOptions.ISD_AID, false))).isEqualTo(0x6985);
      assertThatThrownBy(() -> gp.delete(GpOptions.ISD_AID, false)).isInstanceOf(ValidationException.class);
      gp.delete(PKG, true);
      assertThat(gp.status(StatusScope.APPLICATIONS)).isEmpty();
    }
    assertThat(t.isd.history()).containsExactly("LOAD A0000000626F6E75 with 1 applet(s)",
        "INSTALL A0000000626F6E750101 from A0000000626F6E75 state 07", "DELETE A0000000626F6E750101",
        "DELETE load file A0000000626F6E75");
  }

  @Test
  void aWrongLoadFileHashOrBlockOrderIsRefused() {
    GpTestCards t = card(CardLifeCycle.SECURED);
    CapFile cap = CapFile.parse(TestCaps.wallet());
    try (GpSecureChannel s = t.open(KEYS, SecurityLevel.C_MAC)) {
      Bytes wrongHash = Bytes.of(new byte[32]);
      assertThat(sw(s, GpCommands.installForLoad(PKG, Bytes.empty(), wrongHash))).isEqualTo(0x9000);
      assertThat(sw(s, GpCommands.load(0, true, cap.loadFile(false)))).isEqualTo(0x6A80);
      assertThat(sw(s, GpCommands.installForLoad(PKG, Bytes.empty(), Bytes.empty()))).isEqualTo(0x9000);
      assertThat(sw(s, GpCommands.load(1, true, cap.loadFile(false)))).isEqualTo(0x6A86);
      assertThat(sw(s, GpCommands.load(0, true, cap.loadFile(false)))).isEqualTo(0x6985); // no INSTALL [for load]
      // INSTALL from a load file that is not there: 6A88 (referenced data not found)
      assertThat(sw(s, GpCommands.installAndMakeSelectable(PKG, APPLET, INSTANCE, Bytes.fromHex("00"), Bytes.empty())))
          .isEqualTo(0x6A88);
    }
    assertThat(t.isd.loadFiles()).isEmpty();
  }

  @Test
  void cardLifeCycleMovesOnlyAsSection5_1Allows() {
    GpTestCards t = card(CardLifeCycle.OP_READY);
    try (GpSecureChannel s = t.open(KEYS, SecurityLevel.C_MAC)) {
      GpCardManager gp = GpCardManager.builder(s, GpTestCards.SW).build();
      gp.setCardStatus(CardLifeCycle.INITIALIZED);
      gp.setCardStatus(CardLifeCycle.SECURED);
      // irreversible: back to INITIALIZED, or the same state again, is refused (6985)
      assertThat(sw(s, GpCommands.setCardStatus(CardLifeCycle.INITIALIZED))).isEqualTo(0x6985);
      assertThat(sw(s, GpCommands.setCardStatus(CardLifeCycle.SECURED))).isEqualTo(0x6985);
      assertThat(sw(s, CommandApdu.of(0x80, 0xF0, 0x80, 0x03))).isEqualTo(0x6A80); // 03 is no card state
      // locking is refused by the host unless the card type allows it, before anything is sent
      int before = t.plain.size();
      assertThatThrownBy(() -> gp.setCardStatus(CardLifeCycle.CARD_LOCKED)).isInstanceOf(ValidationException.class);
      assertThatThrownBy(() -> gp.setCardStatus(CardLifeCycle.TERMINATED)).isInstanceOf(ValidationException.class);
      assertThat(t.plain).hasSize(before);
      GpCardManager.builder(s, GpTestCards.SW).allowLocking().build().setCardStatus(CardLifeCycle.CARD_LOCKED);
      // a locked card makes no content changes
      assertThat(sw(s, GpCommands.installForLoad(PKG, Bytes.empty(), Bytes.empty()))).isEqualTo(0x6985);
    }
    assertThat(t.isd.cardLifeCycle()).isEqualTo(CardLifeCycle.CARD_LOCKED);
  }

  @Test
  void applicationLockAndUnlockRestoreThePreviousState() {
    GpTestCards t = new GpTestCards(KEYS, false, 0, VirtualIsd.builder(GpTestCards.SW)
        .loadFile(PKG, List.of(APPLET)).application(INSTANCE, PKG));
    try (GpSecureChannel s = t.open(KEYS, SecurityLevel.C_MAC)) {
      GpCardManager gp = GpCardManager.builder(s, GpTestCards.SW).build();
      assertThatThrownBy(() -> gp.setApplicationStatus(INSTANCE, 0x80)).isInstanceOf(ValidationException.class);
      GpCardManager locking = GpCardManager.builder(s, GpTestCards.SW).allowLocking().build();
      locking.setApplicationStatus(INSTANCE, 0x80);
      assertThat(t.isd.applicationState(INSTANCE)).contains(0x87); // LOCKED: b8 with b2b1 11 (Table 11-4)
      assertThat(sw(s, GpCommands.setApplicationStatus(INSTANCE, 0x80))).isEqualTo(0x6985);
      locking.setApplicationStatus(INSTANCE, 0x00);
      assertThat(t.isd.applicationState(INSTANCE)).contains(0x07);
      // the ISD may set itself PERSONALIZED once (Table 11-5)
      gp.setApplicationStatus(GpOptions.ISD_AID, 0x0F);
      assertThat(sw(s, GpCommands.setApplicationStatus(GpOptions.ISD_AID, 0x0F))).isEqualTo(0x6985);
      assertThat(sw(s, GpCommands.setApplicationStatus(Bytes.fromHex("A000000099"), 0x80))).isEqualTo(0x6A88);
    }
  }

  @Test
  void getStatusPagesWith6310AndAnswersTheLegacyFormat() {
    VirtualIsd.Builder b = VirtualIsd.builder(GpTestCards.SW).loadFile(PKG, List.of(APPLET));
    List<Bytes> instances = new ArrayList<>();
    for (int n = 0; n < 20; n++) {
      Bytes aid = Bytes.concat(PKG, Bytes.ofUnsigned(0x10, n, 0, 0, 0, 0, 0, 0));
      instances.add(aid);
      b.application(aid, PKG);
    }
    GpTestCards t = new GpTestCards(KEYS, false, 0, b);
    try (GpSecureChannel s = t.open(KEYS, SecurityLevel.C_MAC)) {
      List<RegistryEntry> all = GpCardManager.builder(s, GpTestCards.SW).build().status(StatusScope.APPLICATIONS);
      assertThat(all).extracting(RegistryEntry::aid).isEqualTo(instances);
      long parts = t.plain.stream().filter(c -> c.ins() == 0xF2).count();
      assertThat(parts).isGreaterThan(1); // §11.4.3: 6310 then P2 03 "next"
      assertThat(t.plain.stream().filter(c -> c.ins() == 0xF2 && c.p2() == 0x03).count()).isEqualTo(parts - 1);
      // next without a first, and next for the ISD, are refused (§11.4.2.2)
      assertThat(sw(s, GpCommands.getStatus(StatusScope.APPLICATIONS, true, true))).isEqualTo(0x6A86);
      assertThat(sw(s, GpCommands.getStatus(StatusScope.ISD, true, true))).isEqualTo(0x6A86);
      var legacy = s.transmit(GpCommands.getStatus(StatusScope.ISD, false, false));
      assertThat(RegistryEntry.parseLegacy(legacy.data(), StatusScope.ISD)).singleElement()
          .satisfies(e -> assertThat(e.aid()).isEqualTo(GpOptions.ISD_AID));
    }
  }

  @Test
  void managementNeedsAnAuthenticatedChannelButCplcDoesNot() {
    GpTestCards t = card(CardLifeCycle.SECURED);
    var plainChannel = dev.perso.core.card.VirtualCard.connect(t.card);
    assertThat(plainChannel.transmit(GpCommands.setCardStatus(CardLifeCycle.TERMINATED)).sw().value()).isEqualTo(0x6982);
    assertThat(plainChannel.transmit(GpCommands.getStatus(StatusScope.ISD, false, true)).sw().value()).isEqualTo(0x6982);
    var cplc = plainChannel.transmit(GpCommands.getData(0x9F7F));
    assertThat(Cplc.parse(cplc.data()).field(Cplc.Field.IC_FABRICATOR).toHex()).isEqualTo("4790");
    try (GpSecureChannel s = t.open(KEYS, SecurityLevel.C_MAC)) {
      assertThat(GpCardManager.builder(s, GpTestCards.SW).build().keyInformation()).extracting(KeyInformation::keyId)
          .containsExactly(1, 2, 3);
    }
    assertThat(t.isd.cardLifeCycle()).isEqualTo(CardLifeCycle.SECURED);
  }
}
