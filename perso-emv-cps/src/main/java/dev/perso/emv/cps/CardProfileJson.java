package dev.perso.emv.cps;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import dev.perso.crypto.KcvMethod;
import dev.perso.crypto.KeyAlgorithm;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.perso.core.Bytes;
import dev.perso.core.MalformedDataException;
import dev.perso.core.ValidationException;
import dev.perso.gp.ScpVersion;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.StatusWord;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The JSON form of a {@link CardProfile}: strict at every depth (a misspelt member is an error naming the
 * file and the path), with the secure channel, DGI rules and KCV rules resolved when the profile loads.
 */
final class CardProfileJson {
  private static final ObjectMapper JSON = JsonMapper.builder()
      .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build();
  private static final Set<String> FIELDS = Set.of("name", "description", "applications", "secureChannel",
      "storeData", "defaultDgi", "dgis", "kcv", "preCommands", "postCommands");
  /** The members of the DGI rules, at the profile's top level or an application's own. */
  private static final Set<String> DGI_RULE_FIELDS = Set.of("storeData", "defaultDgi", "dgis", "kcv");
  private static final Set<String> APPLICATION_FIELDS = Set.of("aid", "label", "target", "securityDomain",
      "secureChannel", "storeData", "defaultDgi", "dgis", "kcv");
  private static final Set<String> SECURE_CHANNEL_FIELDS = Set.of("scp", "i", "securityLevel", "keyVersion",
      "diversification");
  private static final Set<String> STORE_DATA_FIELDS = Set.of("dgiFormatBit");
  private static final Set<String> COMMAND_FIELDS = Set.of("name", "apdu", "sw");
  private static final Set<String> KCV_FIELDS = Set.of("keys", "keyAlgorithm", "method", "length");

  private CardProfileJson() {}

