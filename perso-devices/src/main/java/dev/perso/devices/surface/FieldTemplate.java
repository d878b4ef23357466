package dev.perso.devices.surface;

import dev.perso.core.ValidationException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Text with fields of a card record's {@code surface} section, so that data preparation need not
 * pre-format: {@code {field}} or {@code {field:format}}, with {@code {id}} the record's id. Formats:
 * digit groups such as {@code 4-4-4-4} (digits grouped with spaces; digits beyond the pattern form one more
 * group), {@code MM/YY} and {@code YY/MM} (from a {@code YYMM} expiry), {@code upper} (capitals).
 *
 * <pre>{@code
 * FieldTemplate t = FieldTemplate.parse("pan", "{pan:4-4-4-4}");
 * t.resolve(Map.of("pan", "4761739001010010"));     // "4761 7390 0101 0010"
 * FieldTemplate.parse("exp", "VALID THRU {expiry:MM/YY}").resolve(Map.of("expiry", "2912"));  // "VALID THRU 12/29"
 * }</pre>
 */
public final class FieldTemplate {
  private final String source;
  private final List<Object> parts;

  private record Field(String name, String format) {}

  private FieldTemplate(String source, List<Object> parts) {
    this.source = source;
    this.parts = parts;
  }

  /**
   * @param element the element (for errors)
   * @param text the template
   * @return the parsed template
   * @throws ValidationException naming the element: an unclosed brace, an empty field, an unknown format
   */
  public static FieldTemplate parse(String element, String text) {
    if (text == null || text.isEmpty()) {
      throw new ValidationException(element, "the text template must not be empty");
    }
    List<Object> parts = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      int open = text.indexOf('{', i);
      int close = text.indexOf('}', i);
      if (close >= 0 && (open < 0 || close < open)) {
        throw new ValidationException(element, "'}' without '{' at " + close);
      }
      if (open < 0) {
        parts.add(text.substring(i));
        break;
      }
      if (open > i) {
        parts.add(text.substring(i, open));
      }
      close = text.indexOf('}', open);
      if (close < 0) {
        throw new ValidationException(element, "'{' at " + open + " is not closed");
      }
      String inner = text.substring(open + 1, close);
      int colon = inner.indexOf(':');
      String name = colon < 0 ? inner : inner.substring(0, colon);
      String format = colon < 0 ? null : inner.substring(colon + 1);
      if (!name.matches("[A-Za-z][A-Za-z0-9_]*")) {
        throw new ValidationException(element, "field name '" + name + "' must be letters, digits or '_'");
      }
      if (format != null && !(format.matches("[1-9](-[1-9])+") || format.equals("MM/YY") || format.equals("YY/MM")
          || format.equals("upper"))) {
        throw new ValidationException(element, "unknown format '" + format + "' (known: digit groups such as 4-4-4-4,"
            + " MM/YY, YY/MM, upper)");
      }
      parts.add(new Field(name, format));
      i = close + 1;
    }
    return new FieldTemplate(text, Collections.unmodifiableList(parts));
  }

  /** @return the record fields the template reads */
  public Set<String> fields() {
    Set<String> out = new LinkedHashSet<>();
    for (Object p : parts) {
      if (p instanceof Field f) {
        out.add(f.name());
      }
    }
    return out;
  }

  /**
   * @param values field values by name ({@code id} included)
   * @return the text
   * @throws ValidationException naming the field: missing, or its value does not suit the format (never the value)
   */
  public String resolve(Map<String, String> values) {
    StringBuilder b = new StringBuilder();
    for (Object p : parts) {
      if (p instanceof Field f) {
        String v = values.get(f.name());
        if (v == null) {
          throw new ValidationException(f.name(), "is required by the surface layout");
        }
        b.append(format(f, v));
      } else {
        b.append((String) p);
      }
    }
    return b.toString();
  }

  private static String format(Field f, String v) {
    String fmt = f.format();
    if (fmt == null) {
      return v;
    }
    if (fmt.equals("upper")) {
      return v.toUpperCase(Locale.ROOT);
    }
    if (fmt.equals("MM/YY") || fmt.equals("YY/MM")) {
      if (!v.matches("\\d{2}(0[1-9]|1[0-2])")) {
        throw new ValidationException(f.name(), "must be an expiry YYMM for format " + fmt);
      }
      return fmt.equals("MM/YY") ? v.substring(2) + "/" + v.substring(0, 2) : v.substring(0, 2) + "/" + v.substring(2);
    }
    if (!v.matches("\\d+")) {
      throw new ValidationException(f.name(), "must be digits for format " + fmt);
    }
    StringBuilder b = new StringBuilder();
    int at = 0;
    for (String g : fmt.split("-")) {
      if (at >= v.length()) {
        break;
      }
      int end = Math.min(v.length(), at + Integer.parseInt(g));
      b.append(b.length() == 0 ? "" : " ").append(v, at, end);
      at = end;
    }
    if (at < v.length()) {
      b.append(' ').append(v, at, v.length());
    }
    return b.toString();
  }

  /** @return the template text (it holds field names, never values) */
  @Override
  public String toString() {
    return source;
  }
}
