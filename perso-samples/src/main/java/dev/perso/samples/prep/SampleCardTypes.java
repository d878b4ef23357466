package dev.perso.samples.prep;

import dev.perso.core.TransportException;
import dev.perso.core.ValidationException;
import dev.perso.core.step.CardType;
import dev.perso.core.step.CardTypes;
import dev.perso.core.step.StepEnvironment;
import dev.perso.emv.cps.ExampleCardTypes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code --card-type} rule of the samples: a file path, a card type shipped with perso-samples
 * ({@code debit-two-stages}: the chip in a stage of its own, then stripe and surface in a later stage that
 * identifies each card by its chip; {@code loyalty-memory}), or one of {@link ExampleCardTypes}.
 *
 * <pre>{@code
 * CardType finish = SampleCardTypes.load("debit-two-stages", env).stage("finish");
 * }</pre>
 */
public final class SampleCardTypes {
  /** The card types shipped with perso-samples. */
  public static final List<String> NAMES = List.of("debit-two-stages", "loyalty-memory");

  private SampleCardTypes() {}

  /**
   * @param fileOrName an existing file (or any path ending in {@code .json}), else a shipped card type's name
   * @param env services for the step providers
   * @return the card type
   * @throws ValidationException naming the file (or example) and JSON path, or the names known
   */
  public static CardType load(String fileOrName, StepEnvironment env) {
    if (fileOrName.endsWith(".json") || Files.isRegularFile(Path.of(fileOrName))
        || ExampleCardTypes.NAMES.contains(fileOrName)) {
      return ExampleCardTypes.load(fileOrName, env);
    }
    if (!NAMES.contains(fileOrName)) {
      List<String> all = new ArrayList<>(ExampleCardTypes.NAMES);
      all.addAll(NAMES);
      throw new ValidationException("card type", "no file or shipped example named '" + fileOrName
          + "' (examples: " + all + ")");
    }
    try (InputStream in = SampleCardTypes.class.getResourceAsStream("/dev/perso/samples/cardtypes/" + fileOrName
        + ".json")) {
      if (in == null) {
        throw new ValidationException("card type", "the shipped " + fileOrName + " is missing");
      }
      return CardTypes.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), fileOrName + ".json", env);
    } catch (IOException e) {
      throw new TransportException("cannot read card type " + fileOrName, e);
    }
  }
}
