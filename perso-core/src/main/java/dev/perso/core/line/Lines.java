package dev.perso.core.line;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.perso.core.PersoException;
import dev.perso.core.ValidationException;
import dev.perso.core.device.Device;
import dev.perso.core.device.DeviceContext;
import dev.perso.core.device.Devices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Loads a line from JSON: its machines, their modules and the device address of each. Errors name the
 * file and the JSON path; when a file is wrong, no device stays open. In a module with several stations,
 * {@code {n}} in the address is replaced by the station number (1-based).
 *
 * <pre>{@code
 * {"name": "virtual-conveyor",
 *  "retry": {"stationRetries": 2, "remakes": 1},
 *  "machines": [
 *    {"id": "mx-1", "kind": "conveyor", "transport": "virtual:transport?feedMs=200",
 *     "modules": [ {"name": "mag", "device": "virtual:magstripe?ms=1000"},
 *                  {"name": "chip", "stations": 8, "device": "virtual:chip?ms=6000&id=mx-1-chip-{n}"} ]},
 *    {"id": "desk-1", "kind": "desktop", "devices": ["virtual:desktop?id=desk-1"]} ]}
 *
 * Line line = Lines.load(Path.of("line.json"), DeviceContext.builder().clock(LineClock.system()).build());
 * }</pre>
 */
public final class Lines {
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private Lines() {}

  /**
   * @param file a line file
   * @param context the clock, events and card stock the devices are opened with; the line runs on its clock
   * @return the line, its devices open
   * @throws ValidationException naming the file and JSON path
   */
  public static Line load(Path file, DeviceContext context) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new ValidationException(file.toString(), "cannot read line: " + e.getMessage());
    }
    return parse(text, file.getFileName().toString(), context);
  }

  /**
   * @param json the line's JSON text
   * @param source its name for errors
   * @param context the device context
   * @return the line, its devices open
   * @throws ValidationException naming the source and JSON path
   */
  public static Line parse(String json, String source, DeviceContext context) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new ValidationException(source, "not valid JSON"
          + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + " column "
          + e.getLocation().getColumnNr()) + ": " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new ValidationException(source + " $", "a line must be a JSON object");
    }
    only(root, source + " $", Set.of("name", "description", "retry", "machines"));
    List<Device> opened = new ArrayList<>();
    try {
      Line.Builder b = Line.builder().clock(context.clock()).name(text(root, "name", source + " $"));
      JsonNode retry = root.get("retry");
      if (retry != null) {
        String at = source + " $.retry";
        if (!retry.isObject()) {
          throw new ValidationException(at, "must be an object");
        }
        only(retry, at, Set.of("stationRetries", "remakes"));
        b.retry(new RetryPolicy(count(retry, "stationRetries", at, RetryPolicy.DEFAULT.stationRetries()),
            count(retry, "remakes", at, RetryPolicy.DEFAULT.remakes())));
      }
      JsonNode machines = root.get("machines");
      if (machines == null || !machines.isArray() || machines.isEmpty()) {
        throw new ValidationException(source + " $.machines", "must be a non-empty array");
      }
      Map<String, String> deviceIds = new HashMap<>();
      for (int i = 0; i < machines.size(); i++) {
        b.machine(machine(machines.get(i), source + " $.machines[" + i + "]", context, opened, deviceIds));
      }
      return b.build();
    } catch (RuntimeException e) {
      for (Device d : opened) {
        try {
          d.close();
        } catch (RuntimeException ignored) {
          // closing what was opened; the first error is the one to report
        }
      }
      if (e instanceof ValidationException v && !v.field().startsWith(source)) {
        throw new ValidationException(source + " " + v.field(), v.rule());
      }
      throw e;
    }
  }

  private static Machine machine(JsonNode m, String at, DeviceContext ctx, List<Device> opened,
      Map<String, String> deviceIds) {
    if (!m.isObject()) {
      throw new ValidationException(at, "a machine must be an object");
    }
    String id = text(m, "id", at);
    String kind = text(m, "kind", at);
    switch (kind) {
      case "conveyor" -> {
        only(m, at, Set.of("id", "kind", "description", "transport", "modules"));
        Machine.ConveyorBuilder cb = Machine.conveyor(id)
            .transport(open(text(m, "transport", at), at + ".transport", ctx, opened, deviceIds));
        JsonNode modules = m.get("modules");
        if (modules == null || !modules.isArray() || modules.isEmpty()) {
          throw new ValidationException(at + ".modules", "must be a non-empty array");
        }
        for (int i = 0; i < modules.size(); i++) {
          String mat = at + ".modules[" + i + "]";
          JsonNode mod = modules.get(i);
          if (!mod.isObject()) {
            throw new ValidationException(mat, "a module must be an object");
          }
          only(mod, mat, Set.of("name", "stations", "device"));
          String name = text(mod, "name", mat);
          String address = text(mod, "device", mat);
          int stations = count(mod, "stations", mat, 1);
          if (stations < 1 || stations > 256) {
            throw new ValidationException(mat + ".stations", "must be 1 to 256, was " + stations);
          }
          if (stations > 1 && !address.contains("{n}")) {
            throw new ValidationException(mat + ".device", "a module with " + stations
                + " stations needs {n} in its address (each station is its own device)");
          }
          cb.stations(name, stations, n -> open(address.replace("{n}", Integer.toString(n)),
              mat + ".device", ctx, opened, deviceIds));
        }
        return cb.build();
      }
      case "desktop" -> {
        only(m, at, Set.of("id", "kind", "description", "devices"));
        JsonNode devices = m.get("devices");
        if (devices == null || !devices.isArray() || devices.isEmpty()) {
          throw new ValidationException(at + ".devices", "must be a non-empty array of device addresses");
        }
        Machine.DesktopBuilder db = Machine.desktop(id);
        for (int i = 0; i < devices.size(); i++) {
          JsonNode d = devices.get(i);
          if (!d.isTextual()) {
            throw new ValidationException(at + ".devices[" + i + "]", "must be a device address string");
          }
          db.device(open(d.asText(), at + ".devices[" + i + "]", ctx, opened, deviceIds));
        }
        return db.build();
      }
      default -> throw new ValidationException(at + ".kind", "must be conveyor or desktop, was '" + kind + "'");
    }
  }

  private static Device open(String address, String at, DeviceContext ctx, List<Device> opened,
      Map<String, String> deviceIds) {
    Device d;
    try {
      d = Devices.open(address, ctx);
    } catch (ValidationException e) {
      throw new ValidationException(at, e.getMessage());
    } catch (PersoException e) {
      throw new ValidationException(at, "cannot open " + address + ": " + e.getMessage());
    }
    opened.add(d);
    String before = deviceIds.putIfAbsent(d.id(), at);
    if (before != null) {
      throw new ValidationException(at, "device id " + d.id() + " is also used at " + before
          + " (give each device its own id)");
    }
    return d;
  }

  private static void only(JsonNode node, String at, Set<String> allowed) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        throw new ValidationException(at + "." + f, "unknown member (allowed: " + new TreeSet<>(allowed) + ")");
      }
    }
  }

  private static String text(JsonNode node, String field, String at) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new ValidationException(at + "." + field, "is required (a non-blank string)");
    }
    return v.asText();
  }

  private static int count(JsonNode node, String field, String at, int fallback) {
    JsonNode v = node.get(field);
    if (v == null) {
      return fallback;
    }
    if (!v.isInt() || v.asInt() < 0) {
      throw new ValidationException(at + "." + field, "must be a whole number, 0 or more");
    }
    return v.asInt();
  }
}
