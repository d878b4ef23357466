package dev.perso.core.record;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.perso.core.MalformedDataException;
import dev.perso.core.PersoException;
import dev.perso.core.ValidationException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * The card-record JSON Lines format: one record per line, {@code cardId} plus one member per section,
 * each a JSON object or array. Reading is strict: one JSON value per line, nothing after it, no duplicate
 * member names, UTF-8 only. A bad line becomes a {@link RecordInput.Rejected} naming the line and the
 * field, and reading goes on with the next line. Messages never quote the line's content.
 *
 * <pre>{@code
 * {"cardId":"0001","applications":[{"aid":"A0000000031010","profile":"vsdc-example","dgis":[...]}],
 *  "magstripe":{"pan":"4761739001010010","name":"CARDMEMBER/TEST","expiry":"2912","serviceCode":"201"}}
 * }</pre>
 *
 * <pre>{@code
 * try (RecordSource records = JsonLinesRecords.open(Path.of("batch-0001.jsonl"))) {
 *   records.forEachRemaining(input -> ...);
 * }
 * String line = JsonLinesRecords.toJsonLine(record);   // the writer, for data preparation
 * }</pre>
 */
public final class JsonLinesRecords {
  /** The member that holds the record id. */
  public static final String ID_FIELD = "cardId";

  private static final ObjectMapper JSON = JsonMapper.builder()
      .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .disable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private JsonLinesRecords() {}

  /**
   * @param file a JSON Lines file (UTF-8)
   * @return a streaming source over its records
   * @throws dev.perso.core.TransportException if the file cannot be opened or is a directory
   */
  public static RecordSource open(Path file) {
    return open(file, LineRecordSource.DEFAULT_MAX_LINE_BYTES);
  }

  /**
   * Opens a file with another line-length cap than the default 1 MiB. A longer line rejects that
   * record only, naming the line and the cap.
   *
   * <pre>{@code
   * RecordSource big = JsonLinesRecords.open(Path.of("batch.jsonl"), 8 << 20);   // records up to 8 MiB
   * }</pre>
   *
   * @param file a JSON Lines file (UTF-8)
   * @param maxLineBytes the longest line accepted, in bytes, 1..{@link LineRecordSource#MAX_MAX_LINE_BYTES}
   * @return a streaming source over its records
   * @throws dev.perso.core.TransportException if the file cannot be opened or is a directory
   * @throws ValidationException naming {@code maxLineBytes} if it is out of range
   */
  public static RecordSource open(Path file, int maxLineBytes) {
    LineRecordSource.checkMaxLineBytes(maxLineBytes);
    return new Source(LineRecordSource.openFile(file, "records"), file.getFileName().toString(), maxLineBytes);
  }

  /**
   * @param in JSON Lines bytes (UTF-8); closed by the source
   * @param name the source's name for locations, e.g. a file name
   * @return a streaming source over its records
   */
  public static RecordSource of(InputStream in, String name) {
    return of(in, name, LineRecordSource.DEFAULT_MAX_LINE_BYTES);
  }

  /**
   * @param in JSON Lines bytes (UTF-8); closed by the source
   * @param name the source's name for locations, e.g. a file name
   * @param maxLineBytes the longest line accepted, in bytes, 1..{@link LineRecordSource#MAX_MAX_LINE_BYTES}
   * @return a streaming source over its records
   * @throws ValidationException naming {@code maxLineBytes} if it is out of range
   */
  public static RecordSource of(InputStream in, String name, int maxLineBytes) {
    return new Source(in, name, maxLineBytes);
  }

  /**
   * Parses one line.
   *
   * @param line the JSON text of one record
   * @param location where it came from, for error messages
   * @return the record
   * @throws ValidationException naming the location and field
   */
  public static CardRecord parseLine(String line, String location) {
    JsonNode root;
    try {
      root = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      long col = e.getLocation() == null ? -1 : e.getLocation().getColumnNr();
      String what = e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")
          ? "a member name appears twice" : e.getOriginalMessage() != null
              && e.getOriginalMessage().startsWith("Trailing token") ? "more than one JSON value on the line"
              : "not valid JSON";
      throw new ValidationException(location, what + (col > 0 ? " near column " + col : ""));
    }
    if (root == null || root.isMissingNode()) {
      throw new ValidationException(location, "empty line");
    }
    if (!root.isObject()) {
      throw new ValidationException(location, "a record must be a JSON object");
    }
    JsonNode id = root.get(ID_FIELD);
    if (id == null || id.isNull()) {
      throw new ValidationException(location + " " + ID_FIELD, "is required");
    }
    if (!id.isTextual()) {
      throw new ValidationException(location + " " + ID_FIELD, "must be a string");
    }
    CardRecord.Builder b;
    try {
      b = CardRecord.builder(id.asText()).location(location);
    } catch (ValidationException e) {
      throw new ValidationException(location + " " + ID_FIELD, e.rule());
    }
    String where = location + " card " + id.asText();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals(ID_FIELD)) {
        continue;
      }
      if (!e.getValue().isObject() && !e.getValue().isArray()) {
        throw new ValidationException(where + " " + e.getKey(), "a section must be a JSON object or array");
      }
      try {
        b.ownedSection(e.getKey(), e.getValue());   // the tree was just parsed: nobody else holds it
      } catch (ValidationException ve) {
        throw new ValidationException(where + " " + e.getKey(), ve.rule());
      }
    }
    return b.build();
  }

  /**
   * Writes one record as a JSON line (no trailing newline), the inverse of {@link #parseLine}.
   *
   * @param record the record
   * @return its JSON line
   */
  public static String toJsonLine(CardRecord record) {
    ObjectNode root = JSON.createObjectNode();
    root.put(ID_FIELD, record.id());
    for (String s : record.sectionNames()) {
      root.set(s, record.section(s).orElseThrow());
    }
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("JSON writing failed", e);
    }
  }

  private static final class Source extends LineRecordSource {
    Source(InputStream in, String name, int maxLineBytes) {
      super(in, name, maxLineBytes);
    }

    @Override
    protected RecordInput read() {
      while (true) {
        String line;
        try {
          line = readLine();
        } catch (MalformedDataException e) {
          // Not UTF-8 or too long: this record only. An unreadable source (TransportException) ends the read.
          return new RecordInput.Rejected(location(), null, e);
        }
        if (line == null) {
          return null;
        }
        if (line.isBlank()) {
          continue;
        }
        String location = location();
        try {
          return new RecordInput.Read(parseLine(line, location), location);
        } catch (PersoException e) {
          return new RecordInput.Rejected(location, cardIdOf(line), e);
        }
      }
    }

    private static String cardIdOf(String line) {
      try (JsonParser p = JSON.createParser(line)) {
        JsonNode n = JSON.readTree(p);
        JsonNode id = n == null ? null : n.get(ID_FIELD);
        return id != null && id.isTextual() && id.asText().length() <= 64 ? id.asText() : null;
      } catch (Exception e) {
        return null;
      }
    }
  }
}
