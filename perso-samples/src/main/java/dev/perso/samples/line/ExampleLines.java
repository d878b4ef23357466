package dev.perso.samples.line;

import dev.perso.core.TransportException;
import dev.perso.core.ValidationException;
import dev.perso.core.device.DeviceContext;
import dev.perso.core.line.Line;
import dev.perso.core.line.Lines;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The shipped example lines and the {@code --line} rule: a file path, or the name of a shipped example.
 * {@code virtual-conveyor} is a conveyor with a magnetic module and 8 virtual chip stations;
 * {@code virtual-desktop} is a desktop printer with an encoder and a contact station. Both run in real
 * time on virtual devices, so {@code perso run} works with no hardware.
 *
 * <pre>{@code
 * Line line = ExampleLines.load("virtual-conveyor", context);
 * Line mine = ExampleLines.load("lines/bureau-a.json", context);
 * }</pre>
 */
public final class ExampleLines {
  /** The shipped examples' names. */
  public static final List<String> NAMES = List.of("virtual-conveyor", "virtual-desktop");

  private ExampleLines() {}

  /**
   * @param fileOrName an existing file (or any path ending in {@code .json}), else a shipped example's name
   * @param context the clock, events and card stock the devices are opened with
   * @return the line, its devices open
   * @throws ValidationException naming the file (or example) and JSON path
   */
  public static Line load(String fileOrName, DeviceContext context) {
    Path file = Path.of(fileOrName);
    if (fileOrName.endsWith(".json") || Files.isRegularFile(file)) {
      return Lines.load(file, context);
    }
    return Lines.parse(text(fileOrName), fileOrName + ".json", context);
  }

  /**
   * @param name a shipped example's name
   * @return its JSON text
   * @throws ValidationException if there is no such example
   */
  public static String text(String name) {
    try (InputStream in = NAMES.contains(name)
        ? ExampleLines.class.getResourceAsStream("/dev/perso/samples/lines/" + name + ".json") : null) {
      if (in == null) {
        throw new ValidationException("line", "no file or shipped example named '" + name + "' (examples: " + NAMES + ")");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new TransportException("cannot read example line " + name, e);
    }
  }
}
