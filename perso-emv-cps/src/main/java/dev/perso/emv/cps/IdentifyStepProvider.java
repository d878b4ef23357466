package dev.perso.emv.cps;

import com.fasterxml.jackson.databind.JsonNode;
import dev.perso.core.ValidationException;
import dev.perso.core.device.DeviceRole;
import dev.perso.core.step.CardIdentifier;
import dev.perso.core.surface.Side;
import dev.perso.core.step.CardTypes;
import dev.perso.core.step.IdentifyStep;
import dev.perso.core.step.PersoStep;
import dev.perso.core.step.PreviousStage;
import dev.perso.core.step.StepEnvironment;
import dev.perso.core.step.StepProvider;
import dev.perso.core.Bytes;
import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.KeyLookup;
import dev.perso.crypto.KeyRef;
import dev.perso.crypto.KeyUsage;
import dev.perso.crypto.MacAlgorithm;
import dev.perso.crypto.Padding;
import dev.perso.gp.Cplc;
import java.util.List;
import java.util.Set;

/**
 * Builds the {@link IdentifyStep}s that tie a physical card to its record across the stages of a job, from
 * card-type files. An earlier stage remembers an identifier it reads from the card; a later stage reads it
 * again and finds the record in the earlier stage's journal, or trusts the feed order with a count check.
 * The earlier stage comes from the environment's {@link PreviousStage} (the application opens its journal:
 * the file holds no connection details); without one, a later stage's step fails when it gets ready, not
 * when the file loads, so the same file serves every stage.
 *
 * <pre>{@code
 * {"type": "identify", "remember": "chip-serial", "by": "chip-cplc-serial"}   // step remember-chip-serial
 * {"type": "identify", "output": "chip-serial", "by": "chip-cplc-serial"}     // step identify-chip-serial
 * {"type": "identify", "output": "card-ref", "by": "stripe-pan-mac", "key": "id-mac"} // step identify-card-ref
 * {"type": "identify", "by": "feed-order", "at": "magstripe-encoder"}         // step identify-feed-order
 * {"type": "identify", "output": "card-id", "by": "printed-code", "side": "back", "symbology": "QR_CODE"}
 * }</pre>
 *
 * <p>Members: {@code by} (required): where the identifier comes from, one of
 * <ul>
 *   <li>{@code chip-cplc-serial}: the chip's CPLC (GET DATA 9F7F after selecting the Issuer Security Domain,
 *       {@link Cplc#read}), as IC fabricator, IC type, IC batch identifier and IC serial number
 *       ({@link Cplc#icSerialId}); read at a {@code chip-station};</li>
 *   <li>{@code stripe-pan-mac}: a keyed digest of the card number on track 2, never the number itself: the
 *       first 8 bytes of the AES or TDES CMAC (NIST SP 800-38B) of the PAN's ASCII digits under the MAC key
 *       {@code key} names (a label the environment's {@link KeyLookup} resolves, usage MAC), hex. Without the
 *       key it cannot be turned back into the PAN (an unkeyed or salted hash could: a PAN has few unknown
 *       digits). Read at a {@code magstripe-encoder};</li>
 *   <li>{@code printed-code}: the text of a code printed or engraved on the card ({@link CardIdentifier#printed}),
 *       read at a {@code code-scanner}; {@code side} ({@code front} or {@code back}, default {@code front})
 *       and {@code symbology} (a ZXing format name, default {@code QR_CODE}) say which code. The code carries
 *       an identifier such as the record id ({@code "text": "{id}"} in the surface layout), never the PAN;</li>
 *   <li>{@code feed-order}: no identifier: the cards come in the order of the input, as many as the earlier
 *       stage issued ({@link PreviousStage#cardsLoaded()} is checked against it); {@code at} names the device
 *       role of the station the check runs at (the stage's first).</li>
 * </ul>
 * {@code key} (stripe-pan-mac only), and exactly one of {@code remember} (the output name an earlier stage leaves) or {@code output} (the
 * output name a later stage identifies by), both 1 to 64 letters, digits, {@code .}, {@code -} or
 * {@code _}, for every source but {@code feed-order}, which takes neither.
 */
public final class IdentifyStepProvider implements StepProvider {
  /** The step type in card-type files. */
  public static final String TYPE = "identify";
  /** The identifier sources {@code by} names. */
  static final List<String> SOURCES = List.of("chip-cplc-serial", "stripe-pan-mac", "printed-code",
      "feed-order");

  /** The chip's CPLC identity, {@code ""} when the chip has no CPLC. */
  static final CardIdentifier CHIP_CPLC_SERIAL = CardIdentifier.chip(ch -> Cplc.read(ch).map(Cplc::icSerialId)
      .orElse(""));

