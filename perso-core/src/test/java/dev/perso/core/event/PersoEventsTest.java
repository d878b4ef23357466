package dev.perso.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.PersoException;
import dev.perso.core.device.CardTag;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PersoEventsTest {

  @Test
  void compositeCallsEveryListenerEvenWhenOneThrows() {
    List<String> calls = new ArrayList<>();
    PersoEvents failing = new PersoEvents() {
      @Override
      public void cardDone(CardTag card, String machine) {
        calls.add("failing " + card.recordId());
        throw new IllegalStateException("listener bug");
      }
    };
    PersoEvents recording = new PersoEvents() {
      @Override
      public void cardDone(CardTag card, String machine) {
        calls.add("recording " + card.recordId());
      }

      @Override
      public void cardRejected(CardTag card, String station, PersoException reason, boolean remade) {
        calls.add("rejected " + card.recordId() + ": " + reason.getMessage());
      }
    };
    PersoEvents both = PersoEvents.composite(failing, recording);
    assertThatThrownBy(() -> both.cardDone(new CardTag(1, "card-1"), "m")).hasMessage("listener bug");
    both.cardRejected(new CardTag(2, "card-2"), "m/chip-1", new PersoException("SELECT failed"), false);
    PersoEvents.NONE.progress(1, 2);
    assertThat(calls).containsExactly("failing card-1", "recording card-1", "rejected card-2: SELECT failed");
  }
}
