package dev.perso.core.step;

import dev.perso.core.CardIdentificationException;
import dev.perso.core.ValidationException;
import dev.perso.core.device.DeviceRole;
import dev.perso.core.journal.Journal;
import dev.perso.core.journal.StageRecord;
import dev.perso.core.record.CardRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Steps that tie a physical card to its record across stages, domain-free: an earlier stage
 * {@linkplain #remember remembers} an identifier it reads from the card as a stage output; a later stage
 * {@linkplain #byOutput identifies} the card in its hand by reading it again and finding the record in the
 * earlier stage's journal, or {@linkplain #feedOrder trusts the feed order} with a count check. A card
 * identified as another record's continues as that record when it is ready for this stage
 * ({@link StepContext#reassign}). A card that cannot be identified, whose record is not DONE in the earlier
 * stage, or whose record is not ready for this stage (or, by feed order, out of order) is rejected with a
 * {@link CardIdentificationException}, never personalized with another record's data. (A record already
 * DONE in this stage is never fed again: the line skips it.)
 *
 * <pre>{@code
 * CardIdentifier serial = CardIdentifier.chip(Cplc::icSerial);
 * CardType debit = CardType.builder("debit")
 *     .step(IdentifyStep.remember("chip-serial", serial)).step(cps)
 *     .step(IdentifyStep.byOutput(chipJournal, "chip-serial", serial)).step(stripe)
 *     .stage("chip", "remember-chip-serial", "emv-cps")
 *     .stage("finish", "identify-chip-serial", "magstripe").build();
 * }</pre>
 */
public final class IdentifyStep implements PersoStep {
  private enum Kind { REMEMBER, BY_OUTPUT, FEED_ORDER }

  private final Kind kind;
  private final String name;
  private final String output;
  private final CardIdentifier identifier;
  private final DeviceRole<?> role;
  private final PreviousStage previous;
  /** Feed order: the card each record came with (a step retried at another station sees it again). */
  private final Map<String, Long> seen = new HashMap<>();
  private long fed;
  /** The earlier stage's journal once {@link #ready()} checked it; null before. */
  private volatile Journal journal;
  private long hopperCount;

  private IdentifyStep(Kind kind, String name, String output, CardIdentifier identifier, DeviceRole<?> role,
      PreviousStage previous) {
    this.kind = kind;
    this.name = name;
    this.output = output;
    this.identifier = identifier;
    this.role = role;
    this.previous = previous;
  }

  private static String checkOutput(String output) {
    if (output == null || !output.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new ValidationException("output", "an output name is 1 to 64 letters, digits, '.', '-' or '_'");
    }
    return output;
  }

  /**
   * For an earlier stage: reads the card's identifier and leaves it as the stage output {@code output}.
   * A card without one is rejected. Named {@code remember-OUTPUT}.
   *
   * @param output the output's name, e.g. {@code chip-serial}
   * @param identifier how to read it
   * @return the step
   */
  public static IdentifyStep remember(String output, CardIdentifier identifier) {
    Objects.requireNonNull(identifier, "identifier");
    return new IdentifyStep(Kind.REMEMBER, "remember-" + checkOutput(output), output, identifier,
        identifier.role(), null);
  }

  /**
   * For a later stage: reads the card's identifier and finds the one record the earlier stage issued with
   * it. A card of another record than the line gave it continues as its own record
   * ({@link StepContext#reassign}) when that record is ready for this stage (DONE in the earlier stage,
   * waiting in this one): a shuffled hopper is personalized card by card. The identifier is left as this stage's output too, so a stage after this one
   * (a stripe re-encode of issued cards) identifies the card the same way. Named {@code identify-OUTPUT}.
   *
   * @param previous the earlier stage's journal
   * @param output the output the earlier stage remembered
   * @param identifier how to read it (the same as the earlier stage's)
   * @return the step
   */
  public static IdentifyStep byOutput(Journal previous, String output, CardIdentifier identifier) {
    return byOutput(PreviousStage.of(previous), output, identifier);
  }

  /**
   * {@link #byOutput(Journal, String, CardIdentifier)} with the earlier stage as the application gives it
   * (a step provider builds the step before the application knows which stage it runs): the journal is
   * needed only when the step gets ready ({@link #ready()}) or runs.
   *
   * @param previous the earlier stage, possibly {@link PreviousStage#notGiven()}
   * @param output the output the earlier stage remembered
   * @param identifier how to read it
   * @return the step
   */
  public static IdentifyStep byOutput(PreviousStage previous, String output, CardIdentifier identifier) {
    Objects.requireNonNull(previous, "previous");
    Objects.requireNonNull(identifier, "identifier");
    return new IdentifyStep(Kind.BY_OUTPUT, "identify-" + checkOutput(output), output, identifier,
        identifier.role(), previous);
  }

  /**
   * For a later stage whose hopper holds the earlier stage's cards in the order of this stage's input:
   * checks the count (the hopper holds as many cards as the earlier stage issued, and no more are fed),
   * that each record is DONE in the earlier stage, and that no record comes twice (a remade card shifts
   * the order: run such a stage without remakes). Named {@code identify-feed-order}.
   *
   * @param previous the earlier stage's journal
   * @param hopperCount the cards the operator loaded
   * @param at the device role of the station the check runs at (the stage's first)
   * @return the step
   * @throws ValidationException if the count differs from the cards the earlier stage issued
   */
  public static IdentifyStep feedOrder(Journal previous, long hopperCount, DeviceRole<?> at) {
    IdentifyStep step = feedOrder(PreviousStage.of(previous).cardsLoaded(hopperCount), at);
    step.ready();
    return step;
  }

  /**
   * {@link #feedOrder(Journal, long, DeviceRole)} with the earlier stage as the application gives it: the
   * count check ({@link PreviousStage#cardsLoaded()} against the cards the earlier stage issued) is made
   * when the step gets ready ({@link #ready()}) or on its first card.
   *
   * @param previous the earlier stage, with the cards loaded, possibly {@link PreviousStage#notGiven()}
   * @param at the device role of the station the check runs at (the stage's first)
   * @return the step
   */
  public static IdentifyStep feedOrder(PreviousStage previous, DeviceRole<?> at) {
    Objects.requireNonNull(previous, "previous");
    Objects.requireNonNull(at, "at");
    return new IdentifyStep(Kind.FEED_ORDER, "identify-feed-order", "", null, at, previous);
  }

  /** @return true when the step reads the earlier stage's journal (identification, not {@code remember}) */
  public boolean needsPreviousStage() {
    return kind != Kind.REMEMBER;
  }

  /**
   * Checks, before the stage's first card is fed, what the step needs of the earlier stage: its journal
   * and, by feed order, that the hopper holds as many cards as the earlier stage issued. A step that was not
   * made ready does it on its first card. Does nothing for {@code remember}.
   *
   * @throws ValidationException if the earlier stage's journal was not given, the count of cards loaded was
   *     not given (feed order), or differs from the cards the earlier stage issued
   */
  public synchronized void ready() {
    if (kind == Kind.REMEMBER || journal != null) {
      return;
    }
    Journal j = previous.journal();
    if (kind == Kind.FEED_ORDER) {
      long loaded = previous.cardsLoaded().orElseThrow(() -> new ValidationException("cardsLoaded",
          "identification by feed order needs the count of cards loaded in the hopper"));
      long issued = j.status().count(dev.perso.core.journal.RecordState.DONE);
      if (issued != loaded) {
        throw new ValidationException("hopperCount", "the hopper holds " + loaded + " cards but the earlier"
            + " stage issued " + issued + ": the feed order cannot be trusted; identify the cards by chip or stripe");
      }
      hopperCount = loaded;
    }
    journal = j;
  }

  /** @return the output the step remembers or identifies by; {@code ""} for feed order */
  public String output() {
    return output;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<DeviceRole<?>> roles() {
    return Set.of(role);
  }

  @Override
  public Set<String> sections() {
    return Set.of();
  }

  @Override
  public void validate(CardRecord record) {
    // identification reads the card, not the record
  }

  @Override
  public void run(StepContext ctx) {
    if (kind != Kind.REMEMBER && journal == null) {
      ready();
    }
    Journal earlier = journal;
    String recordId = ctx.record().id();
    switch (kind) {
      case REMEMBER -> {
        String id = identifier.read(ctx);
        if (id.isEmpty()) {
          throw new CardIdentificationException(recordId, "the card carries no " + output);
        }
        ctx.stageOutput(output, id);
      }
      case BY_OUTPUT -> {
        String id = identifier.read(ctx);
        if (id.isEmpty()) {
          throw new CardIdentificationException(recordId, "the card carries no " + output);
        }
        List<String> owners = earlier.recordsWithOutput(output, id);
        if (owners.isEmpty()) {
          throw new CardIdentificationException(recordId, "no record of the earlier stage was issued with this "
              + output);
        }
        if (owners.size() > 1) {
          throw new CardIdentificationException(recordId, "records " + owners + " share this " + output);
        }
        String owner = owners.get(0);
        requireDoneBefore(earlier, owner);
        if (!owner.equals(recordId)) {
          ctx.reassign(owner);   // the card continues as its own record, or is refused and rejected
        }
        ctx.stageOutput(output, id); // carried forward: a stage after this one identifies the card the same way
      }
      case FEED_ORDER -> {
        synchronized (this) {
          Long card = seen.get(recordId);
          if (card == null) {
            if (fed >= hopperCount) {
              throw new CardIdentificationException(recordId, "more cards fed than the " + hopperCount
                  + " loaded: the feed order is lost");
            }
            fed++;
            seen.put(recordId, ctx.card().serial());
          } else if (card != ctx.card().serial()) {
            throw new CardIdentificationException(recordId, "the record comes a second time: the feed order is lost");
          }
        }
        requireDoneBefore(earlier, recordId);
      }
      default -> throw new IllegalStateException(kind.name());
    }
  }

  private static void requireDoneBefore(Journal previous, String recordId) {
    StageRecord before = previous.stageRecord(recordId).orElseThrow(() ->
        new CardIdentificationException(recordId, "the earlier stage does not know the record"));
    if (!before.done()) {
      throw new CardIdentificationException(recordId, "the record is " + before.state() + " in stage "
          + before.stage() + ", not DONE");
    }
  }

  @Override
  public String toString() {
    return "step " + name;
  }
}
