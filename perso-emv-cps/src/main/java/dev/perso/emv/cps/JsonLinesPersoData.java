package dev.perso.emv.cps;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.perso.core.Bytes;
import dev.perso.core.MalformedDataException;
import dev.perso.core.PersoException;
import dev.perso.core.ValidationException;
import java.io.Reader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The perso-data JSON Lines format: one card per line, read one at a time.
 *
 * <pre>{@code
 * {"cardId":"0001","applications":[{"aid":"A0000000031010","profile":"vsdc-example","dgis":[
 *     {"dgi":"0101","data":"7012..."},
 *     {"dgi":"8000","data":"<48 bytes hex, TDES-ECB under the KEK>","kek":"transport-kek"}]}],
 *  "magstripe":{"pan":"4761739001010010","name":"CARDMEMBER/TEST","expiry":"2512","serviceCode":"201"},
 *  "surface":{"embossLine1":"4761 7390 0101 0010"}}
 * }</pre>
 *
 * <p>Fields: {@code cardId} (text, required), {@code applications} (array, required; each with
 * {@code aid} hex, {@code profile} name, {@code dgis} array of {@code dgi} 4 hex digits, {@code data} hex
 * and optional {@code kek} naming the transport key the data is encrypted under), and optional
 * {@code magstripe} and {@code surface} objects of text fields. Unknown fields are errors. Blank lines
 * are skipped. A malformed line becomes a {@link PersoInput.Rejected} naming the line and the field;
 * the lines after it are read normally. Error messages never quote the line's content.
 *
 * <pre>{@code
 * try (PersoDataSource cards = JsonLinesPersoData.open(Path.of("batch-0001.jsonl"))) {
 *   cards.forEachRemaining(input -> ...);
 * }
 * String line = JsonLinesPersoData.toJsonLine(card);   // the writer, for data preparation
 * }</pre>
 */
public final class JsonLinesPersoData {
  private static final ObjectMapper JSON = JsonMapper.builder()
      .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
      .disable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
      .build();
  private static final Set<String> CARD_FIELDS = Set.of("cardId", "applications", "magstripe", "surface");
  private static final Set<String> APP_FIELDS = Set.of("aid", "profile", "dgis");
  private static final Set<String> DGI_FIELDS = Set.of("dgi", "data", "kek");

  private JsonLinesPersoData() {}

  /**
   * @param file a JSON Lines file (UTF-8)
   * @return a streaming source over its cards
   * @throws dev.perso.core.TransportException if the file cannot be opened
   */
  public static PersoDataSource open(Path file) {
    return of(LineSource.openUtf8(file, "perso data"), file.getFileName().toString());
  }

  /**
   * @param reader JSON Lines text; closed by the source
   * @param name the source's name for locations, e.g. a file name
   * @return a streaming source over its cards
   */
  public static PersoDataSource of(Reader reader, String name) {
    return new Source(reader, name);
  }

  /**
   * Parses one line.
   *
   * @param line the JSON text of one card
   * @param location where it came from, for error messages
   * @return the card
   * @throws ValidationException naming the location and field
   */
  public static CardPersoData parseLine(String line, String location) {
    JsonNode root;
    try {
      root = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      long col = e.getLocation() == null ? -1 : e.getLocation().getColumnNr();
      throw new ValidationException(location, "not valid JSON" + (col > 0 ? " near column " + col : ""));
    }
    if (root == null || !root.isObject()) {
      throw new ValidationException(location, "a card must be a JSON object");
    }
    checkFields(root, CARD_FIELDS, location);
    String cardId = text(root, "cardId", location);
    JsonNode apps = root.get("applications");
    if (apps == null || !apps.isArray() || apps.isEmpty()) {
      throw new ValidationException(location + " applications", "must be a non-empty array");
    }
    List<ApplicationData> applications = new ArrayList<>();
    for (int i = 0; i < apps.size(); i++) {
      applications.add(application(apps.get(i), location + " applications[" + i + "]"));
    }
    return new CardPersoData(cardId, applications, fields(root, "magstripe", location),
        fields(root, "surface", location));
  }

