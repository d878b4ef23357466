package dev.perso.devices.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.perso.core.Bytes;
import dev.perso.core.MalformedDataException;
import dev.perso.core.ValidationException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A data image for a memory card: segments of bytes at addresses, sorted, never overlapping. In JSON (card-type
 * constants and a record's {@code memory} section) it is an array of {@code {"address": 32, "hex": "0011"}} or
 * {@code {"address": 48, "text": "ADA LOVELACE"}} (US-ASCII) objects.
 *
 * <pre>{@code
 * MemoryImage image = MemoryImage.builder().put(32, Bytes.fromHex("0102")).put(64, "LOYALTY").build();
 * image.plus(other);                    // ValidationException if they overlap
 * image.check(MemoryChip.SLE4442);      // every segment inside the chip's data bytes
 * }</pre>
 */
public final class MemoryImage {
  private static final Set<String> MEMBERS = Set.of("address", "hex", "text");

  /**
   * One run of bytes.
   *
   * @param address the first byte's address
   * @param data the bytes, at least one
   */
  public record Segment(int address, Bytes data) {
    /** Checks the values. */
    public Segment {
      Objects.requireNonNull(data, "data");
      if (address < 0) {
        throw new ValidationException("address", "must not be negative, was " + address);
      }
      if (data.isEmpty()) {
        throw new ValidationException("data", "a segment at " + address + " is empty");
      }
    }

    /** @return the address after the last byte */
    public int end() {
      return address + data.length();
    }
  }

  private static final MemoryImage EMPTY = new MemoryImage(List.of());

  private final List<Segment> segments;

  private MemoryImage(List<Segment> segments) {
    this.segments = segments;
  }

  /** @return an image with no bytes */
  public static MemoryImage empty() {
    return EMPTY;
  }

  /** @return a builder */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the segments by address */
  public List<Segment> segments() {
    return segments;
  }

  /** @return the number of bytes */
  public int byteCount() {
    return segments.stream().mapToInt(s -> s.data().length()).sum();
  }

  /**
   * @param other another image
   * @return both together
   * @throws ValidationException if they overlap
   */
  public MemoryImage plus(MemoryImage other) {
    Builder b = builder();
    segments.forEach(s -> b.put(s.address(), s.data()));
    other.segments.forEach(s -> b.put(s.address(), s.data()));
    return b.build();
  }

  /**
   * @param chip the chip
   * @throws ValidationException naming the segment outside the chip's data bytes
   */
  public void check(MemoryChip chip) {
    for (Segment s : segments) {
      if (s.end() > chip.dataSize()) {
        throw new ValidationException("address " + s.address(), "bytes " + s.address() + ".." + (s.end() - 1)
            + " are outside " + chip.id() + "'s data bytes 0.." + (chip.dataSize() - 1));
      }
    }
  }

  /**
   * @param json an array of segment objects
   * @param at where it is, for errors
   * @return the image
   * @throws ValidationException naming {@code at[i].member}
   */
  public static MemoryImage fromJson(JsonNode json, String at) {
    if (json == null || !json.isArray()) {
      throw new ValidationException(at, "must be an array of {\"address\": n, \"hex\": \"..\" | \"text\": \"..\"}");
    }
    Builder b = builder();
    for (int i = 0; i < json.size(); i++) {
      JsonNode s = json.get(i);
      String here = at + "[" + i + "]";
      if (!s.isObject()) {
        throw new ValidationException(here, "must be an object");
      }
      for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (!MEMBERS.contains(f)) {
          throw new ValidationException(here + "." + f, "unknown member (allowed: [address, hex, text])");
        }
      }
      JsonNode a = s.get("address");
      if (a == null || !a.isIntegralNumber() || !a.canConvertToInt() || a.asInt() < 0) {
        throw new ValidationException(here + ".address", "is required (a non-negative integer)");
      }
      boolean hex = s.has("hex");
      if (hex == s.has("text")) {
        throw new ValidationException(here, "needs exactly one of hex and text");
      }
      JsonNode v = s.get(hex ? "hex" : "text");
      if (!v.isTextual() || v.asText().isEmpty()) {
        throw new ValidationException(here + (hex ? ".hex" : ".text"), "must be a non-empty string");
      }
      Bytes data;
      if (hex) {
        try {
          data = Bytes.fromHex(v.asText());
        } catch (MalformedDataException e) {
          throw new ValidationException(here + ".hex", "not hex (character " + e.offset() + ")");
        }
      } else {
        String t = v.asText();
        if (!StandardCharsets.US_ASCII.newEncoder().canEncode(t)) {
          throw new ValidationException(here + ".text", "must be US-ASCII");
        }
        data = Bytes.of(t.getBytes(StandardCharsets.US_ASCII));
      }
      try {
        b.put(a.asInt(), data);
      } catch (ValidationException e) {
        throw new ValidationException(here, e.rule());
      }
    }
    return b.build();
  }

  /** @return the image as a JSON array of {@code {"address", "hex"}} objects */
  public ArrayNode toJson() {
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    for (Segment s : segments) {
      ObjectNode o = out.addObject();
      o.put("address", s.address());
      o.put("hex", s.data().toHex());
    }
    return out;
  }

  /** @return the segments' addresses and lengths, never their bytes (they may be card data) */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("MemoryImage[");
    for (Segment g : segments) {
      s.append(s.length() > 12 ? ", " : "").append(g.address()).append("..").append(g.end() - 1);
    }
    return s.append(']').toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MemoryImage m && m.segments.equals(segments);
  }

  @Override
  public int hashCode() {
    return segments.hashCode();
  }

  /** Builds a {@link MemoryImage}. */
  public static final class Builder {
    private final List<Segment> segments = new ArrayList<>();

    private Builder() {}

    /**
     * @param address the first byte
     * @param data the bytes
     * @return this
     * @throws ValidationException if it overlaps a segment already put
     */
    public Builder put(int address, Bytes data) {
      Segment n = new Segment(address, data);
      for (Segment s : segments) {
        if (n.address() < s.end() && s.address() < n.end()) {
          throw new ValidationException("address " + address, "bytes " + n.address() + ".." + (n.end() - 1)
              + " overlap bytes " + s.address() + ".." + (s.end() - 1));
        }
      }
      segments.add(n);
      return this;
    }

    /**
     * @param address the first byte
     * @param text US-ASCII text
     * @return this
     */
    public Builder put(int address, String text) {
      if (!StandardCharsets.US_ASCII.newEncoder().canEncode(text)) {
        throw new ValidationException("text", "must be US-ASCII");
      }
      return put(address, Bytes.of(text.getBytes(StandardCharsets.US_ASCII)));
    }

    /** @return the image */
    public MemoryImage build() {
      List<Segment> sorted = new ArrayList<>(segments);
      sorted.sort(Comparator.comparingInt(Segment::address));
      return new MemoryImage(List.copyOf(sorted));
    }
  }
}