  /**
   * Parses a profile from JSON text.
   *
   * @param json the text
   * @param source its name for messages
   * @return the profile
   */
  static CardProfile parse(String json, String source) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new ValidationException(source, "not valid JSON"
          + (e.getLocation() != null ? " at line " + e.getLocation().getLineNr() : ""));
    }
    if (root == null || !root.isObject()) {
      throw new ValidationException(source, "a profile must be a JSON object");
    }
    onlyFields(root, FIELDS, source);
    CardProfile.Builder b = CardProfile.builder(text(root, "name", source));
    if (root.has("description")) {
      b.description(text(root, "description", source));
    }
    JsonNode apps = root.path("applications");
    if (!apps.isArray() || apps.isEmpty()) {
      throw new ValidationException(source + " applications", "must be a non-empty array");
    }
    if (!root.path("secureChannel").isObject()) {
      throw new ValidationException(source + " secureChannel", "is required");
    }
    b.secureChannel(secureChannel(root.path("secureChannel"), source + " secureChannel", source));
    DgiRules card = dgiRules(root, source, DgiRules.builder());
    b.dgiRules(card);
    for (int i = 0; i < apps.size(); i++) {
      String at = source + " applications[" + i + "]";
      JsonNode a = apps.get(i);
      onlyFields(a, APPLICATION_FIELDS, at);
      if (!"security-domain".equals(a.path("target").asText()) && a.has("securityDomain")) {
        throw new ValidationException(at + " securityDomain", "is only for target security-domain");
      }
      Bytes aid = hex(a, "aid", at);
      String label = a.has("label") ? text(a, "label", at) : null;
      String target = a.has("target") ? text(a, "target", at) : "application";
      ApplicationProfile app;
      switch (target) {
        case "application":
          app = new ApplicationProfile(aid, label, ApplicationProfile.Target.APPLICATION, Bytes.empty());
          break;
        case "security-domain":
          app = ApplicationProfile.viaSecurityDomain(aid, label, hex(a, "securityDomain", at));
          break;
        default:
          throw new ValidationException(at + " target", "must be application or security-domain, was " + target);
      }
      if (a.has("secureChannel")) {
        app = app.withSecureChannel(secureChannel(a.get("secureChannel"), at + " secureChannel", source));
      }
      if (DGI_RULE_FIELDS.stream().anyMatch(a::has)) {
        // a member the application leaves out is the card's; one it gives replaces the card's
        app = app.withDgiRules(dgiRules(a, at, card.toBuilder()));
      }
      b.application(app);
    }
    commands(root.path("preCommands"), source + " preCommands").forEach(b::preCommand);
    commands(root.path("postCommands"), source + " postCommands").forEach(b::postCommand);
    return b.build();
  }

  private static SecureChannelProfile secureChannel(JsonNode sc, String at, String source) {
    onlyFields(sc, SECURE_CHANNEL_FIELDS, at);
    try {
      return new SecureChannelProfile(ScpVersion.of(hexByte(sc, "scp", at), hexByte(sc, "i", at)),
          hexByte(sc, "securityLevel", at),
          sc.has("keyVersion") ? hexByte(sc, "keyVersion", at) : 0,
          sc.has("diversification") ? text(sc, "diversification", at) : "none");
    } catch (ValidationException e) {
      throw e.field().startsWith(source) ? e : new ValidationException(at + " " + e.field(), e.rule());
    }
  }

  /**
   * The DGI rule members of the profile or of one application ({@code at} names which): {@code storeData},
   * {@code defaultDgi}, {@code dgis}, {@code kcv}; a member given replaces what {@code into} holds.
   */
  private static DgiRules dgiRules(JsonNode node, String at, DgiRules.Builder into) {
    JsonNode sd = node.path("storeData");
    if (node.has("storeData")) {
      onlyFields(sd, STORE_DATA_FIELDS, at + " storeData");
    }
    if (sd.has("dgiFormatBit")) {
      if (!sd.get("dgiFormatBit").isBoolean()) {
        throw new ValidationException(at + " storeData.dgiFormatBit", "must be true or false");
      }
      into.dgiFormatBit(sd.get("dgiFormatBit").asBoolean());
    }
    if (node.has("defaultDgi")) {
      into.defaultDgi(rule(text(node, "defaultDgi", at), at + " defaultDgi"));
    }
    if (node.has("dgis")) {
      into.clearDgis();
    }
    for (Map.Entry<String, JsonNode> e : entries(node, "dgis", at)) {
      String f = at + " dgis." + e.getKey();
      into.dgi(dgiId(e.getKey(), f), rule(textValue(e.getValue(), f), f));
    }
    if (node.has("kcv")) {
      into.clearKcvs();
    }
    for (Map.Entry<String, JsonNode> e : entries(node, "kcv", at)) {
      String f = at + " kcv." + e.getKey();
      into.kcv(dgiId(e.getKey(), f), kcvRule(e.getValue(), f));
    }
    return into.build();
  }

  private static List<Map.Entry<String, JsonNode>> entries(JsonNode root, String field, String source) {
    List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
    if (!root.has(field)) {
      return out;
    }
    JsonNode obj = root.get(field);
    if (!obj.isObject()) {
      throw new ValidationException(source + " " + field, "must be an object");
    }
    obj.fields().forEachRemaining(out::add);
    return out;
  }

  /** {@code "8000"} (TDES 2-key, encrypt zeros, 3 bytes) or {@code {"keys": "8000", "keyAlgorithm": .., "method": .., "length": ..}}. */
  private static KcvRule kcvRule(JsonNode v, String field) {
    if (v.isTextual()) {
      return KcvRule.tdes(dgiId(v.asText(), field));
    }
    onlyFields(v, KCV_FIELDS, field);
    int keys = dgiId(text(v, "keys", field), field + " keys");
    KeyAlgorithm alg = v.has("keyAlgorithm") ? named(KeyAlgorithm.class, text(v, "keyAlgorithm", field), field + " keyAlgorithm")
        : KeyAlgorithm.TDES_2KEY;
    KcvMethod method = v.has("method") ? named(KcvMethod.class, text(v, "method", field), field + " method")
        : KcvMethod.ENCRYPT_ZEROS;
    if (v.has("length") && !v.get("length").canConvertToInt()) {
      throw new ValidationException(field + " length", "must be a number");
    }
    int length = v.has("length") ? v.get("length").asInt() : method.defaultLength();
    try {
      return new KcvRule(keys, alg, method, length);
    } catch (ValidationException e) {
      throw new ValidationException(field + " " + e.field().replace("kcv ", ""), e.rule());
    }
  }

  private static <E extends Enum<E>> E named(Class<E> type, String text, String field) {
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(text)) {
        return e;
      }
    }
    throw new ValidationException(field, "must be one of " + java.util.Arrays.toString(type.getEnumConstants()) + ", was " + text);
  }

  private static String textValue(JsonNode v, String field) {
    if (!v.isTextual()) {
      throw new ValidationException(field, "must be a string");
    }
    return v.asText();
  }

  /** Strict profiles: a misspelt member ({@code keyVerison}, {@code traget}) is an error naming its path. */
  private static void onlyFields(JsonNode node, Set<String> allowed, String at) {
    if (!node.isObject()) {
      throw new ValidationException(at, "must be an object");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        throw new ValidationException(at + " " + f, "unknown field (allowed: " + new java.util.TreeSet<>(allowed) + ")");
      }
    }
  }

  private static List<ProfileCommand> commands(JsonNode arr, String at) {
    List<ProfileCommand> out = new ArrayList<>();
    if (!arr.isMissingNode() && !arr.isArray()) {
      throw new ValidationException(at, "must be an array");
    }
    for (int i = 0; i < arr.size(); i++) {
      JsonNode c = arr.get(i);
      String a = at + "[" + i + "]";
      onlyFields(c, COMMAND_FIELDS, a);
      CommandApdu apdu;
      try {
        apdu = CommandApdu.parse(hex(c, "apdu", a));
      } catch (MalformedDataException e) {
        throw new ValidationException(a + " apdu", e.getMessage());
      }
      Bytes sw = c.has("sw") ? hex(c, "sw", a) : Bytes.fromHex("9000");
      if (sw.length() != 2) {
        throw new ValidationException(a + " sw", "must be 4 hex digits");
      }
      out.add(new ProfileCommand(c.has("name") ? text(c, "name", a) : "command " + (i + 1), apdu,
          StatusWord.of(sw.getUnsigned(0), sw.getUnsigned(1))));
    }
    return out;
  }

  private static DgiEncryption rule(String text, String field) {
    switch (text.toLowerCase(Locale.ROOT)) {
      case "plaintext":
        return DgiEncryption.PLAINTEXT;
      case "encrypted":
        return DgiEncryption.ENCRYPTED;
      case "encrypted-padded":
        return DgiEncryption.ENCRYPTED_PADDED;
      case "encrypted-pad-if-needed":
        return DgiEncryption.ENCRYPTED_PAD_IF_NEEDED;
      default:
        throw new ValidationException(field, "must be plaintext, encrypted, encrypted-padded or encrypted-pad-if-needed, was " + text);
    }
  }

  private static int dgiId(String hex, String field) {
    if (!hex.matches("[0-9A-Fa-f]{4}")) {
      throw new ValidationException(field, "a DGI is 4 hex digits, was '" + hex + "'");
    }
    return Integer.parseInt(hex, 16);
  }

  private static String text(JsonNode node, String field, String at) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new ValidationException(at + " " + field, "is required as a non-blank string");
    }
    return v.asText();
  }

  private static Bytes hex(JsonNode node, String field, String at) {
    try {
      return Bytes.fromHex(text(node, field, at));
    } catch (MalformedDataException e) {
      throw new ValidationException(at + " " + field, "not hex: " + e.reason());
    }
  }

  private static int hexByte(JsonNode node, String field, String at) {
    Bytes b = hex(node, field, at);
    if (b.length() != 1) {
      throw new ValidationException(at + " " + field, "must be one byte in hex, e.g. \"03\"");
    }
    return b.getUnsigned(0);
  }
}
