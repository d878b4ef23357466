package dev.perso.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.PersoException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PersoEventsTest {

  @Test
  void compositeCallsEveryListenerEvenWhenOneThrows() {
    List<String> calls = new ArrayList<>();
    PersoEvents failing = new PersoEvents() {
      @Override
      public void cardDone(String cardId) {
        calls.add("failing " + cardId);
        throw new IllegalStateException("listener bug");
      }
    };
    PersoEvents recording = new PersoEvents() {
      @Override
      public void cardDone(String cardId) {
        calls.add("recording " + cardId);
      }

      @Override
      public void cardRejected(String cardId, PersoException reason) {
        calls.add("rejected " + cardId + ": " + reason.getMessage());
      }
    };
    PersoEvents both = PersoEvents.composite(failing, recording);
    assertThatThrownBy(() -> both.cardDone("card-1")).hasMessage("listener bug");
    both.cardRejected("card-2", new PersoException("SELECT failed"));
    PersoEvents.NONE.progress(1, 2);
    assertThat(calls).containsExactly("failing card-1", "recording card-1", "rejected card-2: SELECT failed");
  }
}
