package dev.perso.emv.prep;

import dev.perso.core.ValidationException;
import dev.perso.iso7813.StripeRecord;
import java.util.Objects;

/**
 * One cardholder record as an issuer's card management system hands it to data preparation.
 *
 * <pre>{@code
 * Cardholder c = new Cardholder("0001", StripeRecord.builder().pan("4761739001010010")
 *     .name(Name.of("Cardmember", "Test")).expiry("2812").serviceCode("201").pvki(1).pin("1234").build(), "01");
 * }</pre>
 *
 * @param cardId the record id in the batch (never the PAN)
 * @param stripe PAN, name, expiry, service code, PVKI and PIN
 * @param panSequence the PAN sequence number, 2 digits
 */
public record Cardholder(String cardId, StripeRecord stripe, String panSequence) {
  /** Validates. */
  public Cardholder {
    if (cardId == null || cardId.isBlank()) {
      throw new ValidationException("cardId", "must not be blank");
    }
    Objects.requireNonNull(stripe, "stripe");
    if (panSequence == null || !panSequence.matches("\\d{2}")) {
      throw new ValidationException("panSequence", "must be 2 digits");
    }
    if (stripe.name().isEmpty() || stripe.expiry().isEmpty() || stripe.serviceCode().isEmpty() || stripe.pin().isEmpty()) {
      throw new ValidationException("stripe", "data preparation needs name, expiry, service code and PIN");
    }
  }

  /** @return the card id and a masked PAN; never the name, PIN or full PAN */
  @Override
  public String toString() {
    return "Cardholder[" + cardId + ", " + stripe + "]";
  }
}
