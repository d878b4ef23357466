package dev.perso.iso7813;

import dev.perso.core.ValidationException;
import dev.perso.crypto.CvvInput;
import dev.perso.iso7813.internal.Checks;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An issuer's discretionary-data layouts for track 1 and track 2, and the assembly of both tracks from
 * one {@link StripeRecord}: CVV, iCVV and PVV are computed once through the {@link StripeKeys}' crypto
 * backend and placed in each track as its layout says.
 *
 * <p>The two shipped layouts are <b>examples</b>, not scheme facts; real layouts come from the issuer's
 * card product specification:
 * <ul>
 *   <li>{@link #EXAMPLE_PVV_CVV} ({@code "pvv-cvv"}): track 1 {@code PVKI PVV CVV} padded with 0 to 18,
 *       track 2 {@code PVKI PVV CVV} padded with 0 to 13 (16-digit PANs fill track 2 to 40).</li>
 *   <li>{@link #EXAMPLE_CVV} ({@code "cvv"}): track 1 {@code 0000 CVV} padded to 13, track 2
 *       {@code 0000 CVV} padded to 10.</li>
 * </ul>
 *
 * <pre>{@code
 * StripeKeys keys = StripeKeys.of(new SoftwareBackend(), cvk, pvk);
 * MagStripe stripe = IssuerLayout.EXAMPLE_PVV_CVV.build(rec, keys);
 * Track2 chip = IssuerLayout.EXAMPLE_PVV_CVV.chipTrack2(rec, keys);   // iCVV in place of the CVV
 * }</pre>
 *
 * @param name a short name
 * @param track1 the track 1 layout
 * @param track2 the track 2 layout
 */
public record IssuerLayout(String name, DiscretionaryLayout track1, DiscretionaryLayout track2) {

  /** Example: PVKI, PVV, CVV, zero padding (see the class description). */
  public static final IssuerLayout EXAMPLE_PVV_CVV = new IssuerLayout("pvv-cvv",
      DiscretionaryLayout.builder().pvki().pvv().cvv().padTo(18, '0').build(),
      DiscretionaryLayout.builder().pvki().pvv().cvv().padTo(13, '0').build());

  /** Example: four zeros, CVV, zero padding (see the class description). */
  public static final IssuerLayout EXAMPLE_CVV = new IssuerLayout("cvv",
      DiscretionaryLayout.builder().constant("0000").cvv().padTo(13, '0').build(),
      DiscretionaryLayout.builder().constant("0000").cvv().padTo(10, '0').build());

  /** Checks for nulls. */
  public IssuerLayout {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(track1, "track1");
    Objects.requireNonNull(track2, "track2");
  }

  /** @return the example layouts by name */
  public static Map<String, IssuerLayout> examples() {
    Map<String, IssuerLayout> m = new LinkedHashMap<>();
    m.put(EXAMPLE_PVV_CVV.name(), EXAMPLE_PVV_CVV);
    m.put(EXAMPLE_CVV.name(), EXAMPLE_CVV);
    return m;
  }

  /**
   * @param name {@code "pvv-cvv"} or {@code "cvv"}
   * @return the example layout
   */
  public static Optional<IssuerLayout> example(String name) {
    return Optional.ofNullable(examples().get(name));
  }

  /**
   * Computes the security values the two stripe layouts need (CVV, PVKI and PVV, as they use them).
   *
   * @param rec the card's fields
   * @param keys backend and keys
   * @return the values; those no layout needs are null
   */
  public SecurityCodes codes(StripeRecord rec, StripeKeys keys) {
    return codes(rec, keys, false, null);
  }

  /**
   * Like {@link #codes(StripeRecord, StripeKeys)}, and also the iCVV for the chip's track 2 equivalent
   * ({@link #chipTrack2}) when the layout has a CVV.
   *
   * @param rec the card's fields
   * @param keys backend and keys
   * @return the values; those no layout needs are null
   */
  public SecurityCodes codesWithIcvv(StripeRecord rec, StripeKeys keys) {
    return codes(rec, keys, true, null);
  }

  /**
   * Like {@link #codes(StripeRecord, StripeKeys)}, with the PVV data preparation already computed (so
   * neither the PIN nor the PVK is needed here).
   *
   * @param rec the card's fields
   * @param keys backend and keys
   * @param givenPvv the PVV, 4 digits
   * @return the values; those no layout needs are null
   */
  public SecurityCodes codes(StripeRecord rec, StripeKeys keys, String givenPvv) {
    return codes(rec, keys, false, java.util.Objects.requireNonNull(givenPvv, "givenPvv"));
  }

  private SecurityCodes codes(StripeRecord rec, StripeKeys keys, boolean withIcvv, String givenPvv) {
    Objects.requireNonNull(rec, "record");
    Objects.requireNonNull(keys, "keys");
    boolean pvv = track1.uses(DiscretionaryLayout.Kind.PVV) || track2.uses(DiscretionaryLayout.Kind.PVV);
    boolean pvki = pvv || track1.uses(DiscretionaryLayout.Kind.PVKI) || track2.uses(DiscretionaryLayout.Kind.PVKI);
    boolean cvv = track1.uses(DiscretionaryLayout.Kind.CVV) || track2.uses(DiscretionaryLayout.Kind.CVV);
    boolean icvv = withIcvv && cvv || track1.uses(DiscretionaryLayout.Kind.ICVV) || track2.uses(DiscretionaryLayout.Kind.ICVV);
    String pvkiText = null;
    String pvvValue = null;
    String cvvValue = null;
    String icvvValue = null;
    if (pvki) {
      if (rec.pvki() < 0) {
        throw new ValidationException("pvki", "required by layout " + name);
      }
      pvkiText = String.valueOf((char) ('0' + rec.pvki()));
    }
    if (pvv && givenPvv != null) {
      pvvValue = Checks.digits("pvv", givenPvv, 4, 4);
    } else if (pvv) {
      if (keys.pvk() == null) {
        throw new ValidationException("pvk", "required by layout " + name);
      }
      String pin = rec.pin().orElseThrow(() -> new ValidationException("pin", "required by layout " + name));
      Checks.pan(rec.pan(), rec.luhnCheck());
      pvvValue = keys.backend().pvv(keys.pvk(), rec.pan(), rec.pvki(), pin);
    }
    if (cvv || icvv) {
      if (keys.cvk() == null) {
        throw new ValidationException("cvk", "required by layout " + name);
      }
      Checks.pan(rec.pan(), rec.luhnCheck());
      // The CVV is defined over any digits; the track builders apply the YYMM and service code rules.
      String exp = Checks.digits("expiry", rec.expiry().orElseThrow(
          () -> new ValidationException("expiry", "required for the CVV")), 4, 4);
      String sc = Checks.digits("serviceCode", rec.serviceCode().orElseThrow(
          () -> new ValidationException("serviceCode", "required for the CVV")), 3, 3);
      CvvInput in = new CvvInput(rec.pan(), exp, sc, keys.expiryOrder());
      if (cvv) {
        cvvValue = keys.backend().cvv(keys.cvk(), in);
      }
      if (icvv) {
        icvvValue = keys.backend().cvv(keys.cvk(), in.icvv());
      }
    }
    return new SecurityCodes(pvkiText, pvvValue, cvvValue, icvvValue);
  }

  /**
   * @param rec the card's fields
   * @param codes the security values
   * @return track 1 with this layout's discretionary data
   */
  public Track1 track1(StripeRecord rec, SecurityCodes codes) {
    return rec.track1(track1.fill(codes)).build();
  }

  /**
   * @param rec the card's fields
   * @param codes the security values
   * @return track 2 with this layout's discretionary data
   */
  public Track2 track2(StripeRecord rec, SecurityCodes codes) {
    return rec.track2(track2.fill(codes)).build();
  }

  /**
   * Builds tracks 1 and 2 with the CVV (real service code) in each, computing every value once. Track 1
   * is built only when the record has a name.
   *
   * @param rec the card's fields
   * @param keys backend and keys
   * @return a HiCo stripe with tracks 1 (if named) and 2 at ISO densities
   */
  public MagStripe build(StripeRecord rec, StripeKeys keys) {
    SecurityCodes codes = codes(rec, keys);
    return MagStripe.builder().track1(rec.name().isPresent() ? track1(rec, codes) : null).track2(track2(rec, codes)).build();
  }

  /**
   * Builds the chip's track 2 equivalent data: the track 2 layout with the iCVV in place of the CVV.
   *
   * @param rec the card's fields
   * @param keys backend and keys
   * @return track 2 carrying the iCVV
   */
  public Track2 chipTrack2(StripeRecord rec, StripeKeys keys) {
    DiscretionaryLayout chip = track2.withIcvvForCvv();
    SecurityCodes codes = new IssuerLayout(name, track1, chip).codes(rec, keys);
    return rec.track2(chip.fill(codes)).build();
  }

  /**
   * Builds the chip's track 2 equivalent data from values computed once with
   * {@link #codesWithIcvv(StripeRecord, StripeKeys)}.
   *
   * @param rec the card's fields
   * @param codes the security values, including the iCVV
   * @return track 2 carrying the iCVV
   */
  public Track2 chipTrack2(StripeRecord rec, SecurityCodes codes) {
    return rec.track2(track2.withIcvvForCvv().fill(codes)).build();
  }
}
