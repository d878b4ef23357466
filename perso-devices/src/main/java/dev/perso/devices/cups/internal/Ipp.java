package dev.perso.devices.cups.internal;

import dev.perso.core.MalformedDataException;
import dev.perso.core.ValidationException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The IPP/1.1 and 2.0 message encoding (RFC 8010 §3): the requests a card print needs (Print-Job,
 * Get-Job-Attributes, Cancel-Job, Get-Printer-Attributes) and a decoder for any response. Values are kept
 * as their tag and bytes; integers and enums (tags 0x21, 0x23) and text-like values read as Java values.
 */
public final class Ipp {
  /** Operation ids (RFC 8011 §5.4.15). */
  public static final int PRINT_JOB = 0x0002;
  /** Cancel-Job. */
  public static final int CANCEL_JOB = 0x0008;
  /** Get-Job-Attributes. */
  public static final int GET_JOB_ATTRIBUTES = 0x0009;
  /** Get-Printer-Attributes. */
  public static final int GET_PRINTER_ATTRIBUTES = 0x000B;

  /** Delimiter tags (RFC 8010 §3.5.1). */
  public static final int OPERATION_GROUP = 0x01;
  /** job-attributes-tag. */
  public static final int JOB_GROUP = 0x02;
  /** end-of-attributes-tag. */
  public static final int END = 0x03;
  /** printer-attributes-tag. */
  public static final int PRINTER_GROUP = 0x04;

  /** Value tags (RFC 8010 §3.5.2). */
  public static final int INTEGER = 0x21;
  /** enum. */
  public static final int ENUM = 0x23;
  /** nameWithoutLanguage. */
  public static final int NAME = 0x42;
  /** keyword. */
  public static final int KEYWORD = 0x44;
  /** uri. */
  public static final int URI = 0x45;
  /** charset. */
  public static final int CHARSET = 0x47;
  /** naturalLanguage. */
  public static final int LANGUAGE = 0x48;
  /** mimeMediaType. */
  public static final int MIME = 0x49;

  private Ipp() {}

  /** One value: its tag and bytes. */
  public record Value(int tag, byte[] bytes) {
    /** @return the value as a signed 32-bit integer (integer and enum tags) */
    public int asInt() {
      if (bytes.length != 4) {
        throw new MalformedDataException(-1, "IPP integer value has " + bytes.length + " bytes, expected 4");
      }
      return ((bytes[0] & 0xFF) << 24) | ((bytes[1] & 0xFF) << 16) | ((bytes[2] & 0xFF) << 8) | (bytes[3] & 0xFF);
    }

    /** @return the value as UTF-8 text */
    public String asText() {
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  /** One attribute group: its delimiter tag and attributes in order. */
  public record Group(int tag, Map<String, List<Value>> attributes) {}

  /** A decoded response. */
  public record Response(int version, int status, int requestId, List<Group> groups) {
    /** @return true for the successful-ok status range 0x0000..0x00FF */
    public boolean ok() {
      return status <= 0x00FF;
    }

    /**
     * @param groupTag a delimiter tag
     * @param name an attribute name
     * @return the attribute's values from the first group of that tag that has it
     */
    public List<Value> values(int groupTag, String name) {
      for (Group g : groups) {
        if (g.tag() == groupTag && g.attributes().containsKey(name)) {
          return g.attributes().get(name);
        }
      }
      return List.of();
    }

    /**
     * @param groupTag a delimiter tag
     * @param name an attribute name
     * @return its first value as an integer
     */
    public Optional<Integer> intValue(int groupTag, String name) {
      List<Value> v = values(groupTag, name);
      return v.isEmpty() ? Optional.empty() : Optional.of(v.get(0).asInt());
    }

    /**
     * @param groupTag a delimiter tag
     * @param name an attribute name
     * @return all its values as text
     */
    public List<String> texts(int groupTag, String name) {
      List<String> out = new ArrayList<>();
      for (Value v : values(groupTag, name)) {
        out.add(v.asText());
      }
      return out;
    }
  }

  /** Builds one request: the operation group starts with attributes-charset and natural-language. */
  public static final class Request {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

    /**
     * @param operation the operation id
     * @param requestId the request id (1..2^31-1)
     */
    public Request(int operation, int requestId) {
      if (requestId < 1) {
        throw new ValidationException("request-id", "must be 1..2147483647, was " + requestId);
      }
      u16(0x0200);
      u16(operation);
      u32(requestId);
      out.write(OPERATION_GROUP);
      text(CHARSET, "attributes-charset", "utf-8");
      text(LANGUAGE, "attributes-natural-language", "en");
    }

    private void u16(int v) {
      out.write(v >> 8);
      out.write(v);
    }

    private void u32(int v) {
      u16(v >>> 16);
      u16(v & 0xFFFF);
    }

    private void attribute(int tag, String name, byte[] value) {
      byte[] n = name.getBytes(StandardCharsets.US_ASCII);
      if (n.length > 0x7FFF || value.length > 0x7FFF) {
        throw new ValidationException("IPP attribute " + name, "name and value must be at most 32767 bytes");
      }
      out.write(tag);
      u16(n.length);
      out.write(n, 0, n.length);
      u16(value.length);
      out.write(value, 0, value.length);
    }

    /**
     * @param tag a text-like value tag
     * @param name the attribute name
     * @param values its values (the first carries the name, the others an empty name)
     * @return this
     */
    public Request text(int tag, String name, String... values) {
      for (int i = 0; i < values.length; i++) {
        attribute(tag, i == 0 ? name : "", values[i].getBytes(StandardCharsets.UTF_8));
      }
      return this;
    }

    /**
     * @param name the attribute name
     * @param value an integer
     * @return this
     */
    public Request integer(String name, int value) {
      attribute(INTEGER, name, new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8),
          (byte) value});
      return this;
    }

