package dev.perso.emv.cps;

import dev.perso.core.Bytes;
import dev.perso.core.ValidationException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One application's personalization data on one card.
 *
 * <pre>{@code
 * ApplicationData visa = new ApplicationData(Bytes.fromHex("A0000000031010"), "vsdc-example", dgis);
 * }</pre>
 *
 * @param aid the application's AID, 5..16 bytes
 * @param profile the card profile's name
 * @param dgis the DGIs in data-preparation order, each DGI at most once
 */
public record ApplicationData(Bytes aid, String profile, List<InputDgi> dgis) {
  /** Validates and copies. */
  public ApplicationData {
    Objects.requireNonNull(aid, "aid");
    if (aid.length() < 5 || aid.length() > 16) {
      throw new ValidationException("aid", "must be 5..16 bytes (ISO/IEC 7816-4), was " + aid.length());
    }
    if (profile == null || profile.isBlank()) {
      throw new ValidationException("profile", "must name a card profile");
    }
    if (dgis == null || dgis.isEmpty()) {
      throw new ValidationException("dgis", "application " + aid.toHex() + " has no DGIs");
    }
    Map<Integer, Integer> seen = new HashMap<>();
    for (int j = 0; j < dgis.size(); j++) {
      Integer first = seen.putIfAbsent(Objects.requireNonNull(dgis.get(j), "dgis[" + j + "]").dgi().id(), j);
      if (first != null) {
        throw new ValidationException("dgis[" + j + "] dgi", "DGI " + dgis.get(j).dgi().idHex()
            + " is given twice in application " + aid.toHex() + " (first as dgis[" + first + "])");
      }
    }
    dgis = List.copyOf(dgis);
  }

  /** @return e.g. {@code A0000000031010 (vsdc-example, 7 DGIs)} */
  @Override
  public String toString() {
    return aid.toHex() + " (" + profile + ", " + dgis.size() + " DGIs)";
  }
}
