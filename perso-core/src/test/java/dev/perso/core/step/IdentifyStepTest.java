package dev.perso.core.step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.CardIdentificationException;
import dev.perso.core.ValidationException;
import dev.perso.core.device.DeviceRole;
import dev.perso.core.journal.Journal;
import dev.perso.core.record.CardRecord;
import dev.perso.core.testing.TestStepContext;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Identification across stages against a real (in-memory) journal of the earlier stage. */
class IdentifyStepTest {
  private static final Instant T0 = Instant.parse("2030-01-02T03:04:05Z");
  private Journal chip;

  /** An identifier the test sets per card, read at the printer station. */
  private static final class Held implements CardIdentifier {
    String value = "";

    @Override
    public DeviceRole<?> role() {
      return DeviceRole.PRINTER;
    }

    @Override
    public String read(StepContext ctx) {
      return value;
    }
  }

  @BeforeEach
  void chipStage() {
    chip = Journal.inMemory();
    chip.begin("job-1", "chip", "debit", "batch.jsonl", T0);
    Map<String, String> q = new LinkedHashMap<>();
    for (String id : new String[] {"a", "b", "c", "d"}) {
      q.put(id, "batch.jsonl:" + id);
    }
    chip.queued(q);
    chip.issued(chip.cardFed("a", "mx-1", "f", T0), Map.of("chip-serial", "S-A"), T0);
    chip.issued(chip.cardFed("b", "mx-1", "f", T0), Map.of("chip-serial", "S-B"), T0);
    chip.rejected(chip.cardFed("c", "mx-1", "f", T0), "WRITE_ERROR", "w", false, T0);
  }

  @AfterEach
  void close() {
    chip.close();
  }

  private static TestStepContext card(String recordId) {
    return new TestStepContext(CardRecord.builder(recordId).location("batch.jsonl:1").build());
  }

  @Test
  void rememberLeavesTheIdentifierAsAStageOutputAndRejectsACardWithoutOne() {
    Held id = new Held();
    IdentifyStep step = IdentifyStep.remember("chip-serial", id);
    assertThat(step.name()).isEqualTo("remember-chip-serial");
    assertThat(step.roles()).containsExactly(DeviceRole.PRINTER);
    assertThat(step.sections()).isEmpty();
    id.value = "S-Z";
    TestStepContext ctx = card("z");
    step.run(ctx);
    assertThat(ctx.outputs()).containsExactly(Map.entry("chip-serial", "S-Z"));
    id.value = "";
    assertThatThrownBy(() -> step.run(card("y"))).isInstanceOf(CardIdentificationException.class)
        .hasMessageContaining("record y").hasMessageContaining("carries no chip-serial");
    assertThatThrownBy(() -> IdentifyStep.remember("chip serial", id)).isInstanceOf(ValidationException.class);
  }

  @Test
  void byOutputAcceptsOnlyTheCardOfTheLinesOwnDoneRecord() {
    Held id = new Held();
    IdentifyStep step = IdentifyStep.byOutput(chip, "chip-serial", id);
    assertThat(step.name()).isEqualTo("identify-chip-serial");
    id.value = "S-A";
    TestStepContext a = card("a");
    step.run(a);
    assertThat(a.outputs()).containsExactly(Map.entry("chip-serial", "S-A"));
    // a's card in the hand while the line holds b: rejected, naming the card's real record
    CardIdentificationException wrong = org.assertj.core.api.Assertions.catchThrowableOfType(
        () -> step.run(card("b")), CardIdentificationException.class);
    assertThat(wrong.recordId()).isEqualTo("b");
    assertThat(wrong).hasMessageContaining("belongs to record a").hasMessageNotContaining("S-A");
    // where the line can re-assign the card, it continues as its own record
    TestStepContext other = card("b").reassignable();
    step.run(other);
    assertThat(other.reassignedTo()).isEqualTo("a");
    assertThat(other.outputs()).containsExactly(Map.entry("chip-serial", "S-A"));
    TestStepContext own = card("a").reassignable();
    step.run(own);
    assertThat(own.reassignedTo()).isNull();
    id.value = "S-Q";
    assertThatThrownBy(() -> step.run(card("a").reassignable())).hasMessageContaining("no record of the earlier stage");
    id.value = "";
    assertThatThrownBy(() -> step.run(card("a"))).hasMessageContaining("carries no chip-serial");
  }

