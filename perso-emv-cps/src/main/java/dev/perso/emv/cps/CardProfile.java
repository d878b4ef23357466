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
import dev.perso.core.TransportException;
import dev.perso.core.ValidationException;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.StatusWord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A card type as data: its applications in personalization order, the secure channel, how each DGI
 * is sent, which DGIs hold KCVs of which key DGIs, STORE DATA conventions, and proprietary commands
 * before and after. Switching card type means switching profile, not code.
 *
 * <pre>{@code
 * CardProfile vsdc = CardProfile.builder("vsdc-example")
 *     .application(ApplicationProfile.application(Bytes.fromHex("A0000000031010"), "VSDC"))
 *     .secureChannel(new SecureChannelProfile(2, 0x55, 0x03, 0x00, "emv"))
 *     .dgi(0x8000, DgiEncryption.ENCRYPTED).dgi(0x8010, DgiEncryption.ENCRYPTED)
 *     .kcv(0x9000, 0x8000)
 *     .build();
 * CardProfile fromFile = CardProfile.load(Path.of("profiles/my-card.json"));
 * CardProfile shipped = CardProfile.example("mchip-example");
 * }</pre>
 *
 * <p>JSON form (every field but {@code name}, {@code applications} and {@code secureChannel} optional):
 * <pre>{@code
 * {"name": "vsdc-example", "description": "...",
 *  "applications": [{"aid": "A0000000031010", "label": "VSDC", "target": "application"}],
 *  "secureChannel": {"scp": "02", "i": "55", "securityLevel": "03", "keyVersion": "00", "diversification": "emv"},
 *  "storeData": {"dgiFormatBit": false},
 *  "defaultDgi": "plaintext",
 *  "dgis": {"8000": "encrypted", "8010": "encrypted", "8201": "encrypted-padded"},
 *  "kcv": {"9000": "8000"},
 *  "preCommands": [{"name": "...", "apdu": "80F0...", "sw": "9000"}], "postCommands": []}
 * }</pre>
 */
public final class CardProfile {
  private static final ObjectMapper JSON = JsonMapper.builder()
      .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build();
  private static final Set<String> FIELDS = Set.of("name", "description", "applications", "secureChannel",
      "storeData", "defaultDgi", "dgis", "kcv", "preCommands", "postCommands");
  private static final Set<String> APPLICATION_FIELDS = Set.of("aid", "label", "target", "securityDomain");
  private static final Set<String> SECURE_CHANNEL_FIELDS = Set.of("scp", "i", "securityLevel", "keyVersion",
      "diversification");
  private static final Set<String> STORE_DATA_FIELDS = Set.of("dgiFormatBit");
  private static final Set<String> COMMAND_FIELDS = Set.of("name", "apdu", "sw");
  private static final Set<String> KCV_FIELDS = Set.of("keys", "keyAlgorithm", "method", "length");

  private final String name;
  private final String description;
  private final List<ApplicationProfile> applications;
  private final SecureChannelProfile secureChannel;
  private final boolean dgiFormatBit;
  private final DgiEncryption defaultDgi;
  private final Map<Integer, DgiEncryption> dgis;
  private final Map<Integer, Integer> kcvDgis;
  private final Map<Integer, KcvRule> kcvRules;
  private final List<ProfileCommand> preCommands;
  private final List<ProfileCommand> postCommands;

  private CardProfile(Builder b) {
    if (b.applications.isEmpty()) {
      throw new ValidationException("profile " + b.name + " applications", "at least one application is needed");
    }
    if (b.secureChannel == null) {
      throw new ValidationException("profile " + b.name + " secureChannel", "is required");
    }
    this.name = b.name;
    this.description = b.description;
    this.applications = List.copyOf(b.applications);
    this.secureChannel = b.secureChannel;
    this.dgiFormatBit = b.dgiFormatBit;
    this.defaultDgi = b.defaultDgi;
    this.dgis = Collections.unmodifiableMap(new TreeMap<>(b.dgis));
    this.kcvRules = Collections.unmodifiableMap(new TreeMap<>(b.kcvRules));
    Map<Integer, Integer> dgis = new TreeMap<>();
    b.kcvRules.forEach((kcv, rule) -> dgis.put(kcv, rule.keyDgi()));
    this.kcvDgis = Collections.unmodifiableMap(dgis);
    this.preCommands = List.copyOf(b.preCommands);
    this.postCommands = List.copyOf(b.postCommands);
  }

