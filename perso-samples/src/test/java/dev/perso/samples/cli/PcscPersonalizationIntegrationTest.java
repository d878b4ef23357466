package dev.perso.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perso.core.channel.CardChannel;
import dev.perso.devices.pcsc.PcscReaders;
import dev.perso.devices.pcsc.VpcdBridge;
import dev.perso.devices.testing.Pcscd;
import dev.perso.emv.card.VirtualEmvCard;
import dev.perso.core.record.CardRecord;
import dev.perso.emv.cps.CardProfile;
import dev.perso.emv.cps.CardVerifier;
import dev.perso.emv.cps.CpsPersonalizer;
import dev.perso.emv.cps.PersoResult;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * EMV CPS end to end through a real pcscd + vsmartcard-vpcd: a VirtualEmvCard in a vpcd reader, reached with
 * PcscReaders (javax.smartcardio), personalized by CpsPersonalizer and verified by CardVerifier (read-back and
 * ARQC with the issuer key), for the SCP02 profile (vsdc-example, TDES KMC) and the SCP03 one (mchip-example,
 * AES-128 KMC, through the Security Domain with INSTALL [for personalization]).
 */
@Tag("pcscd")
@ExtendWith(Pcscd.class)
@Timeout(60)
class PcscPersonalizationIntegrationTest {

  @ParameterizedTest
  @ValueSource(strings = {BridgedCards.VSDC, BridgedCards.MCHIP})
  void personalizeAndVerifyThroughPcscd(String profileName) {
    CardProfile profile = CardProfile.example(profileName);
    VirtualEmvCard card = BridgedCards.card(profileName, 7);
    CardRecord data = BridgedCards.data(profileName, 7);
    VpcdBridge slot = BridgedCards.insert(card, Pcscd.PORT_B, Pcscd.READER_B);
    try (CardChannel channel = PcscReaders.system().open(Pcscd.READER_B)) {
      PersoResult r = CpsPersonalizer.builder(BridgedCards.CRYPTO).profile(profile, BridgedCards.kmc(profileName))
          .transportKey("transport-kek", BridgedCards.KEK).build().personalize(channel, data);
      assertThat(r.storeDataCommands()).isGreaterThan(1);
      assertThat(card.state(BridgedCards.aid(profileName))).isEqualTo(VirtualEmvCard.LifeCycle.PERSONALIZED);
      if (profile.secureChannel().version() instanceof dev.perso.gp.ScpVersion.Scp03Protocol) {
        assertThat(r.audit()).anyMatch(a -> a.contains("INSTALL [for personalization]"));
      }
      List<String> checks = CardVerifier.builder(BridgedCards.CRYPTO, BridgedCards.IMK).build().verify(channel, data);
      assertThat(checks).anyMatch(c -> c.contains("ARQC verified"));
    } finally {
      BridgedCards.remove(slot, Pcscd.READER_B);
    }
  }
}