  @Test
  void feedOrderChecksTheCountTheEarlierStageAndRepeats() {
    assertThatThrownBy(() -> IdentifyStep.feedOrder(chip, 3, DeviceRole.PRINTER))
        .isInstanceOf(ValidationException.class).hasMessageContaining("holds 3 cards but the earlier stage issued 2");
    IdentifyStep step = IdentifyStep.feedOrder(chip, 2, DeviceRole.PRINTER);
    TestStepContext a = card("a");
    step.run(a);
    step.run(a); // the same card again (a retry at another station) is no repeat
    assertThatThrownBy(() -> step.run(card("c"))).hasMessageContaining("REJECTED in stage chip, not DONE");
    assertThatThrownBy(() -> step.run(card("d"))).hasMessageContaining("more cards fed than the 2 loaded");
  }

  @Test
  void aRecordTheEarlierStageDoesNotKnowIsRefused() {
    IdentifyStep step = IdentifyStep.feedOrder(chip, 2, DeviceRole.PRINTER);
    assertThatThrownBy(() -> step.run(card("e"))).isInstanceOf(CardIdentificationException.class)
        .hasMessageContaining("the earlier stage does not know the record");
  }

  @Test
  void aStepBuiltWithoutTheEarlierStageFailsOnlyWhenItGetsReadyAndNamesWhatIsMissing() {
    IdentifyStep byChip = IdentifyStep.byOutput(PreviousStage.notGiven(), "chip-serial", new Held());
    assertThat(byChip.needsPreviousStage()).isTrue();
    assertThat(byChip.output()).isEqualTo("chip-serial");
    assertThatThrownBy(byChip::ready).isInstanceOf(ValidationException.class)
        .hasMessageContaining("no journal of the earlier stage was given");
    assertThatThrownBy(() -> byChip.run(card("a"))).isInstanceOf(ValidationException.class);
    IdentifyStep remember = IdentifyStep.remember("chip-serial", new Held());
    assertThat(remember.needsPreviousStage()).isFalse();
    remember.ready(); // nothing to check
    assertThatThrownBy(() -> PreviousStage.notGiven().cardsLoaded(3)).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> PreviousStage.of(chip).cardsLoaded(-1)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("cardsLoaded");
  }

  @Test
  void feedOrderFromAGivenStageChecksTheCountWhenReadyAndNeedsIt() {
    IdentifyStep noCount = IdentifyStep.feedOrder(PreviousStage.of(chip), DeviceRole.PRINTER);
    assertThatThrownBy(noCount::ready).isInstanceOf(ValidationException.class)
        .hasMessageContaining("count of cards loaded");
    IdentifyStep wrong = IdentifyStep.feedOrder(PreviousStage.of(chip).cardsLoaded(5), DeviceRole.PRINTER);
    assertThatThrownBy(wrong::ready).hasMessageContaining("holds 5 cards but the earlier stage issued 2");
    IdentifyStep step = IdentifyStep.feedOrder(PreviousStage.of(chip).cardsLoaded(2), DeviceRole.PRINTER);
    step.run(card("a")); // ready on its first card
    step.run(card("b"));
    assertThatThrownBy(() -> step.run(card("d"))).hasMessageContaining("more cards fed than the 2 loaded");
  }

  @Test
  void byOutputFromAGivenStageFindsTheRecordAsWithTheJournal() {
    Held id = new Held();
    IdentifyStep step = IdentifyStep.byOutput(PreviousStage.of(chip), "chip-serial", id);
    step.ready();
    id.value = "S-B";
    TestStepContext b = card("b");
    step.run(b);
    assertThat(b.outputs()).containsEntry("chip-serial", "S-B");
    id.value = "S-X";
    assertThatThrownBy(() -> step.run(card("a"))).isInstanceOf(CardIdentificationException.class)
        .hasMessageContaining("no record of the earlier stage");
  }
}