  private static ApplicationData application(JsonNode app, String at) {
    if (!app.isObject()) {
      throw new ValidationException(at, "must be an object");
    }
    checkFields(app, APP_FIELDS, at);
    Bytes aid = hex(app, "aid", at);
    String profile = text(app, "profile", at);
    JsonNode dgis = app.get("dgis");
    if (dgis == null || !dgis.isArray() || dgis.isEmpty()) {
      throw new ValidationException(at + " dgis", "must be a non-empty array");
    }
    List<InputDgi> out = new ArrayList<>();
    for (int i = 0; i < dgis.size(); i++) {
      String dat = at + " dgis[" + i + "]";
      JsonNode d = dgis.get(i);
      if (!d.isObject()) {
        throw new ValidationException(dat, "must be an object");
      }
      checkFields(d, DGI_FIELDS, dat);
      Bytes id = hex(d, "dgi", dat);
      if (id.length() != 2) {
        throw new ValidationException(dat + " dgi", "must be 4 hex digits, was " + id.length() + " bytes");
      }
      Dgi dgi = Dgi.of(id.getUnsigned(0) << 8 | id.getUnsigned(1), hex(d, "data", dat));
      out.add(d.has("kek") ? InputDgi.underKek(dgi, text(d, "kek", dat)) : InputDgi.clear(dgi));
    }
    return new ApplicationData(aid, profile, out);
  }

  private static void checkFields(JsonNode node, Set<String> allowed, String at) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        throw new ValidationException(at + " " + f, "unknown field (allowed: " + new java.util.TreeSet<>(allowed) + ")");
      }
    }
  }

  private static String text(JsonNode node, String field, String at) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw new ValidationException(at + " " + field, "is required");
    }
    if (!v.isTextual() || v.asText().isBlank()) {
      throw new ValidationException(at + " " + field, "must be a non-blank string");
    }
    return v.asText();
  }

  private static Bytes hex(JsonNode node, String field, String at) {
    JsonNode v = node.get(field);
    // A DGI value may be empty (length 00); every other hex field must have content.
    String s = field.equals("data") && v != null && v.isTextual() && v.asText().isEmpty() ? "" : text(node, field, at);
    try {
      return Bytes.fromHex(s);
    } catch (MalformedDataException e) {
      throw new ValidationException(at + " " + field, "not hex: " + e.reason() + " at character " + e.offset());
    }
  }

  private static Map<String, String> fields(JsonNode root, String field, String at) {
    JsonNode obj = root.get(field);
    if (obj == null || obj.isNull()) {
      return Map.of();
    }
    if (!obj.isObject()) {
      throw new ValidationException(at + " " + field, "must be an object of text fields");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        throw new ValidationException(at + " " + field + "." + e.getKey(), "must be a string");
      }
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }

  /**
   * Writes one card as a JSON line (no trailing newline), the inverse of {@link #parseLine}.
   *
   * @param card the card
   * @return its JSON line
   */
  public static String toJsonLine(CardPersoData card) {
    ObjectNode root = JSON.createObjectNode();
    root.put("cardId", card.cardId());
    ArrayNode apps = root.putArray("applications");
    for (ApplicationData a : card.applications()) {
      ObjectNode app = apps.addObject();
      app.put("aid", a.aid().toHex());
      app.put("profile", a.profile());
      ArrayNode dgis = app.putArray("dgis");
      for (InputDgi d : a.dgis()) {
        ObjectNode dn = dgis.addObject();
        dn.put("dgi", d.dgi().idHex());
        dn.put("data", d.dgi().value().toHex());
        d.transportKey().ifPresent(k -> dn.put("kek", k));
      }
    }
    if (!card.magstripe().isEmpty()) {
      ObjectNode m = root.putObject("magstripe");
      card.magstripe().forEach(m::put);
    }
    if (!card.surface().isEmpty()) {
      ObjectNode s = root.putObject("surface");
      card.surface().forEach(s::put);
    }
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("JSON writing failed", e);
    }
  }

  private static final class Source extends LineSource {
    Source(Reader reader, String name) {
      super(reader, name);
    }

    @Override
    PersoInput read() {
      String line;
      do {
        line = readLine();
      } while (line != null && line.isBlank());
      if (line == null) {
        return null;
      }
      String location = location();
      try {
        return new PersoInput.Card(parseLine(line, location), location);
      } catch (PersoException e) {
        return new PersoInput.Rejected(location, cardIdOf(line), e);
      }
    }

    private static String cardIdOf(String line) {
      try {
        JsonNode n = JSON.readTree(line);
        return n != null && n.path("cardId").isTextual() ? n.get("cardId").asText() : null;
      } catch (JsonProcessingException e) {
        return null;
      }
    }

  }
}