    /** @return the encoded request, end-of-attributes included (the document, if any, follows it) */
    public byte[] encode() {
      ByteArrayOutputStream copy = new ByteArrayOutputStream(out.size() + 1);
      copy.write(out.toByteArray(), 0, out.size());
      copy.write(END);
      return copy.toByteArray();
    }
  }

  /**
   * Decodes a response (or any IPP message).
   *
   * @param b the message bytes
   * @return the response
   * @throws MalformedDataException if it is not a well-formed IPP message, naming the offset
   */
  public static Response decode(byte[] b) {
    if (b.length < 9) {
      throw new MalformedDataException(b.length, "IPP message shorter than its 8-byte header and end tag");
    }
    int version = u16(b, 0);
    int status = u16(b, 2);
    int requestId = (u16(b, 4) << 16) | u16(b, 6);
    List<Group> groups = new ArrayList<>();
    int p = 8;
    Map<String, List<Value>> current = null;
    int currentTag = -1;
    String last = null;
    while (true) {
      if (p >= b.length) {
        throw new MalformedDataException(p, "IPP message ends without end-of-attributes tag");
      }
      int tag = b[p] & 0xFF;
      if (tag == END) {
        break;
      }
      if (tag < 0x10) { // a delimiter: a new group
        if (tag == 0x00) {
          throw new MalformedDataException(p, "IPP delimiter tag 0x00 is reserved");
        }
        if (current != null) {
          groups.add(new Group(currentTag, Collections.unmodifiableMap(current)));
        }
        current = new LinkedHashMap<>();
        currentTag = tag;
        last = null;
        p++;
        continue;
      }
      if (current == null) {
        throw new MalformedDataException(p, "IPP attribute before any group delimiter");
      }
      if (tag == 0x7F) {
        throw new MalformedDataException(p, "IPP extended value tags are not supported");
      }
      int nameLen = need(b, p + 1, 2, "name-length");
      int nameAt = p + 3;
      need(b, nameAt, nameLen, "name");
      String name = new String(b, nameAt, nameLen, StandardCharsets.UTF_8);
      int valueLen = need(b, nameAt + nameLen, 2, "value-length");
      int valueAt = nameAt + nameLen + 2;
      need(b, valueAt, valueLen, "value");
      byte[] value = java.util.Arrays.copyOfRange(b, valueAt, valueAt + valueLen);
      if (nameLen == 0) {
        if (last == null) {
          throw new MalformedDataException(p, "IPP additional value without an attribute");
        }
        current.get(last).add(new Value(tag, value));
      } else {
        List<Value> values = new ArrayList<>();
        values.add(new Value(tag, value));
        current.put(name, values);
        last = name;
      }
      p = valueAt + valueLen;
    }
    if (current != null) {
      groups.add(new Group(currentTag, Collections.unmodifiableMap(current)));
    }
    return new Response(version, status, requestId, Collections.unmodifiableList(groups));
  }

  /** Checks that {@code len} bytes are there at {@code at}; for a 2-byte length field, returns its value. */
  private static int need(byte[] b, int at, int len, String what) {
    if (at < 0 || len < 0 || at + len > b.length) {
      throw new MalformedDataException(Math.min(at, b.length), "IPP " + what + " runs past the end of the message");
    }
    return len == 2 && ("name-length".equals(what) || "value-length".equals(what)) ? u16(b, at) : len;
  }

  private static int u16(byte[] b, int at) {
    return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
  }
}
