package dev.perso.emv.cps;

import dev.perso.core.TransportException;
import dev.perso.core.ValidationException;
import dev.perso.core.step.CardType;
import dev.perso.core.step.CardTypes;
import dev.perso.core.step.StepEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The shipped example card types, next to the example profiles, and the {@code --card-type} rule: a file
 * path, or the name of a shipped example. {@code debit-example} is a magnetic stripe, an EMV chip
 * ({@code vsdc-example}, verified) and a surface (print, emboss, indent); {@code chip-example} is the chip
 * alone. Their keys are labels ({@code demo-kmc}, {@code demo-issuer-kmc}, {@code demo-kek},
 * {@code demo-imk-ac}, {@code demo-cvk}, {@code demo-pvk}) that the environment's
 * {@link dev.perso.crypto.KeyLookup} resolves. Loading {@code debit-example} needs the magnetic-stripe step
 * provider of perso-iso7813 and the surface step providers of perso-devices on the path. {@code debit-example}
 * also rotates each card's ISD keys from {@code demo-kmc} to {@code demo-issuer-kmc} (KVN 02) and ends the
 * card SECURED.
 *
 * <pre>{@code
 * CardType debit = ExampleCardTypes.load("debit-example", env);
 * CardType mine = ExampleCardTypes.load("card-types/prepaid.json", env);
 * }</pre>
 */
public final class ExampleCardTypes {
  /** The shipped examples' names. */
  public static final List<String> NAMES = List.of("debit-example", "chip-example");

  private ExampleCardTypes() {}

  /**
   * @param fileOrName an existing file (or any path ending in {@code .json}), else a shipped example's name
   * @param env services for the step providers; a file's relative paths resolve against its base folder
   * @return the card type
   * @throws ValidationException naming the file (or example) and JSON path
   */
  public static CardType load(String fileOrName, StepEnvironment env) {
    Path file = Path.of(fileOrName);
    if (fileOrName.endsWith(".json") || Files.isRegularFile(file)) {
      return CardTypes.load(file, env);
    }
    return CardTypes.parse(text(fileOrName), fileOrName + ".json", env);
  }

  /**
   * @param name a shipped example's name
   * @return its JSON text
   * @throws ValidationException if there is no such example
   */
  public static String text(String name) {
    try (InputStream in = NAMES.contains(name) ? ExampleCardTypes.class.getResourceAsStream("cardtypes/" + name
        + ".json") : null) {
      if (in == null) {
        throw new ValidationException("card type", "no file or shipped example named '" + name + "' (examples: "
            + NAMES + ")");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new TransportException("cannot read example card type " + name, e);
    }
  }
}
