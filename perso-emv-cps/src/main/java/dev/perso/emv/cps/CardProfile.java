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
 *     .secureChannel(SecureChannelProfile.of(ScpVersion.of(2, 0x55), 0x03, 0x00, "emv"))
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
 *
 * <p>Per-application rules: an application may carry its own {@code secureChannel} (its Security Domain's
 * SCP, "i", level, key version and diversification; its keys come from its own KMC) and its own
 * {@code storeData}, {@code defaultDgi}, {@code dgis} and {@code kcv}. A member the application gives
 * replaces the card's for that application (a {@code dgis} table is replaced whole, not merged); one it
 * leaves out is the card's. {@link #forApplication} gives the rules one application is personalized under.
 * <pre>{@code
 *  "applications": [
 *    {"aid": "A0000000031010", "target": "application"},
 *    {"aid": "A0000000041010", "target": "security-domain", "securityDomain": "A000000151535344",
 *     "secureChannel": {"scp": "03", "i": "70", "securityLevel": "03", "keyVersion": "30", "diversification": "kdf3"},
 *     "storeData": {"dgiFormatBit": true}, "dgis": {"8000": "encrypted"}}]
 * }</pre>
 */
public final class CardProfile {
  private final String name;
  private final String description;
  private final List<ApplicationProfile> applications;
  private final SecureChannelProfile secureChannel;
  private final DgiRules dgiRules;
  private final Map<Bytes, CardProfile> perApplication;
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
    this.dgiRules = b.dgiRules.build();
    this.preCommands = List.copyOf(b.preCommands);
    this.postCommands = List.copyOf(b.postCommands);
    Map<Bytes, CardProfile> own = new LinkedHashMap<>();
    for (ApplicationProfile app : applications) {
      if (app.hasOwnRules()) {
        // the application's rules become the card-level ones of a one-application profile
        Builder one = new Builder(name).description(description)
            .secureChannel(app.secureChannel().orElse(secureChannel))
            .dgiRules(app.dgiRules().orElse(dgiRules)).application(app.withoutOwnRules());
        preCommands.forEach(one::preCommand);
        postCommands.forEach(one::postCommand);
        own.put(app.aid(), one.build());
      }
    }
    this.perApplication = Collections.unmodifiableMap(own);
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
    Builder b = new Builder(name).description(description).secureChannel(secureChannel).dgiRules(dgiRules);
    applications.forEach(b::application);
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

  /**
   * The rules one application is personalized under: this profile when the application has no secure
   * channel or DGI rules of its own, else a one-application profile of the same name whose secure
   * channel and DGI rules are the application's (the card's where it has none of one kind), with the
   * card's pre- and post-commands.
   *
   * <pre>{@code
   * CardProfile rules = card.forApplication(Bytes.fromHex("A0000000041010"));
   * rules.secureChannel();         // the application's own SCP03, or the card's
   * rules.encryptionOf(0x8000);    // from the application's DGI table, or the card's
   * }</pre>
   *
   * @param aid one of this profile's applications
   * @return the profile whose card-level rules are that application's
   * @throws ValidationException if the AID is not one of this profile's applications
   */
  public CardProfile forApplication(Bytes aid) {
    CardProfile own = perApplication.get(aid);
    if (own != null) {
      return own;
    }
    if (application(aid).isEmpty()) {
      throw new ValidationException("profile " + name + " application " + aid.toHex(), "not in the profile");
    }
    return this;
  }

  /** @return the card's secure channel parameters (an application may have its own: {@link #forApplication}) */
  public SecureChannelProfile secureChannel() {
    return secureChannel;
  }

  /** @return the card's DGI rules (an application may have its own: {@link #forApplication}) */
  public DgiRules dgiRules() {
    return dgiRules;
  }

  /** @return whether STORE DATA P1 carries the DGI-format bits (0x08) */
  public boolean dgiFormatBit() {
    return dgiRules.dgiFormatBit();
  }

  /**
   * @param dgi a DGI
   * @return how it is sent: its own rule, or the default
   */
  public DgiEncryption encryptionOf(int dgi) {
    return dgiRules.encryptionOf(dgi);
  }

  /** @return KCV DGI to key DGI, e.g. 9000 -> 8000 */
  public Map<Integer, Integer> kcvDgis() {
    return dgiRules.kcvDgis();
  }

  /** @return KCV DGI to how its keys are checked (key algorithm, KCV method and length) */
  public Map<Integer, KcvRule> kcvRules() {
    return dgiRules.kcvRules();
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
   * Loads one of the shipped example profiles: {@code vsdc-example}, {@code mchip-example} or
   * {@code two-app-example} (a VSDC-style application under the ISD's SCP02 and an M/Chip-style one in its
   * own Security Domain under SCP03). They are examples of the format, not scheme specifications.
   *
   * @param name the example's name
   * @return the profile
   */
  public static CardProfile example(String name) {
    try (InputStream in = CardProfile.class.getResourceAsStream("profiles/" + name + ".json")) {
      if (in == null) {
        throw new ValidationException("profile", "no example named '" + name + "' (vsdc-example, mchip-example, two-app-example)");
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
    private DgiRules.Builder dgiRules = DgiRules.builder();
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

    /**
     * @param rules the card's DGI rules, replacing those given so far
     * @return this builder
     */
    public Builder dgiRules(DgiRules rules) {
      this.dgiRules = rules.toBuilder();
      return this;
    }

    /** @param set whether STORE DATA P1 carries 0x08 (DGI format) @return this builder */
    public Builder dgiFormatBit(boolean set) {
      dgiRules.dgiFormatBit(set);
      return this;
    }

    /** @param rule the rule for DGIs without one of their own (default plaintext) @return this builder */
    public Builder defaultDgi(DgiEncryption rule) {
      dgiRules.defaultDgi(rule);
      return this;
    }

    /**
     * @param dgi a DGI
     * @param rule how it is sent
     * @return this builder
     */
    public Builder dgi(int dgi, DgiEncryption rule) {
      dgiRules.dgi(dgi, rule);
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
      dgiRules.kcv(kcvDgi, rule);
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
