package dev.perso.emv.cps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.perso.core.Bytes;
import dev.perso.core.MalformedDataException;
import dev.perso.core.ValidationException;
import dev.perso.crypto.PinBlock;
import dev.perso.core.record.CardRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The codec of a card record's {@code applications} section: an array of applications, each
 * {@code {"aid": hex, "profile": name, "dgis": [{"dgi": "4 hex digits", "data": hex, "kek": name?, "pinBlock": "ISO_1"?}]}},
 * where {@code kek} names the transport key the data is encrypted under and {@code pinBlock} (with
 * {@code kek} only) says the data is one PIN block in that ISO 9564-1 format, to be translated to the
 * card's format 2 block at personalization. Decoding is strict (unknown members are
 * errors; an application or a DGI within one given twice is an error) and messages name the record's
 * location, its card id and the field, never a value.
 *
 * <pre>{@code
 * List<ApplicationData> apps = ApplicationsSection.decode(record);
 *     // ValidationException "batch.jsonl:7 card 0001 applications[0] dgis[2] data: not hex: ..."
 * CardRecord r = CardRecord.builder("0001").section(ApplicationsSection.NAME, ApplicationsSection.encode(apps)).build();
 * }</pre>
 */
public final class ApplicationsSection {
  /** The section's name in card records. */
  public static final String NAME = "applications";

  private static final Set<String> APP_FIELDS = Set.of("aid", "profile", "dgis");
  private static final Set<String> DGI_FIELDS = Set.of("dgi", "data", "kek", "pinBlock");

  private ApplicationsSection() {}

  /**
   * @param record a card record with an {@code applications} section
   * @return its applications, at least one
   * @throws ValidationException naming {@code <location> card <id> applications[i] dgis[j] <field>}
   */
  public static List<ApplicationData> decode(CardRecord record) {
    return decode(record.require(NAME), record.where() + " " + NAME);
  }

  /**
   * @param section the section's JSON
   * @param at where it is, e.g. {@code batch.jsonl:7 card 0001 applications}
   * @return its applications, at least one
   * @throws ValidationException naming {@code at[i] dgis[j] <field>}
   */
  public static List<ApplicationData> decode(JsonNode section, String at) {
    if (section == null || !section.isArray() || section.isEmpty()) {
      throw new ValidationException(at, "must be a non-empty array");
    }
    List<ApplicationData> out = new ArrayList<>();
    for (int i = 0; i < section.size(); i++) {
      ApplicationData a = application(section.get(i), at + "[" + i + "]");
      for (int k = 0; k < out.size(); k++) {
        if (out.get(k).aid().equals(a.aid())) {
          throw new ValidationException(at + "[" + i + "] aid", "application " + a.aid().toHex()
              + " is given twice (first as " + NAME + "[" + k + "])");
        }
      }
      out.add(a);
    }
    return List.copyOf(out);
  }

  /**
   * The inverse of {@link #decode(JsonNode, String)}.
   *
   * @param applications the applications
   * @return the section's JSON array
   */
  public static JsonNode encode(List<ApplicationData> applications) {
    ArrayNode apps = JsonNodeFactory.instance.arrayNode();
    for (ApplicationData a : applications) {
      ObjectNode app = apps.addObject();
      app.put("aid", a.aid().toHex());
      app.put("profile", a.profile());
      ArrayNode dgis = app.putArray("dgis");
      for (InputDgi d : a.dgis()) {
        ObjectNode dn = dgis.addObject();
        dn.put("dgi", d.dgi().idHex());
        dn.put("data", d.dgi().value().toHex());
        d.transportKey().ifPresent(k -> dn.put("kek", k));
        d.pinBlockFormat().ifPresent(f -> dn.put("pinBlock", f.name()));
      }
    }
    return apps;
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
      Dgi dgi;
      try {
        dgi = Dgi.of(id.getUnsigned(0) << 8 | id.getUnsigned(1), hex(d, "data", dat));
      } catch (ValidationException e) {
        throw new ValidationException(dat + " data", e.rule());
      }
      if (d.has("pinBlock")) {
        if (!d.has("kek")) {
          throw new ValidationException(dat + " pinBlock", "needs the kek the PIN block is encrypted under");
        }
        String format = text(d, "pinBlock", dat);
        PinBlock.Format f = Arrays.stream(PinBlock.Format.values()).filter(v -> v.name().equals(format)).findFirst()
            .orElseThrow(() -> new ValidationException(dat + " pinBlock", "must be one of "
                + Arrays.toString(PinBlock.Format.values())));
        try {
          out.add(InputDgi.pinBlockUnderKek(dgi, f, text(d, "kek", dat)));
        } catch (ValidationException e) {
          throw new ValidationException(dat + " pinBlock", e.rule());
        }
      } else {
        out.add(d.has("kek") ? InputDgi.underKek(dgi, text(d, "kek", dat)) : InputDgi.clear(dgi));
      }
    }
    try {
      return new ApplicationData(aid, profile, out);
    } catch (ValidationException e) {
      throw new ValidationException(at + " " + e.field(), e.rule());
    }
  }

  private static void checkFields(JsonNode node, Set<String> allowed, String at) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        throw new ValidationException(at + " " + f, "unknown field (allowed: " + new TreeSet<>(allowed) + ")");
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
}
