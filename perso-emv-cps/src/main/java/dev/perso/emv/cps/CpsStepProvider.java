package dev.perso.emv.cps;

import com.fasterxml.jackson.databind.JsonNode;
import dev.perso.core.Bytes;
import dev.perso.core.PersoException;
import dev.perso.core.ValidationException;
import dev.perso.core.step.CardTypes;
import dev.perso.core.step.PersoStep;
import dev.perso.core.step.StepEnvironment;
import dev.perso.core.step.StepProvider;
import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.KeyLookup;
import dev.perso.crypto.KeyRef;
import dev.perso.crypto.KeyUsage;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Builds {@link CpsStep}s from card-type files. Keys are named by label and resolved through the
 * environment's {@link KeyLookup}; the environment also gives the {@link CryptoBackend}.
 *
 * <pre>{@code
 * {"type": "emv-cps", "profile": "vsdc-example", "kmc": "demo-kmc",
 *  "transportKeys": {"transport-kek": "demo-kek"}, "verify": true, "imkAc": "demo-imk-ac"}
 * }</pre>
 *
 * <p>Members: {@code profile} (the name of a shipped example profile, or a JSON file path ending in
 * {@code .json}, relative to the environment's base folder), {@code kmc} (label, required),
 * {@code transportKeys} (the names records use in {@code kek} to key labels), {@code verify} (boolean,
 * default false) with {@code imkAc} (label, required when verifying), {@code keyVersion} (0..255, overrides
 * the profile's INITIALIZE UPDATE key version), {@code name} (the step's name, default {@code emv-cps}) and
 * {@code cardManagement} (GlobalPlatform installs, key rotation, final life cycle: see {@link CardManagement})
 * and {@code applications} (per AID of the profile: {@code kmc}, the key label of the Security Domain of an
 * application with a secure channel of its own, and {@code imkAc}, its issuer key for verification):
 *
 * <pre>{@code
 * {"type": "emv-cps", "profile": "two-app-example", "kmc": "isd-kmc", "verify": true, "imkAc": "debit-imk-ac",
 *  "applications": {"A0000000041010": {"kmc": "ssd-kmc-aes", "imkAc": "credit-imk-ac"}}}
 * }</pre>
 */
public final class CpsStepProvider implements StepProvider {
  private static final Set<String> MEMBERS = Set.of("name", "profile", "kmc", "transportKeys", "verify", "imkAc",
      "keyVersion", "cardManagement", "applications");
  private static final Set<String> APPLICATION_MEMBERS = Set.of("kmc", "imkAc");

  /** For {@link java.util.ServiceLoader}. */
  public CpsStepProvider() {}

  @Override
  public String type() {
    return CpsStep.TYPE;
  }

  @Override
  public PersoStep create(JsonNode config, String at, StepEnvironment env) {
    CardTypes.requireOnly(config, at, MEMBERS);
    CardProfile profile = profile(text(config, "profile", at), at + ".profile", env);
    if (config.has("keyVersion")) {
      JsonNode v = config.get("keyVersion");
      if (!v.isInt() || v.asInt() < 0 || v.asInt() > 255) {
        throw new ValidationException(at + ".keyVersion", "must be an integer 0..255");
      }
      SecureChannelProfile sc = profile.secureChannel();
      profile = profile.newBuilder().secureChannel(sc.withKeyVersion(v.asInt())).build();
    }
    CryptoBackend crypto = env.require(CryptoBackend.class);
    KeyLookup keys = env.require(KeyLookup.class);
    KeyRef kmc = keys.require(text(config, "kmc", at), at + ".kmc", KeyUsage.KMC);
    CpsStep.Builder b = CpsStep.builder(crypto, profile, kmc);
    if (config.has("name")) {
      b.name(text(config, "name", at));
    }
    JsonNode tks = config.get("transportKeys");
    if (tks != null) {
      if (!tks.isObject()) {
        throw new ValidationException(at + ".transportKeys", "must be an object of key name to key label");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = tks.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String field = at + ".transportKeys." + e.getKey();
        if (!e.getValue().isTextual() || e.getValue().asText().isBlank()) {
          throw new ValidationException(field, "must be a key label (a non-blank string)");
        }
        b.transportKey(e.getKey(), keys.require(e.getValue().asText(), field, KeyUsage.KEK));
      }
    }
    JsonNode verify = config.get("verify");
    if (verify != null && !verify.isBoolean()) {
      throw new ValidationException(at + ".verify", "must be true or false");
    }
    boolean verifying = verify != null && verify.asBoolean();
    if (verifying) {
      b.verifyWith(keys.require(text(config, "imkAc", at), at + ".imkAc", KeyUsage.IMK_AC));
    } else if (config.has("imkAc")) {
      throw new ValidationException(at + ".imkAc", "is only used with \"verify\": true");
    }
    JsonNode apps = config.get("applications");
    if (apps != null) {
      if (!apps.isObject()) {
        throw new ValidationException(at + ".applications", "must be an object of AID to its keys");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = apps.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String field = at + ".applications." + e.getKey();
        Bytes aid;
        try {
          aid = Bytes.fromHex(e.getKey());
        } catch (PersoException ex) {
          throw new ValidationException(field, "is not an AID in hex");
        }
        if (profile.application(aid).isEmpty()) {
          throw new ValidationException(field, "is not an application of profile " + profile.name());
        }
        if (!e.getValue().isObject() || e.getValue().has("type")) {
          throw new ValidationException(field, "must be an object with kmc and/or imkAc");
        }
        CardTypes.requireOnly(e.getValue(), field, APPLICATION_MEMBERS);
        if (e.getValue().has("kmc")) {
          b.applicationKmc(aid, keys.require(text(e.getValue(), "kmc", field), field + ".kmc", KeyUsage.KMC));
        }
        if (e.getValue().has("imkAc")) {
          if (!verifying) {
            throw new ValidationException(field + ".imkAc", "is only used with \"verify\": true");
          }
          b.verifyWith(aid, keys.require(text(e.getValue(), "imkAc", field), field + ".imkAc", KeyUsage.IMK_AC));
        }
      }
    }
    if (config.has("cardManagement")) {
      b.cardManagement(CardManagement.fromJson(config.get("cardManagement"), at + ".cardManagement", keys,
          profile.secureChannel().diversification()));
    }
    return b.build();
  }

  /**
   * Resolves a profile as card types and the CLI name it: a {@code .json} path (relative to the base
   * folder), else a shipped example's name.
   *
   * @param value the name or path
   * @param field where it was written, for errors
   * @param env the base folder
   * @return the profile
   * @throws ValidationException naming the field
   */
  static CardProfile profile(String value, String field, StepEnvironment env) {
    try {
      if (value.endsWith(".json")) {
        return CardProfile.load(env.baseDir().resolve(Path.of(value)));
      }
      return CardProfile.example(value);
    } catch (ValidationException e) {
      throw new ValidationException(field, e.field() + ": " + e.rule());
    } catch (PersoException e) {
      throw new ValidationException(field, e.getMessage());
    }
  }

  private static String text(JsonNode config, String member, String at) {
    JsonNode v = config.get(member);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new ValidationException(at + "." + member, "is required (a non-blank string)");
    }
    return v.asText();
  }
}
