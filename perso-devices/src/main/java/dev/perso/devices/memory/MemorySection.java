package dev.perso.devices.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.perso.core.MalformedDataException;
import dev.perso.core.SecretBytes;
import dev.perso.core.ValidationException;
import dev.perso.core.record.CardRecord;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;

/**
 * The codec of a card record's {@code memory} section: the card's own bytes, and the per-card code data
 * preparation chose. Decoding is strict; messages name {@code <location> memory.<field>} and never a value or
 * the code.
 *
 * <pre>{@code
 * "memory": {"data": [{"address": 64, "text": "0001 LOVELACE"}], "code": "4711AB"}
 *
 * MemorySection s = MemorySection.decode(record, MemoryChip.SLE4442);
 * try (SecretBytes code = s.code().orElseThrow()) { ... }
 * }</pre>
 */
public final class MemorySection {
  /** The section's name in card records. */
  public static final String NAME = "memory";
  private static final Set<String> FIELDS = Set.of("data", "code");

  private final MemoryImage data;
  private final byte[] code;

  private MemorySection(MemoryImage data, byte[] code) {
    this.data = data;
    this.code = code;
  }

  /**
   * @param record a record with a {@code memory} section
   * @param chip the chip the card type writes
   * @return the decoded section
   * @throws ValidationException naming {@code <location> memory.<field>}
   */
  public static MemorySection decode(CardRecord record, MemoryChip chip) {
    String at = record.where() + " " + NAME;
    JsonNode s = record.require(NAME);
    if (!s.isObject()) {
      throw new ValidationException(at, "must be an object with data and code");
    }
    for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f)) {
        throw new ValidationException(at + "." + f, "unknown field (allowed: [code, data])");
      }
    }
    MemoryImage data = s.has("data") ? MemoryImage.fromJson(s.get("data"), at + ".data") : MemoryImage.empty();
    try {
      data.check(chip);
    } catch (ValidationException e) {
      throw new ValidationException(at + ".data " + e.field(), e.rule());
    }
    byte[] code = null;
    if (s.has("code")) {
      JsonNode c = s.get("code");
      if (!c.isTextual()) {
        throw new ValidationException(at + ".code", "must be a hex string");
      }
      if (!chip.hasCode()) {
        throw new ValidationException(at + ".code", chip.id() + " has no code");
      }
      try {
        code = dev.perso.core.internal.Hex.decode(c.asText());
      } catch (MalformedDataException e) {
        throw new ValidationException(at + ".code", "not hex");
      }
      if (code.length != chip.codeLength()) {
        int n = code.length;
        java.util.Arrays.fill(code, (byte) 0);
        throw new ValidationException(at + ".code", "must be " + chip.codeLength() + " bytes for " + chip.id()
            + ", was " + n);
      }
    }
    return new MemorySection(data, code);
  }

  /**
   * @param data the card's bytes
   * @param code the per-card code, or null
   * @return the section's JSON object, for data preparation
   */
  public static ObjectNode encode(MemoryImage data, SecretBytes code) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.set("data", data.toJson());
    if (code != null) {
      String hex = code.apply(dev.perso.core.internal.Hex::encode);
      o.put("code", hex);
    }
    return o;
  }

  /** @return the card's bytes */
  public MemoryImage data() {
    return data;
  }

  /** @return a copy of the per-card code (close it after use), if the record has one */
  public Optional<SecretBytes> code() {
    return code == null ? Optional.empty() : Optional.of(SecretBytes.copyOf(code));
  }

  /** @return the image's ranges and whether a code is present, never the bytes or the code */
  @Override
  public String toString() {
    return "MemorySection[" + data + (code == null ? "" : ", code=****") + "]";
  }
}