  /** For {@link java.util.ServiceLoader}. */
  public IdentifyStepProvider() {}

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public PersoStep create(JsonNode config, String at, StepEnvironment env) {
    CardTypes.requireOnly(config, at, Set.of("by", "remember", "output", "at", "key", "side", "symbology"));
    String by = text(config, "by", at);
    PreviousStage previous = env.service(PreviousStage.class).orElse(PreviousStage.notGiven());
    if (by.equals("feed-order")) {
      for (String m : List.of("remember", "output")) {
        if (config.has(m)) {
          throw new ValidationException(at + "." + m, "identification by feed-order reads no identifier:"
              + " leave out '" + m + "'");
        }
      }
      String role = text(config, "at", at);
      try {
        return IdentifyStep.feedOrder(previous, DeviceRole.named(role));
      } catch (ValidationException e) {
        throw new ValidationException(at + ".at", e.rule());
      }
    }
    if (config.has("at")) {
      throw new ValidationException(at + ".at", "only identification by feed-order names a station role: '"
          + by + "' reads the card at its own");
    }
    if (config.has("key") && !by.equals("stripe-pan-mac")) {
      throw new ValidationException(at + ".key", "only identification by stripe-pan-mac takes a key");
    }
    for (String m : List.of("side", "symbology")) {
      if (config.has(m) && !by.equals("printed-code")) {
        throw new ValidationException(at + "." + m, "only identification by printed-code takes a " + m);
      }
    }
    CardIdentifier identifier = identifier(by, config, at, env);
    boolean remember = config.has("remember");
    if (remember == config.has("output")) {
      throw new ValidationException(at, "needs exactly one of 'remember' (an earlier stage leaves the identifier)"
          + " or 'output' (a later stage identifies the card by it)");
    }
    String output = text(config, remember ? "remember" : "output", at);
    try {
      return remember ? IdentifyStep.remember(output, identifier)
          : IdentifyStep.byOutput(previous, output, identifier);
    } catch (ValidationException e) {
      throw new ValidationException(at + "." + (remember ? "remember" : "output"), e.rule());
    }
  }

  /** One case per identifier source: a new source is one more case (and one more name in SOURCES). */
  private static CardIdentifier identifier(String by, JsonNode config, String at, StepEnvironment env) {
    return switch (by) {
      case "chip-cplc-serial" -> CHIP_CPLC_SERIAL;
      case "stripe-pan-mac" -> stripePanMac(env.require(CryptoBackend.class),
          env.require(KeyLookup.class).require(text(config, "key", at), at + ".key", KeyUsage.MAC));
      case "printed-code" -> printedCode(config, at);
      default -> throw new ValidationException(at + ".by", "unknown identifier source '" + by + "' (known: "
          + SOURCES + ")");
    };
  }

  /**
   * The first 8 bytes of the CMAC of the track 2 PAN's ASCII digits, hex; {@code ""} when track 2 holds no PAN.
   *
   * @param crypto the backend the MAC is computed by
   * @param key the MAC key
   * @return the identifier
   */
  static CardIdentifier stripePanMac(CryptoBackend crypto, KeyRef key) {
    return CardIdentifier.stripe(stripe -> {
      Bytes track2 = stripe.tracks().get(2);
      if (track2 == null) {
        return "";
      }
      int end = 0;
      while (end < track2.length() && track2.getUnsigned(end) >= '0' && track2.getUnsigned(end) <= '9') {
        end++;
      }
      if (end < 12 || end > 19 || end == track2.length() || track2.getUnsigned(end) != '=') {
        return ""; // no PAN (12..19 digits, then the field separator, ISO/IEC 7813 track 2)
      }
      return crypto.mac(key, MacAlgorithm.CMAC, Padding.NONE, track2.slice(0, end)).slice(0, 8).toHex();
    });
  }

  /** A code on the card's {@code side} (default front) of {@code symbology} (default QR_CODE). */
  private static CardIdentifier printedCode(JsonNode config, String at) {
    String sideName = config.has("side") ? text(config, "side", at) : "front";
    Side side = switch (sideName) {
      case "front" -> Side.FRONT;
      case "back" -> Side.BACK;
      default -> throw new ValidationException(at + ".side", "is 'front' or 'back', not '" + sideName + "'");
    };
    String symbology = config.has("symbology") ? text(config, "symbology", at) : "QR_CODE";
    try {
      return CardIdentifier.printed(side, symbology);
    } catch (ValidationException e) {
      throw new ValidationException(at + ".symbology", e.rule());
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
