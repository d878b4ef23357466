package dev.perso.core.step;

import dev.perso.core.ValidationException;
import dev.perso.core.card.VirtualCard;
import dev.perso.core.device.CardTag;
import dev.perso.core.device.DeviceRole;
import dev.perso.core.record.CardRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A card type: an ordered list of configured steps. Switching card type switches data, never code. A
 * record is valid for a card type when every section it has is claimed by a step and every step accepts
 * its sections.
 *
 * <pre>{@code
 * CardType debit = CardType.builder("debit-example").step(stripeStep).step(cpsStep).build();
 * debit.validate(record);          // ValidationException "batch.jsonl:7 loyalty: section not used by card type debit-example"
 * debit.roles();                   // [magstripe-encoder, chip-station]
 * }</pre>
 */
public final class CardType {
  private final String name;
  private final List<PersoStep> steps;
  private final Set<String> sections;
  private final Set<DeviceRole<?>> roles;
  private final List<Stage> stages;
  /** The stage this card type runs, {@code ""} for all its steps. */
  private final String stageName;
  /** The whole card type, when this is one of its stages; else this. */
  private final CardType whole;

  private CardType(String name, List<PersoStep> steps, List<Stage> stages, String stageName, CardType whole) {
    this.name = name;
    this.steps = steps;
    this.stages = stages;
    this.stageName = stageName;
    this.whole = whole == null ? this : whole;
    Set<String> s = new LinkedHashSet<>();
    Set<DeviceRole<?>> r = new LinkedHashSet<>();
    for (PersoStep step : steps) {
      s.addAll(step.sections());
      r.addAll(step.roles());
    }
    this.sections = Collections.unmodifiableSet(s);
    this.roles = Collections.unmodifiableSet(r);
  }

  /**
   * @param name the card type's name
   * @return a builder
   */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** @return the name */
  public String name() {
    return name;
  }

  /** @return the steps in order */
  public List<PersoStep> steps() {
    return steps;
  }

  /**
   * @return the declared stages in order; a card type without declared stages has one, named {@code ""},
   *     with every step
   */
  public List<Stage> stages() {
    return whole.stages;
  }

  /** @return true when the card type declares stages */
  public boolean hasStages() {
    return !whole.stages.get(0).name().isEmpty();
  }

  /**
   * The card type as one line runs one of its stages: only that stage's steps, roles and blank stock. A
   * record is still checked against the whole card type (the same input feeds every stage).
   *
   * <pre>{@code
   * CardType finish = debit.stage("finish");
   * line.run(Job.of("job-42", records, finish, finishJournal), events);
   * }</pre>
   *
   * @param stage a declared stage's name
   * @return the card type of that stage
   * @throws ValidationException if the card type declares no stage of that name
   */
  public CardType stage(String stage) {
    Stage st = whole.stages.stream().filter(x -> x.name().equals(stage)).findFirst()
        .orElseThrow(() -> new ValidationException("stage", "card type " + name + " has no stage '" + stage
            + "' (its stages: " + whole.stages.stream().map(Stage::name).toList() + ")"));
    if (st.name().isEmpty()) {
      return whole;
    }
    List<PersoStep> own = whole.steps.stream().filter(x -> st.steps().contains(x.name())).toList();
    return new CardType(name, own, whole.stages, st.name(), whole);
  }

  /** @return the stage this card type runs, {@code ""} when it runs every step */
  public String stageName() {
    return stageName;
  }

  /** @return the stage before the one this card type runs, if there is one */
  public Optional<Stage> previousStage() {
    List<Stage> all = whole.stages;
    for (int i = 1; i < all.size(); i++) {
      if (all.get(i).name().equals(stageName)) {
        return Optional.of(all.get(i - 1));
      }
    }
    return Optional.empty();
  }

  /** @return the record sections the steps claim */
  public Set<String> sections() {
    return sections;
  }

  /** @return the device roles the steps need */
  public Set<DeviceRole<?>> roles() {
    return roles;
  }

