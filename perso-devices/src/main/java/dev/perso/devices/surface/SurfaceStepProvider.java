package dev.perso.devices.surface;

import com.fasterxml.jackson.databind.JsonNode;
import dev.perso.core.ValidationException;
import dev.perso.core.step.CardTypes;
import dev.perso.core.step.PersoStep;
import dev.perso.core.step.StepEnvironment;
import dev.perso.core.step.StepProvider;
import java.util.Set;

/**
 * Builds {@link SurfaceStep}s from card-type files, one provider per kind ({@code emboss}, {@code indent},
 * {@code print}, {@code laser}). The layout is a shipped example's name, a layout file (relative to the
 * environment's base folder), or the layout object itself.
 *
 * <pre>{@code
 * {"type": "print", "layout": "debit-example", "dpi": 300}
 * {"type": "emboss", "layout": "layouts/gold.json"}
 * {"type": "laser", "name": "engrave-front", "layout": {"name": "id", "laser": [...]}}
 * }</pre>
 */
public abstract class SurfaceStepProvider implements StepProvider {
  private static final Set<String> MEMBERS = Set.of("name", "layout", "dpi");
  private final SurfaceStep.Kind kind;

  SurfaceStepProvider(SurfaceStep.Kind kind) {
    this.kind = kind;
  }

  @Override
  public String type() {
    return kind.type();
  }

  @Override
  public PersoStep create(JsonNode config, String at, StepEnvironment env) {
    CardTypes.requireOnly(config, at, MEMBERS);
    JsonNode l = config.get("layout");
    SurfaceLayout layout;
    if (l == null) {
      throw new ValidationException(at + ".layout", "is required (an example's name, a file or a layout object)");
    } else if (l.isTextual()) {
      try {
        layout = SurfaceLayout.load(l.asText(), env.baseDir());
      } catch (ValidationException e) {
        throw new ValidationException(at + ".layout " + e.field(), e.rule());
      }
    } else {
      layout = SurfaceLayout.parse(l, at + ".layout", env.baseDir());
    }
    String name = kind.type();
    if (config.has("name")) {
      JsonNode n = config.get("name");
      if (!n.isTextual() || n.asText().isBlank()) {
        throw new ValidationException(at + ".name", "must be a non-blank string");
      }
      name = n.asText();
    }
    int dpi = SurfaceStep.DEFAULT_PRINT_DPI;
    if (config.has("dpi")) {
      JsonNode d = config.get("dpi");
      if (!d.canConvertToInt() || !d.isIntegralNumber() || d.asInt() < 50 || d.asInt() > 1200) {
        throw new ValidationException(at + ".dpi", "must be a whole number 50..1200");
      }
      dpi = d.asInt();
    }
    try {
      return SurfaceStep.of(kind, layout).with(name, dpi);
    } catch (ValidationException e) {
      throw new ValidationException(at + "." + e.field(), e.rule());
    }
  }

  /** {@code emboss} steps. */
  public static final class Emboss extends SurfaceStepProvider {
    /** For {@link java.util.ServiceLoader}. */
    public Emboss() {
      super(SurfaceStep.Kind.EMBOSS);
    }
  }

  /** {@code indent} steps. */
  public static final class Indent extends SurfaceStepProvider {
    /** For {@link java.util.ServiceLoader}. */
    public Indent() {
      super(SurfaceStep.Kind.INDENT);
    }
  }

  /** {@code print} steps. */
  public static final class Print extends SurfaceStepProvider {
    /** For {@link java.util.ServiceLoader}. */
    public Print() {
      super(SurfaceStep.Kind.PRINT);
    }
  }

  /** {@code laser} steps. */
  public static final class Laser extends SurfaceStepProvider {
    /** For {@link java.util.ServiceLoader}. */
    public Laser() {
      super(SurfaceStep.Kind.LASER);
    }
  }
}
