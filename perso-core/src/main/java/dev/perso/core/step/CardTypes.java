package dev.perso.core.step;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.perso.core.ValidationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;

/**
 * Loads card types from JSON. Each step's object is parsed by the {@link StepProvider} of its
 * {@code type}; errors name the file and the JSON path.
 *
 * <pre>{@code
 * {"name": "debit-example",
 *  "steps": [ {"type": "magstripe", "layout": "example-pvv-cvv", ...},
 *             {"type": "emv-cps", "profile": "vsdc-example", "kmc": "demo-kmc", "verify": true} ],
 *  "stages": [ {"name": "chip", "steps": ["emv-cps"]}, {"name": "finish", "steps": ["magstripe"]} ]}
 *
 * CardType type = CardTypes.load(Path.of("debit.json"), env);
 * }</pre>
 */
public final class CardTypes {
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();
  private static final Set<String> FIELDS = Set.of("name", "description", "steps", "stages");
  private static final Set<String> STAGE_FIELDS = Set.of("name", "steps");

  private CardTypes() {}

  /**
   * @param file a card-type JSON file
   * @param env services for the step providers; relative paths resolve against the file's folder when
   *     the environment's base folder is {@code .}
   * @return the card type
   * @throws ValidationException naming the file and JSON path
   */
  public static CardType load(Path file, StepEnvironment env) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new ValidationException(file.toString(), "cannot read card type: " + e.getMessage());
    }
    return parse(text, file.getFileName().toString(), env);
  }

  /**
   * @param json the card type's JSON text
   * @param source its name for errors
   * @param env services for the step providers
   * @return the card type
   * @throws ValidationException naming the source and JSON path
   */
  public static CardType parse(String json, String source, StepEnvironment env) {
    return parse(json, source, env, providers());
  }

  /** {@link #parse(String, String, StepEnvironment)} with the given providers (tests). */
  static CardType parse(String json, String source, StepEnvironment env, List<StepProvider> providers) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new ValidationException(source, "not valid JSON"
          + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
          + " column " + e.getLocation().getColumnNr()) + ": " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new ValidationException(source + " $", "a card type must be a JSON object");
    }
    requireOnlyOf(root, source + " $", FIELDS);
    JsonNode name = root.get("name");
    if (name == null || !name.isTextual() || name.asText().isBlank()) {
      throw new ValidationException(source + " $.name", "is required (a non-blank string)");
    }
    JsonNode steps = root.get("steps");
    if (steps == null || !steps.isArray() || steps.isEmpty()) {
      throw new ValidationException(source + " $.steps", "must be a non-empty array");
    }
    CardType.Builder b = CardType.builder(name.asText());
    for (int i = 0; i < steps.size(); i++) {
      String at = source + " $.steps[" + i + "]";
      JsonNode s = steps.get(i);
      if (!s.isObject()) {
        throw new ValidationException(at, "a step must be a JSON object");
      }
      JsonNode type = s.get("type");
      if (type == null || !type.isTextual()) {
        throw new ValidationException(at + ".type", "is required (a string)");
      }
      StepProvider p = providers.stream().filter(x -> x.type().equals(type.asText())).findFirst()
          .orElseThrow(() -> new ValidationException(at + ".type", "unknown step type '" + type.asText()
              + "' (known: " + providers.stream().map(StepProvider::type).sorted().toList() + ")"));
      try {
        b.step(p.create(s, at, env));
      } catch (ValidationException e) {
        throw e.field().startsWith(source) ? e : new ValidationException(at + " " + e.field(), e.rule());
      }
    }
    JsonNode stages = root.get("stages");
    if (stages != null) {
      if (!stages.isArray() || stages.isEmpty()) {
        throw new ValidationException(source + " $.stages", "must be a non-empty array of stages");
      }
      for (int i = 0; i < stages.size(); i++) {
        String at = source + " $.stages[" + i + "]";
        JsonNode st = stages.get(i);
        if (!st.isObject()) {
          throw new ValidationException(at, "a stage must be a JSON object {\"name\": ..., \"steps\": [...]}");
        }
        requireOnlyOf(st, at, STAGE_FIELDS);
        JsonNode stageName = st.get("name");
        if (stageName == null || !stageName.isTextual()) {
          throw new ValidationException(at + ".name", "is required (a string)");
        }
        JsonNode stageSteps = st.get("steps");
        if (stageSteps == null || !stageSteps.isArray() || stageSteps.isEmpty()) {
          throw new ValidationException(at + ".steps", "must be a non-empty array of step names");
        }
        String[] names = new String[stageSteps.size()];
        for (int k = 0; k < names.length; k++) {
          if (!stageSteps.get(k).isTextual()) {
            throw new ValidationException(at + ".steps[" + k + "]", "must be a step's name (a string)");
          }
          names[k] = stageSteps.get(k).asText();
        }
        try {
          b.stage(stageName.asText(), names);
        } catch (ValidationException e) {
          throw new ValidationException(at, e.rule());
        }
      }
    }
    try {
      return b.build();
    } catch (ValidationException e) {
      throw new ValidationException(source + " $." + e.field(), e.rule());
    }
  }

  private static void requireOnlyOf(JsonNode object, String at, Set<String> allowed) {
    for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        throw new ValidationException(at + "." + f, "unknown member (allowed: " + new TreeSet<>(allowed) + ")");
      }
    }
  }

  /** @return the step providers found by {@link ServiceLoader} */
  public static List<StepProvider> providers() {
    List<StepProvider> out = new ArrayList<>();
    ServiceLoader.load(StepProvider.class, CardTypes.class.getClassLoader()).forEach(out::add);
    return out;
  }

  /**
   * Checks that a step's object has only known members: for providers.
   *
   * @param config the step's object
   * @param at where it is
   * @param allowed the members the provider knows (besides {@code type})
   * @throws ValidationException naming the unknown member
   */
  public static void requireOnly(JsonNode config, String at, Set<String> allowed) {
    for (Iterator<String> it = config.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!f.equals("type") && !allowed.contains(f)) {
        throw new ValidationException(at + "." + f, "unknown member (allowed: " + new TreeSet<>(allowed) + ")");
      }
    }
  }
}