  /** @return the first step's blank virtual card stock, if any step has one */
  public Optional<Function<CardTag, VirtualCard>> virtualCardStock() {
    for (PersoStep s : steps) {
      Optional<Function<CardTag, VirtualCard>> stock = s.virtualCardStock();
      if (stock.isPresent()) {
        return stock;
      }
    }
    return Optional.empty();
  }

  /**
   * Checks a record before a card is used for it.
   *
   * @param record the record
   * @throws ValidationException naming the location and the section or field
   */
  public void validate(CardRecord record) {
    if (whole != this) {
      whole.validate(record);
      return;
    }
    for (String s : record.sectionNames()) {
      if (!sections.contains(s)) {
        throw new ValidationException(record.where() + " " + s, "section not used by card type " + name
            + " (its steps read " + sections + ")");
      }
    }
    for (PersoStep step : steps) {
      step.validate(record);
    }
  }

  @Override
  public String toString() {
    return "card type " + name + (stageName.isEmpty() ? "" : " stage " + stageName) + " "
        + steps.stream().map(PersoStep::name).toList();
  }

  /** Builds a {@link CardType}. */
  public static final class Builder {
    private final String name;
    private final List<PersoStep> steps = new ArrayList<>();
    private final List<Stage> stages = new ArrayList<>();

    private Builder(String name) {
      if (name == null || name.isBlank()) {
        throw new ValidationException("name", "a card type needs a name");
      }
      this.name = name;
    }

    /**
     * @param step the next step
     * @return this
     */
    public Builder step(PersoStep step) {
      Objects.requireNonNull(step, "step");
      for (PersoStep s : steps) {
        if (s.name().equals(step.name())) {
          throw new ValidationException("steps", "two steps are named " + step.name());
        }
      }
      if (step.roles().isEmpty()) {
        throw new ValidationException("steps", "step " + step.name() + " names no device role");
      }
      steps.add(step);
      return this;
    }

    /**
     * Declares the next stage: a named group of steps (added before or after), run by one line. When a card
     * type declares stages, every step belongs to exactly one, and each stage's steps come after the
     * previous stage's in the card type's order.
     *
     * @param stage the stage's name
     * @param stepNames its steps' names
     * @return this
     */
    public Builder stage(String stage, String... stepNames) {
      Stage st = new Stage(stage, List.of(stepNames));
      if (st.name().isEmpty()) {
        throw new ValidationException("stages", "a declared stage needs a name");
      }
      for (Stage s : stages) {
        if (s.name().equals(st.name())) {
          throw new ValidationException("stages." + stage, "two stages are named " + stage);
        }
      }
      stages.add(st);
      return this;
    }

    /** @return the card type, with at least one step */
    public CardType build() {
      if (steps.isEmpty()) {
        throw new ValidationException("steps", "card type " + name + " has no step");
      }
      List<String> names = steps.stream().map(PersoStep::name).toList();
      if (stages.isEmpty()) {
        return new CardType(name, List.copyOf(steps), List.of(new Stage("", names)), "", null);
      }
      int last = -1;
      Set<String> placed = new LinkedHashSet<>();
      for (Stage st : stages) {
        for (String step : st.steps()) {
          int at = names.indexOf(step);
          if (at < 0) {
            throw new ValidationException("stages." + st.name(), "card type " + name + " has no step '" + step
                + "' (its steps: " + names + ")");
          }
          if (!placed.add(step)) {
            throw new ValidationException("stages." + st.name(), "step " + step + " is in two stages");
          }
          if (at < last) {
            throw new ValidationException("stages." + st.name(), "step " + step
                + " comes before a step of an earlier stage or of this one in the card type's order " + names);
          }
          last = at;
        }
      }
      if (placed.size() != names.size()) {
        List<String> left = names.stream().filter(x -> !placed.contains(x)).toList();
        throw new ValidationException("stages", "steps " + left + " are in no stage");
      }
      return new CardType(name, List.copyOf(steps), List.copyOf(stages), "", null);
    }
  }
}