  /**
   * @param name the profile's name, as data files refer to it
   * @return a builder
   */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** @return a builder pre-filled with this profile, to derive a variant */
  public Builder newBuilder() {
    Builder b = new Builder(name).description(description).secureChannel(secureChannel).dgiFormatBit(dgiFormatBit)
        .defaultDgi(defaultDgi);
    applications.forEach(b::application);
    dgis.forEach(b::dgi);
    kcvRules.forEach(b::kcv);
    preCommands.forEach(b::preCommand);
    postCommands.forEach(b::postCommand);
    return b;
  }

  /** @return the profile's name */
  public String name() {
    return name;
  }

  /** @return its description */
  public String description() {
    return description;
  }

  /** @return the applications in personalization order */
  public List<ApplicationProfile> applications() {
    return applications;
  }

  /**
   * @param aid an AID
   * @return the application with that AID
   */
  public Optional<ApplicationProfile> application(Bytes aid) {
    return applications.stream().filter(a -> a.aid().equals(aid)).findFirst();
  }

  /** @return the secure channel parameters */
  public SecureChannelProfile secureChannel() {
    return secureChannel;
  }

  /** @return whether STORE DATA P1 carries the DGI-format bits (0x08) */
  public boolean dgiFormatBit() {
    return dgiFormatBit;
  }

  /**
   * @param dgi a DGI
   * @return how it is sent: its own rule, or the default
   */
  public DgiEncryption encryptionOf(int dgi) {
    return dgis.getOrDefault(dgi, defaultDgi);
  }

  /** @return the explicit per-DGI rules */
  public Map<Integer, DgiEncryption> dgiRules() {
    return dgis;
  }

  /** @return KCV DGI to key DGI, e.g. 9000 -> 8000 */
  public Map<Integer, Integer> kcvDgis() {
    return kcvDgis;
  }

  /** @return KCV DGI to how its keys are checked (key algorithm, KCV method and length) */
  public Map<Integer, KcvRule> kcvRules() {
    return kcvRules;
  }

  /** @return commands sent after the secure channel opens, before STORE DATA */
  public List<ProfileCommand> preCommands() {
    return preCommands;
  }

  /** @return commands sent after the last STORE DATA */
  public List<ProfileCommand> postCommands() {
    return postCommands;
  }

