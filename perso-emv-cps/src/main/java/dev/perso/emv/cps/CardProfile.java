package dev.perso.emv.cps;

import dev.perso.core.Bytes;
import dev.perso.core.TransportException;
import dev.perso.core.ValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
   * @throws ValidationException naming the source and the JSON path of the first problem
   */
  public static CardProfile parse(String json, String source) {
    return CardProfileJson.parse(json, source);
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
