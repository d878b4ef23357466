package dev.perso.core.step;

import dev.perso.core.ValidationException;
import java.util.List;

/**
 * A named group of a card type's steps run together by one line, e.g. {@code chip} on one machine today and
 * {@code finish} (stripe, emboss, print) on another next week. A card type without declared stages is one
 * stage named {@code ""}.
 *
 * <pre>{@code
 * CardType debit = CardType.builder("debit").step(cps).step(stripe).step(print)
 *     .stage("chip", "emv-cps").stage("finish", "identify", "magstripe", "print").build();
 * debit.stages().get(0);   // Stage[name=chip, steps=[emv-cps]]
 * }</pre>
 *
 * @param name the stage's name: letters, digits, {@code -} and {@code _}; {@code ""} only for the single
 *     stage of a card type without declared stages
 * @param steps the names of its steps, in the card type's order
 */
public record Stage(String name, List<String> steps) {
  /** Checks and copies. */
  public Stage {
    if (name == null || !(name.isEmpty() || name.matches("[A-Za-z0-9_-]{1,64}"))) {
      throw new ValidationException("stages.name", "a stage name is 1 to 64 letters, digits, '-' or '_'");
    }
    steps = List.copyOf(steps);
    if (steps.isEmpty()) {
      throw new ValidationException("stages." + name, "a stage needs at least one step");
    }
  }
}
