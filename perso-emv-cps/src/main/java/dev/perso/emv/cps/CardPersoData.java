package dev.perso.emv.cps;

import dev.perso.core.ValidationException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything data preparation delivers for one card: its id, its chip applications, and optional
 * magnetic-stripe and surface fields. Printing never shows field values (PAN, name, tracks).
 *
 * <pre>{@code
 * CardPersoData card = new CardPersoData("0001", List.of(visa), Map.of("pan", "4761739001010010"), Map.of());
 * card.toString();   // "card 0001: 1 application(s) [A0000000031010 (vsdc-example, 7 DGIs)], magstripe fields [pan]"
 * }</pre>
 *
 * @param cardId the record's id in the batch (never a PAN)
 * @param applications the chip applications, at least one
 * @param magstripe magnetic-stripe fields by name (may be empty)
 * @param surface surface fields by name (may be empty)
 */
public record CardPersoData(String cardId, List<ApplicationData> applications, Map<String, String> magstripe,
    Map<String, String> surface) {

  /** Validates and copies. */
  public CardPersoData {
    if (cardId == null || cardId.isBlank()) {
      throw new ValidationException("cardId", "must not be blank");
    }
    if (applications == null || applications.isEmpty()) {
      throw new ValidationException("applications", "card " + cardId + " has no application");
    }
    applications = List.copyOf(applications);
    magstripe = Map.copyOf(Objects.requireNonNullElse(magstripe, Map.of()));
    surface = Map.copyOf(Objects.requireNonNullElse(surface, Map.of()));
  }

  /** @return the card id, applications and the names (not values) of the stripe and surface fields */
  @Override
  public String toString() {
    return "card " + cardId + ": " + applications.size() + " application(s) " + applications
        + (magstripe.isEmpty() ? "" : ", magstripe fields " + new java.util.TreeSet<>(magstripe.keySet()))
        + (surface.isEmpty() ? "" : ", surface fields " + new java.util.TreeSet<>(surface.keySet()));
  }
}
