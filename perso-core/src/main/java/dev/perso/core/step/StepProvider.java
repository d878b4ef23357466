package dev.perso.core.step;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Builds steps of one type from their section of a card-type file. Modules register with {@code provides
 * dev.perso.core.step.StepProvider with ...}; {@link CardTypes} finds them.
 *
 * <pre>{@code
 * public final class MagStripeStepProvider implements StepProvider {
 *   public String type() { return "magstripe"; }
 *   public PersoStep create(JsonNode config, String at, StepEnvironment env) { ... }
 * }
 * }</pre>
 */
public interface StepProvider {

  /** @return the step type as written in card-type files, e.g. {@code emv-cps} */
  String type();

  /**
   * @param config the step's JSON object (with its {@code type} member)
   * @param at where it is, for errors: the file and JSON path, e.g. {@code debit.json $.steps[1]}
   * @param env services and the base folder
   * @return the step
   * @throws dev.perso.core.ValidationException naming {@code at} and the member for an unknown member,
   *     a missing one or a bad value
   */
  PersoStep create(JsonNode config, String at, StepEnvironment env);
}
