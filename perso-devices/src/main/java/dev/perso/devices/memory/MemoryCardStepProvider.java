package dev.perso.devices.memory;

import com.fasterxml.jackson.databind.JsonNode;
import dev.perso.core.Bytes;
import dev.perso.core.MalformedDataException;
import dev.perso.core.ValidationException;
import dev.perso.core.step.CardTypes;
import dev.perso.core.step.PersoStep;
import dev.perso.core.step.StepEnvironment;
import dev.perso.core.step.StepProvider;
import java.util.Set;

/**
 * Builds {@link MemoryCardStep}s from card-type files.
 *
 * <pre>{@code
 * {"type": "memory-card", "chip": "sle4442", "dialect": "acs", "tryFloor": 2, "transportCode": "FFFFFF",
 *  "constants": [{"address": 32, "text": "PERSO LOYALTY"}],
 *  "protect": [{"address": 32, "length": 16}], "changeCode": true}
 * }</pre>
 *
 * <p>Members: {@code chip} (required, e.g. {@code sle4442}, {@code sle4428}, {@code at24c64}),
 * {@code dialect} ({@code acs}, the default, or {@code pcsc-part3}), {@code tryFloor} (default 2),
 * {@code transportCode} (hex; required for chips with a code: the code the vendor ships the cards with),
 * {@code constants} (segments every card gets), {@code protect} (ranges protected for good), {@code changeCode}
 * (default false: true changes the code to each record's {@code memory.code}) and {@code name}.
 */
public final class MemoryCardStepProvider implements StepProvider {
  private static final Set<String> MEMBERS = Set.of("name", "chip", "dialect", "tryFloor", "transportCode",
      "constants", "protect", "changeCode");

  /** For {@link java.util.ServiceLoader}. */
  public MemoryCardStepProvider() {}

  @Override
  public String type() {
    return MemoryCardStep.TYPE;
  }

  @Override
  public PersoStep create(JsonNode config, String at, StepEnvironment env) {
    CardTypes.requireOnly(config, at, MEMBERS);
    MemoryChip chip;
    try {
      chip = MemoryChip.named(text(config, "chip", at));
    } catch (ValidationException e) {
      throw new ValidationException(at + ".chip", e.rule());
    }
    MemoryCardStep.Builder b = MemoryCardStep.builder(chip);
    try {
      if (config.has("name")) {
        b.name(text(config, "name", at));
      }
      if (config.has("dialect")) {
        b.dialect(MemoryCardDialect.named(text(config, "dialect", at)));
      }
      if (config.has("tryFloor")) {
        JsonNode f = config.get("tryFloor");
        if (!f.isIntegralNumber() || !f.canConvertToInt()) {
          throw new ValidationException("tryFloor", "must be an integer");
        }
        b.tryFloor(f.asInt());
      }
      if (config.has("transportCode")) {
        try {
          b.transportCode(Bytes.fromHex(text(config, "transportCode", at)));
        } catch (MalformedDataException e) {
          throw new ValidationException("transportCode", "not hex");
        }
      }
      if (config.has("constants")) {
        MemoryImage image = MemoryImage.fromJson(config.get("constants"), at + ".constants");
        b.constants(image);
      }
      if (config.has("protect")) {
        JsonNode p = config.get("protect");
        if (!p.isArray()) {
          throw new ValidationException("protect", "must be an array of {\"address\": n, \"length\": n}");
        }
        for (int i = 0; i < p.size(); i++) {
          JsonNode r = p.get(i);
          String here = "protect[" + i + "]";
          if (!r.isObject()) {
            throw new ValidationException(here, "must be an object {\"address\": n, \"length\": n}");
          }
          CardTypes.requireOnly(r, at + "." + here, Set.of("address", "length"));
          b.protect(integer(r, "address", here), integer(r, "length", here));
        }
      }
      if (config.has("changeCode")) {
        JsonNode c = config.get("changeCode");
        if (!c.isBoolean()) {
          throw new ValidationException("changeCode", "must be true or false");
        }
        b.changeCode(c.asBoolean());
      }
      return b.build();
    } catch (ValidationException e) {
      throw e.field().startsWith(at) ? e : new ValidationException(at + "." + e.field(), e.rule());
    }
  }

  private static int integer(JsonNode o, String member, String here) {
    JsonNode v = o.get(member);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 0) {
      throw new ValidationException(here + "." + member, "is required (a non-negative integer)");
    }
    return v.asInt();
  }

  private static String text(JsonNode config, String member, String at) {
    JsonNode v = config.get(member);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new ValidationException(at + "." + member, "is required (a non-blank string)");
    }
    return v.asText();
  }
}