  /**
   * Loads a profile from a JSON file.
   *
   * @param file the file
   * @return the profile
   * @throws ValidationException naming the file and field on bad content
   */
  public static CardProfile load(Path file) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8), file.getFileName().toString());
    } catch (IOException e) {
      throw new TransportException("cannot read profile " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Loads one of the shipped example profiles: {@code vsdc-example} or {@code mchip-example}. They are
   * examples of the format, not scheme specifications.
   *
   * @param name the example's name
   * @return the profile
   */
  public static CardProfile example(String name) {
    try (InputStream in = CardProfile.class.getResourceAsStream("profiles/" + name + ".json")) {
      if (in == null) {
        throw new ValidationException("profile", "no example named '" + name + "' (vsdc-example, mchip-example)");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), name + ".json");
    } catch (IOException e) {
      throw new TransportException("cannot read example profile " + name, e);
    }
  }

  /**
   * Parses a profile from JSON text.
   *
   * @param json the text
   * @param source its name for messages
   * @return the profile
   */
  public static CardProfile parse(String json, String source) {
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
    Builder b = builder(text(root, "name", source));
    if (root.has("description")) {
      b.description(text(root, "description", source));
    }
    JsonNode apps = root.path("applications");
    if (!apps.isArray() || apps.isEmpty()) {
      throw new ValidationException(source + " applications", "must be a non-empty array");
    }
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
      switch (target) {
        case "application":
          b.application(new ApplicationProfile(aid, label, ApplicationProfile.Target.APPLICATION, Bytes.empty()));
          break;
        case "security-domain":
          b.application(ApplicationProfile.viaSecurityDomain(aid, label, hex(a, "securityDomain", at)));
          break;
        default:
          throw new ValidationException(at + " target", "must be application or security-domain, was " + target);
      }
    }
    JsonNode sc = root.path("secureChannel");
    if (!sc.isObject()) {
      throw new ValidationException(source + " secureChannel", "is required");
    }
    String at = source + " secureChannel";
    onlyFields(sc, SECURE_CHANNEL_FIELDS, at);
    try {
      b.secureChannel(new SecureChannelProfile(hexByte(sc, "scp", at), hexByte(sc, "i", at), hexByte(sc, "securityLevel", at),
          sc.has("keyVersion") ? hexByte(sc, "keyVersion", at) : 0,
          sc.has("diversification") ? text(sc, "diversification", at) : "none"));
    } catch (ValidationException e) {
      throw e.field().startsWith(source) ? e : new ValidationException(at + " " + e.field(), e.rule());
    }
    JsonNode sd = root.path("storeData");
    if (root.has("storeData")) {
      onlyFields(sd, STORE_DATA_FIELDS, source + " storeData");
    }
    if (sd.has("dgiFormatBit")) {
      if (!sd.get("dgiFormatBit").isBoolean()) {
        throw new ValidationException(source + " storeData.dgiFormatBit", "must be true or false");
      }
      b.dgiFormatBit(sd.get("dgiFormatBit").asBoolean());
    }
    if (root.has("defaultDgi")) {
      b.defaultDgi(rule(text(root, "defaultDgi", source), source + " defaultDgi"));
    }
    for (Map.Entry<String, JsonNode> e : entries(root, "dgis", source)) {
      String f = source + " dgis." + e.getKey();
      b.dgi(dgiId(e.getKey(), f), rule(textValue(e.getValue(), f), f));
    }
    for (Map.Entry<String, JsonNode> e : entries(root, "kcv", source)) {
      String f = source + " kcv." + e.getKey();
      b.kcv(dgiId(e.getKey(), f), kcvRule(e.getValue(), f));
    }
    commands(root.path("preCommands"), source + " preCommands").forEach(b::preCommand);
    commands(root.path("postCommands"), source + " postCommands").forEach(b::postCommand);
    return b.build();
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

  @Override
  public String toString() {
    return "CardProfile " + name + ": " + applications.size() + " application(s), " + secureChannel;
  }

  /** Builds a {@link CardProfile}. */
  public static final class Builder {
    private final String name;
    private String description = "";
    private final List<ApplicationProfile> applications = new ArrayList<>();
    private SecureChannelProfile secureChannel;
    private boolean dgiFormatBit;
    private DgiEncryption defaultDgi = DgiEncryption.PLAINTEXT;
    private final Map<Integer, DgiEncryption> dgis = new LinkedHashMap<>();
    private final Map<Integer, KcvRule> kcvRules = new LinkedHashMap<>();
    private final List<ProfileCommand> preCommands = new ArrayList<>();
    private final List<ProfileCommand> postCommands = new ArrayList<>();

    private Builder(String name) {
      if (name == null || name.isBlank()) {
        throw new ValidationException("name", "a profile needs a name");
      }
      this.name = name;
    }

    /** @param text what the profile is for @return this builder */
    public Builder description(String text) {
      this.description = Objects.requireNonNull(text);
      return this;
    }

    /** @param app an application, personalized in the order added @return this builder */
    public Builder application(ApplicationProfile app) {
      if (applications.stream().anyMatch(a -> a.aid().equals(app.aid()))) {
        throw new ValidationException("applications", "AID " + app.aid().toHex() + " appears twice");
      }
      applications.add(app);
      return this;
    }

    /** @param params the secure channel @return this builder */
    public Builder secureChannel(SecureChannelProfile params) {
      this.secureChannel = Objects.requireNonNull(params);
      return this;
    }

    /** @param set whether STORE DATA P1 carries 0x08 (DGI format) @return this builder */
    public Builder dgiFormatBit(boolean set) {
      this.dgiFormatBit = set;
      return this;
    }

    /** @param rule the rule for DGIs without one of their own (default plaintext) @return this builder */
    public Builder defaultDgi(DgiEncryption rule) {
      this.defaultDgi = Objects.requireNonNull(rule);
      return this;
    }

    /**
     * @param dgi a DGI
     * @param rule how it is sent
     * @return this builder
     */
    public Builder dgi(int dgi, DgiEncryption rule) {
      if (dgi < 0 || dgi > 0xFFFF) {
        throw new ValidationException("dgi", "must be 0000..FFFF");
      }
      dgis.put(dgi, Objects.requireNonNull(rule));
      return this;
    }

    /**
     * @param kcvDgi the DGI holding KCVs, e.g. 0x9000
     * @param keyDgi the DGI holding the keys, e.g. 0x8000
     * @return this builder
     */
    public Builder kcv(int kcvDgi, int keyDgi) {
      return kcv(kcvDgi, KcvRule.tdes(keyDgi));
    }

    /**
     * @param kcvDgi the DGI holding KCVs
     * @param rule the key DGI and how its keys are checked
     * @return this builder
     */
    public Builder kcv(int kcvDgi, KcvRule rule) {
      kcvRules.put(kcvDgi, java.util.Objects.requireNonNull(rule, "rule"));
      return this;
    }

    /** @param command sent before STORE DATA @return this builder */
    public Builder preCommand(ProfileCommand command) {
      preCommands.add(command);
      return this;
    }

    /** @param command sent after the last STORE DATA @return this builder */
    public Builder postCommand(ProfileCommand command) {
      postCommands.add(command);
      return this;
    }

    /** @return the profile */
    public CardProfile build() {
      return new CardProfile(this);
    }
  }
}
