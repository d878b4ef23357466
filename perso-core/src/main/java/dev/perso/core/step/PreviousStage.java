package dev.perso.core.step;

import dev.perso.core.ValidationException;
import dev.perso.core.journal.Journal;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The earlier stage of a job, as the application hands it to a later stage's identification steps through
 * the {@link StepEnvironment}: its journal, opened by the application (a card-type file holds no connection
 * details), and, for identification by feed order, how many cards the operator loaded. The application does
 * not close the journal through it.
 *
 * <pre>{@code
 * try (Journal chip = Journal.sqlite(Path.of("job-42.chip.db"))) {
 *   StepEnvironment env = StepEnvironment.builder(Path.of("."))
 *       .service(PreviousStage.class, PreviousStage.of(chip).cardsLoaded(500)).build();
 *   CardType finish = CardTypes.load(Path.of("debit-two-stages.json"), env).stage("finish");
 * }
 * }</pre>
 */
public final class PreviousStage {
  private static final PreviousStage NOT_GIVEN = new PreviousStage(null, -1);

  private final Journal journal;
  private final long cardsLoaded;

  private PreviousStage(Journal journal, long cardsLoaded) {
    this.journal = journal;
    this.cardsLoaded = cardsLoaded;
  }

  /**
   * @param journal the earlier stage's journal
   * @return the earlier stage
   */
  public static PreviousStage of(Journal journal) {
    return new PreviousStage(Objects.requireNonNull(journal, "journal"), -1);
  }

  /**
   * What a step provider uses when the application gave no earlier stage (it runs a first stage, say): a
   * step built with it fails with a {@link ValidationException} when it needs the journal, not when the
   * card-type file is loaded.
   *
   * @return the earlier stage nobody gave
   */
  public static PreviousStage notGiven() {
    return NOT_GIVEN;
  }

  /**
   * @param count the cards the operator loaded in the hopper, for identification by feed order
   * @return a copy with the count
   * @throws ValidationException if the count is negative or no journal was given
   */
  public PreviousStage cardsLoaded(long count) {
    if (count < 0) {
      throw new ValidationException("cardsLoaded", "must be 0 or more, was " + count);
    }
    return new PreviousStage(journal(), count);
  }

  /** @return true when the application gave the earlier stage's journal */
  public boolean given() {
    return journal != null;
  }

  /**
   * @return the earlier stage's journal
   * @throws ValidationException if the application gave none
   */
  public Journal journal() {
    if (journal == null) {
      throw new ValidationException("previous stage", "no journal of the earlier stage was given: this stage"
          + " identifies its cards by the records the earlier stage issued");
    }
    return journal;
  }

  /** @return the cards the operator loaded, if the application said */
  public OptionalLong cardsLoaded() {
    return cardsLoaded < 0 ? OptionalLong.empty() : OptionalLong.of(cardsLoaded);
  }

  @Override
  public String toString() {
    return journal == null ? "no previous stage" : "previous stage" + (cardsLoaded < 0 ? "" : ", " + cardsLoaded
        + " cards loaded");
  }
}
