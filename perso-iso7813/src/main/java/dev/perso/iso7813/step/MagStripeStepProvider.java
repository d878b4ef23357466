package dev.perso.iso7813.step;

import com.fasterxml.jackson.databind.JsonNode;
import dev.perso.core.ValidationException;
import dev.perso.core.step.CardTypes;
import dev.perso.core.step.PersoStep;
import dev.perso.core.step.StepEnvironment;
import dev.perso.core.step.StepProvider;
import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.ExpiryOrder;
import dev.perso.crypto.KeyLookup;
import dev.perso.crypto.KeyRef;
import dev.perso.crypto.KeyUsage;
import dev.perso.iso7813.IssuerLayout;
import dev.perso.iso7813.StripeKeys;
import java.util.Set;

/**
 * Builds {@link MagStripeStep}s from card-type files. Keys are named by label and resolved through the
 * environment's {@link KeyLookup}; the environment also gives the {@link CryptoBackend}.
 *
 * <pre>{@code
 * {"type": "magstripe", "layout": "pvv-cvv", "cvk": "demo-cvk", "pvk": "demo-pvk"}
 * }</pre>
 *
 * <p>Members: {@code layout} (a shipped example layout: {@code pvv-cvv} or {@code cvv}; required),
 * {@code cvk} (label, required when the layout places a CVV), {@code pvk} (label, to compute PVVs from
 * records that carry a PIN), {@code expiryOrder} ({@code YYMM}, the default, or {@code MMYY}),
 * {@code luhnCheck} (default true; false only for test cards) and {@code name} (default {@code magstripe}).
 */
public final class MagStripeStepProvider implements StepProvider {
  private static final Set<String> MEMBERS = Set.of("name", "layout", "cvk", "pvk", "expiryOrder", "luhnCheck");

  /** For {@link java.util.ServiceLoader}. */
  public MagStripeStepProvider() {}

  @Override
  public String type() {
    return MagStripeStep.TYPE;
  }

  @Override
  public PersoStep create(JsonNode config, String at, StepEnvironment env) {
    CardTypes.requireOnly(config, at, MEMBERS);
    String layoutName = text(config, "layout", at);
    IssuerLayout layout = IssuerLayout.example(layoutName).orElseThrow(() -> new ValidationException(at + ".layout",
        "no layout named '" + layoutName + "' (known: " + IssuerLayout.examples().keySet() + ")"));
    CryptoBackend crypto = env.require(CryptoBackend.class);
    KeyLookup keys = env.require(KeyLookup.class);
    KeyRef cvk = config.has("cvk") ? keys.require(text(config, "cvk", at), at + ".cvk", KeyUsage.CVK) : null;
    KeyRef pvk = config.has("pvk") ? keys.require(text(config, "pvk", at), at + ".pvk", KeyUsage.PVK) : null;
    boolean cvv = layout.track1().uses(dev.perso.iso7813.DiscretionaryLayout.Kind.CVV)
        || layout.track2().uses(dev.perso.iso7813.DiscretionaryLayout.Kind.CVV);
    if (cvv && cvk == null) {
      throw new ValidationException(at + ".cvk", "is required: layout " + layoutName + " places a CVV");
    }
    ExpiryOrder order = ExpiryOrder.YYMM;
    if (config.has("expiryOrder")) {
      String o = text(config, "expiryOrder", at);
      try {
        order = ExpiryOrder.valueOf(o);
      } catch (IllegalArgumentException e) {
        throw new ValidationException(at + ".expiryOrder", "must be YYMM or MMYY");
      }
    }
    MagStripeStep.Builder b = MagStripeStep.builder(layout, new StripeKeys(crypto, cvk, pvk, order));
    if (config.has("name")) {
      b.name(text(config, "name", at));
    }
    if (config.has("luhnCheck")) {
      JsonNode l = config.get("luhnCheck");
      if (!l.isBoolean()) {
        throw new ValidationException(at + ".luhnCheck", "must be true or false");
      }
      b.luhnCheck(l.asBoolean());
    }
    return b.build();
  }

  private static String text(JsonNode config, String member, String at) {
    JsonNode v = config.get(member);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new ValidationException(at + "." + member, "is required (a non-blank string)");
    }
    return v.asText();
  }
}
