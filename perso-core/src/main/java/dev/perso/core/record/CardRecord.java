package dev.perso.core.record;

import com.fasterxml.jackson.databind.JsonNode;
import dev.perso.core.ValidationException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One card's data for every stage: an id and named sections ({@code applications} with DGIs,
 * {@code magstripe}, {@code surface}, {@code memory}, ...). Core knows the id and the section names; the
 * step that claims a section decodes and validates it. Sections hold card data (PANs, tracks, keys under
 * a KEK): {@code toString} prints the id and the section names only.
 *
 * <pre>{@code
 * CardRecord r = CardRecord.builder("0001")
 *     .section("magstripe", json.readTree("{\"pan\":\"4761739001010010\",\"expiry\":\"2912\"}"))
 *     .build();
 * r.section("magstripe").map(s -> s.get("expiry").asText());   // "2912"
 * r.toString();                                               // "record 0001 [magstripe]"
 * r.where();                                                  // "card 0001" ("batch.jsonl:7 card 0001" when read)
 * }</pre>
 */
public final class CardRecord {
  private static final java.util.regex.Pattern SECTION_NAME = java.util.regex.Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
  private final String id;
  private final Map<String, JsonNode> sections;
  private final String location;

  private CardRecord(String id, Map<String, JsonNode> sections, String location) {
    this.id = id;
    this.sections = sections;
    this.location = location;
  }

  /**
   * @param id the record's id in the job (never a PAN)
   * @return a builder
   */
  public static Builder builder(String id) {
    return new Builder(id);
  }

  /** @return the record's id */
  public String id() {
    return id;
  }

  /** @return where the record was read, e.g. {@code batch.jsonl:17}, or the id when built in code */
  public String location() {
    return location;
  }

  /**
   * Where the record is, for messages: its location and its id, e.g. {@code batch.jsonl:17 card 0001}, or
   * {@code card 0001} for a record built in code. Every rejection of a record starts with it.
   *
   * @return the location and the card id
   */
  public String where() {
    return location.equals(id) ? "card " + id : location + " card " + id;
  }

  /** @return the section names, in the order they were given */
  public Set<String> sectionNames() {
    return sections.keySet();
  }

  /**
   * @param name a section name
   * @return whether the record has it
   */
  public boolean has(String name) {
    return sections.containsKey(name);
  }

  /**
   * A section's JSON tree. The tree is shared, not copied: steps read it and never change it.
   *
   * @param name a section name
   * @return the section
   */
  public Optional<JsonNode> section(String name) {
    return Optional.ofNullable(sections.get(name));
  }

  /**
   * @param name a section name
   * @return the section
   * @throws ValidationException naming the record and section if it is missing
   */
  public JsonNode require(String name) {
    JsonNode n = sections.get(name);
    if (n == null) {
      throw new ValidationException(where() + " " + name, "section is required by the card type");
    }
    return n;
  }

  /** @return a builder with this record's values */
  public Builder newBuilder() {
    Builder b = new Builder(id);
    b.sections.putAll(sections);
    b.location = location;
    return b;
  }

  /** @return the id and section names; never section content */
  @Override
  public String toString() {
    return "record " + id + " " + sections.keySet();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CardRecord r && r.id.equals(id) && r.sections.equals(sections);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, sections);
  }

  /** Builds a {@link CardRecord}. */
  public static final class Builder {
    private final String id;
    private final Map<String, JsonNode> sections = new LinkedHashMap<>();
    private String location;

    private Builder(String id) {
      if (id == null || id.isBlank()) {
        throw new ValidationException("cardId", "must not be blank");
      }
      if (id.length() > 64 || !id.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
        throw new ValidationException("cardId", "must be 1 to 64 printable ASCII characters without spaces");
      }
      this.id = id;
    }

    /**
     * @param name the section name (letters, digits, '-', '_')
     * @param content the section's JSON tree; the record keeps a deep copy
     * @return this
     */
    public Builder section(String name, JsonNode content) {
      return put(name, Objects.requireNonNull(content, name).deepCopy());
    }

    /** A section whose tree nobody else holds (a reader's freshly parsed tree): kept without a copy. */
    Builder ownedSection(String name, JsonNode content) {
      return put(name, Objects.requireNonNull(content, name));
    }

    private Builder put(String name, JsonNode content) {
      if (name == null || !SECTION_NAME.matcher(name).matches()) {
        throw new ValidationException("section", "name must be a letter then letters, digits, '-' or '_', was '"
            + name + "'");
      }
      if (sections.put(name, content) != null) {
        throw new ValidationException("section " + name, "given twice");
      }
      return this;
    }

    /**
     * @param location where the record was read, for error messages
     * @return this
     */
    public Builder location(String location) {
      this.location = location;
      return this;
    }

    /** @return the record */
    public CardRecord build() {
      return new CardRecord(id, Collections.unmodifiableMap(new LinkedHashMap<>(sections)),
          location == null ? id : location);
    }
  }
}
