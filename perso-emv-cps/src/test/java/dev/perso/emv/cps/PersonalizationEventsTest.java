package dev.perso.emv.cps;

import static dev.perso.emv.cps.TestCards.CRYPTO;
import static dev.perso.emv.cps.TestCards.KEK;
import static dev.perso.emv.cps.TestCards.KMC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import dev.perso.core.PersoException;
import dev.perso.core.card.VirtualCard;
import dev.perso.core.event.PersoEvents;
import dev.perso.core.record.CardRecord;
import dev.perso.emv.card.VirtualEmvCard;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 §4: the personalizer fires personalizationStarted, then personalizationDone with what the card
 * accepted, or personalizationFailed with the typed reason the caller also gets, so a batch tool ({@code perso
 * cps run}) reports cards from the events.
 */
class PersonalizationEventsTest {
  private static final CardProfile VSDC = CardProfile.example("vsdc-example");

  private final List<String> log = new ArrayList<>();
  private final List<PersoException> reasons = new ArrayList<>();
  private final PersoEvents recorder = new PersoEvents() {
    @Override
    public void personalizationStarted(String cardId) {
      log.add("started " + cardId);
    }

    @Override
    public void personalizationDone(String cardId, List<String> applications, int storeDataCommands,
        Duration elapsed) {
      log.add("done " + cardId + " " + applications + " " + storeDataCommands);
    }

    @Override
    public void personalizationFailed(String cardId, PersoException reason, Duration elapsed) {
      reasons.add(reason);
      log.add("failed " + cardId + " " + reason.getClass().getSimpleName());
    }
  };

  private CpsPersonalizer personalizer() {
    return CpsPersonalizer.builder(CRYPTO).profile(VSDC, KMC).transportKey("transport-kek", KEK).events(recorder)
        .build();
  }

  private static VirtualEmvCard card(VirtualEmvCard.Fault... faults) {
    VirtualEmvCard.Builder b = VirtualEmvCard.builder(CRYPTO, KMC, VSDC).kdd(Bytes.fromHex("00000000000000000042"));
    for (VirtualEmvCard.Fault f : faults) {
      b.fault(f);
    }
    return b.build();
  }

  @Test
  void aPersonalizedCardFiresStartedThenDoneWithWhatTheCardAccepted() {
    CardRecord data = TestCards.card("0001", TestCards.VSDC, "vsdc-example", false);
    PersoResult r = personalizer().personalize(VirtualCard.connect(card()), data);
    assertThat(log).containsExactly("started 0001",
        "done 0001 [" + TestCards.VSDC.toHex() + "] " + r.storeDataCommands());
    assertThat(r.storeDataCommands()).isPositive();
  }

  @Test
  void aRejectedCardFiresStartedThenFailedWithTheReasonTheCallerGets() {
    CardRecord data = TestCards.card("0002", TestCards.VSDC, "vsdc-example", false);
    assertThatThrownBy(() -> personalizer().personalize(
        VirtualCard.connect(card(VirtualEmvCard.Fault.wrongStatus(1, 0x6A84))), data))
        .isInstanceOfSatisfying(StoreDataException.class, e -> assertThat(reasons).containsExactly(e));
    assertThat(log).containsExactly("started 0002", "failed 0002 StoreDataException");
    assertThat(((StoreDataException) reasons.get(0)).accepted()).isEqualTo(1);
  }
}
