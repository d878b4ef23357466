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

  private CardType(String name, List<PersoStep> steps) {
    this.name = name;
    this.steps = steps;
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
    return "card type " + name + " " + steps.stream().map(PersoStep::name).toList();
  }

  /** Builds a {@link CardType}. */
  public static final class Builder {
    private final String name;
    private final List<PersoStep> steps = new ArrayList<>();

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

    /** @return the card type, with at least one step */
    public CardType build() {
      if (steps.isEmpty()) {
        throw new ValidationException("steps", "card type " + name + " has no step");
      }
      return new CardType(name, List.copyOf(steps));
    }
  }
}
