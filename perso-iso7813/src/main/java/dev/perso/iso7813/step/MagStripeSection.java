package dev.perso.iso7813.step;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.perso.core.ValidationException;
import dev.perso.core.record.CardRecord;
import dev.perso.iso7813.StripeRecord;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The codec of a card record's {@code magstripe} section: a JSON object of text fields from which an
 * issuer layout builds the tracks. Decoding is strict; messages name {@code <location> magstripe.<field>}
 * and never a value. Secret: {@code toString} prints only which fields are present.
 *
 * <pre>{@code
 * {"pan":"4761739001010010","name":"CARDMEMBER/TEST","expiry":"2912","serviceCode":"201","pvki":"1","pvv":"4021"}
 *
 * MagStripeSection s = MagStripeSection.decode(record, true);
 * JsonNode json = MagStripeSection.encode(stripeRecord, pvv);   // for data preparation
 * }</pre>
 *
 * <p>Fields: {@code pan} (required), {@code name} (track 1 name text {@code SURNAME/FIRST.TITLE}; without
 * it there is no track 1), {@code expiry} (YYMM), {@code serviceCode} (3 digits), {@code countryCode} (PANs
 * starting with 59), {@code pvki} (1 digit) and either {@code pvv} (4 digits, computed by data preparation)
 * or {@code pin} (the step computes the PVV with its PVK) when the layout places a PVV.
 */
public final class MagStripeSection {
  /** The section's name in card records. */
  public static final String NAME = "magstripe";
  /** The fields the section may have. */
  public static final Set<String> FIELDS = Set.of("pan", "name", "expiry", "serviceCode", "countryCode", "pvki",
      "pvv", "pin");

  private final StripeRecord stripe;
  private final String pvv;

  private MagStripeSection(StripeRecord stripe, String pvv) {
    this.stripe = stripe;
    this.pvv = pvv;
  }

  /**
   * @param record a record with a {@code magstripe} section
   * @param luhnCheck whether the PAN's Luhn digit is checked when tracks are built (off only for test cards)
   * @return the decoded section
   * @throws ValidationException naming {@code <location> magstripe.<field>}
   */
  public static MagStripeSection decode(CardRecord record, boolean luhnCheck) {
    String at = record.where() + " " + NAME;
    JsonNode s = record.require(NAME);
    if (!s.isObject()) {
      throw new ValidationException(at, "must be an object of text fields");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!FIELDS.contains(e.getKey())) {
        throw new ValidationException(at + "." + e.getKey(), "unknown field (allowed: " + new TreeSet<>(FIELDS) + ")");
      }
      if (!e.getValue().isTextual()) {
        throw new ValidationException(at + "." + e.getKey(), "must be a string");
      }
    }
    StripeRecord.Builder b = StripeRecord.builder().luhnCheck(luhnCheck);
    try {
      b.pan(text(s, "pan").orElseThrow(() -> new ValidationException("pan", "is required")));
      text(s, "name").ifPresent(b::name);
      text(s, "expiry").ifPresent(b::expiry);
      text(s, "serviceCode").ifPresent(b::serviceCode);
      text(s, "countryCode").ifPresent(b::countryCode);
      Optional<String> pvki = text(s, "pvki");
      if (pvki.isPresent()) {
        if (!pvki.get().matches("[0-9]")) {
          throw new ValidationException("pvki", "must be one digit 0..9");
        }
        b.pvki(pvki.get().charAt(0) - '0');
      }
      text(s, "pin").ifPresent(b::pin);
      Optional<String> pvv = text(s, "pvv");
      if (pvv.isPresent() && !pvv.get().matches("[0-9]{4}")) {
        throw new ValidationException("pvv", "must be 4 digits");
      }
      return new MagStripeSection(b.build(), pvv.orElse(null));
    } catch (ValidationException e) {
      throw new ValidationException(at + "." + e.field(), e.rule());
    }
  }

  /**
   * Writes a section. With a PVV the PIN is left out: the file then never holds a clear PIN.
   *
   * @param stripe the card's stripe fields
   * @param pvv the PVV data preparation computed, or null to write the record's PIN (if any) instead
   * @return the section's JSON object
   */
  public static ObjectNode encode(StripeRecord stripe, String pvv) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("pan", stripe.pan());
    stripe.name().ifPresent(v -> o.put("name", v));
    stripe.expiry().ifPresent(v -> o.put("expiry", v));
    stripe.serviceCode().ifPresent(v -> o.put("serviceCode", v));
    stripe.countryCode().ifPresent(v -> o.put("countryCode", v));
    if (stripe.pvki() >= 0) {
      o.put("pvki", String.valueOf(stripe.pvki()));
    }
    if (pvv != null) {
      o.put("pvv", pvv);
    } else {
      stripe.pin().ifPresent(v -> o.put("pin", v));
    }
    return o;
  }

  private static Optional<String> text(JsonNode s, String field) {
    JsonNode v = s.get(field);
    return v == null ? Optional.empty() : Optional.of(v.asText());
  }

  /** @return the stripe fields */
  public StripeRecord stripe() {
    return stripe;
  }

  /** @return the PVV data preparation computed, if given */
  public Optional<String> pvv() {
    return Optional.ofNullable(pvv);
  }

  /** @return which fields are present, never their values */
  @Override
  public String toString() {
    return "MagStripeSection[" + stripe + (pvv == null ? "" : ", pvv=****") + "]";
  }
}
