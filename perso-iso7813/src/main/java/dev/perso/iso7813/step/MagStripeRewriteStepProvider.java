package dev.perso.iso7813.step;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.perso.core.step.PersoStep;
import dev.perso.core.step.StepEnvironment;
import dev.perso.core.step.StepProvider;

/**
 * Builds {@link MagStripeRewriteStep}s from card-type files: the members of {@link MagStripeStepProvider}
 * ({@code layout}, {@code cvk}, {@code pvk}, {@code expiryOrder}, {@code luhnCheck}, {@code name}).
 *
 * <pre>{@code
 * {"type": "magstripe-rewrite", "layout": "pvv-cvv", "cvk": "demo-cvk", "pvk": "demo-pvk"}
 * }</pre>
 */
public final class MagStripeRewriteStepProvider implements StepProvider {
  /** For {@link java.util.ServiceLoader}. */
  public MagStripeRewriteStepProvider() {}

  @Override
  public String type() {
    return MagStripeRewriteStep.TYPE;
  }

  @Override
  public PersoStep create(JsonNode config, String at, StepEnvironment env) {
    String name = config.has("name") && config.get("name").isTextual() ? config.get("name").asText() : MagStripeRewriteStep.TYPE;
    JsonNode inner = config;
    if (config.isObject() && config.has("name")) {
      inner = ((ObjectNode) config.deepCopy()).without("name");
    }
    MagStripeStep builder = (MagStripeStep) new MagStripeStepProvider().create(inner, at, env);
    return MagStripeRewriteStep.of(builder, name);
  }
}
