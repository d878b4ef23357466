package dev.perso.iso7813.step;

import dev.perso.core.Bytes;
import dev.perso.core.DeviceException;
import dev.perso.core.DeviceFault;
import dev.perso.core.ValidationException;
import dev.perso.core.device.DeviceRole;
import dev.perso.core.device.MagStripeEncoder;
import dev.perso.core.device.StripeData;
import dev.perso.core.record.CardRecord;
import dev.perso.core.step.PersoStep;
import dev.perso.core.step.StepContext;
import dev.perso.iso7813.DiscretionaryLayout;
import dev.perso.iso7813.IssuerLayout;
import dev.perso.iso7813.MagStripe;
import dev.perso.iso7813.SecurityCodes;
import dev.perso.iso7813.StripeKeys;
import dev.perso.iso7813.StripeRecord;
import dev.perso.iso7813.Track;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The magnetic-stripe step of a card type: claims the record's {@link MagStripeSection magstripe}
 * section, needs a {@link DeviceRole#MAG_STRIPE_ENCODER stripe encoder}, builds tracks 1 (when the record
 * has a name) and 2 through an {@link IssuerLayout} with CVV (and PVV) computed by the {@link StripeKeys}'
 * crypto backend, writes them, reads them back and compares. A track that reads back different rejects
 * the card with {@link DeviceFault#READ_BACK_MISMATCH} naming the track, never its data.
 *
 * <pre>{@code
 * MagStripeStep stripe = MagStripeStep.of(IssuerLayout.EXAMPLE_PVV_CVV, StripeKeys.of(crypto, cvk, pvk));
 * CardType debit = CardType.builder("debit").step(stripe).step(chip).build();
 * MagStripe tracks = stripe.tracks(record);   // what the step writes, e.g. for a preview
 * }</pre>
 */
public final class MagStripeStep implements PersoStep {
  /** The step type and default name. */
  public static final String TYPE = "magstripe";

  private final String name;
  private final IssuerLayout layout;
  private final StripeKeys keys;
  private final boolean luhnCheck;

  private MagStripeStep(Builder b) {
    this.name = b.name;
    this.layout = b.layout;
    this.keys = b.keys;
    this.luhnCheck = b.luhnCheck;
  }

  /**
   * @param layout the issuer's discretionary-data layout
   * @param keys the crypto backend with the CVK (and PVK when the layout places a PVV from a PIN)
   * @return a step named {@code magstripe}
   */
  public static MagStripeStep of(IssuerLayout layout, StripeKeys keys) {
    return builder(layout, keys).build();
  }

  /**
   * @param layout the issuer's discretionary-data layout
   * @param keys the crypto backend with the CVK (and PVK when the layout places a PVV from a PIN)
   * @return a builder
   */
  public static Builder builder(IssuerLayout layout, StripeKeys keys) {
    return new Builder(layout, keys);
  }

  /** @return the issuer layout */
  public IssuerLayout layout() {
    return layout;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<DeviceRole<?>> roles() {
    return Set.of(DeviceRole.MAG_STRIPE_ENCODER);
  }

  @Override
  public Set<String> sections() {
    return Set.of(MagStripeSection.NAME);
  }

  /**
   * Decodes the section and builds the tracks with placeholder security values, so that every field and
   * track rule is checked without the crypto backend.
   */
  @Override
  public void validate(CardRecord record) {
    MagStripeSection s = MagStripeSection.decode(record, luhnCheck);
    StripeRecord rec = s.stripe();
    String at = record.where() + " " + MagStripeSection.NAME + ".";
    boolean pvv = uses(DiscretionaryLayout.Kind.PVV);
    if ((pvv || uses(DiscretionaryLayout.Kind.PVKI)) && rec.pvki() < 0) {
      throw new ValidationException(at + "pvki", "required by layout " + layout.name());
    }
    if (pvv && s.pvv().isEmpty()) {
      if (rec.pin().isEmpty()) {
        throw new ValidationException(at + "pvv", "required by layout " + layout.name() + " (or a pin to compute it)");
      }
      if (keys.pvk() == null) {
        throw new ValidationException(at + "pin", "the card type has no PVK to compute the PVV from it; give the pvv");
      }
    }
    boolean cvv = uses(DiscretionaryLayout.Kind.CVV) || uses(DiscretionaryLayout.Kind.ICVV);
    if (cvv && rec.expiry().isEmpty()) {
      throw new ValidationException(at + "expiry", "required for the CVV of layout " + layout.name());
    }
    if (cvv && rec.serviceCode().isEmpty()) {
      throw new ValidationException(at + "serviceCode", "required for the CVV of layout " + layout.name());
    }
    SecurityCodes placeholder = new SecurityCodes(rec.pvki() < 0 ? null : String.valueOf(rec.pvki()), "0000", "000",
        "000");
    try {
      build(rec, placeholder);
    } catch (ValidationException e) {
      throw new ValidationException(at + e.field(), e.rule());
    }
  }

  /**
   * Builds the tracks this step writes for a record, computing the security values through the backend.
   *
   * @param record the record
   * @return tracks 1 (when the record has a name) and 2
   * @throws ValidationException naming {@code <location> magstripe.<field>}
   */
  public MagStripe tracks(CardRecord record) {
    MagStripeSection s = MagStripeSection.decode(record, luhnCheck);
    try {
      return build(s.stripe(), s.pvv().isPresent() ? layout.codes(s.stripe(), keys, s.pvv().get()) : layout.codes(s.stripe(), keys));
    } catch (ValidationException e) {
      throw new ValidationException(record.where() + " " + MagStripeSection.NAME + "." + e.field(), e.rule());
    }
  }

  /**
   * @param stripe tracks
   * @return what an encoder takes: each track's characters without sentinels and LRC, marked secret
   */
  public static StripeData stripeData(MagStripe stripe) {
    Map<Integer, Bytes> tracks = new LinkedHashMap<>();
    for (Track t : stripe.tracks()) {
      String text = t.text();
      tracks.put(t.type().number(), Bytes.of(text.substring(1, text.length() - 1).getBytes(StandardCharsets.US_ASCII)));
    }
    return StripeData.of(tracks);
  }

  @Override
  public void run(StepContext ctx) {
    StripeData data = stripeData(tracks(ctx.record()));
    MagStripeEncoder encoder = ctx.device(DeviceRole.MAG_STRIPE_ENCODER);
    ctx.markWritten();
    encoder.write(ctx.card(), data);
    int bad = data.firstDifference(encoder.read(ctx.card()));
    if (bad != 0) {
      throw new DeviceException(encoder.id(), DeviceFault.READ_BACK_MISMATCH, "track " + bad);
    }
  }

  private MagStripe build(StripeRecord rec, SecurityCodes codes) {
    return MagStripe.builder().track1(rec.name().isPresent() ? layout.track1(rec, codes) : null)
        .track2(layout.track2(rec, codes)).build();
  }

  private boolean uses(DiscretionaryLayout.Kind kind) {
    return layout.track1().uses(kind) || layout.track2().uses(kind);
  }

  @Override
  public String toString() {
    return "MagStripeStep[" + name + ", layout " + layout.name() + "]";
  }

  /** Configures a {@link MagStripeStep}. */
  public static final class Builder {
    private final IssuerLayout layout;
    private final StripeKeys keys;
    private String name = TYPE;
    private boolean luhnCheck = true;

    private Builder(IssuerLayout layout, StripeKeys keys) {
      this.layout = Objects.requireNonNull(layout, "layout");
      this.keys = Objects.requireNonNull(keys, "keys");
    }

    /**
     * @param value the step's name in its card type (default {@code magstripe})
     * @return this builder
     */
    public Builder name(String value) {
      if (value == null || value.isBlank()) {
        throw new ValidationException("name", "a step needs a name");
      }
      this.name = value;
      return this;
    }

    /**
     * @param check false to accept PANs with a wrong Luhn digit (test cards only)
     * @return this builder
     */
    public Builder luhnCheck(boolean check) {
      this.luhnCheck = check;
      return this;
    }

    /** @return the step */
    public MagStripeStep build() {
      return new MagStripeStep(this);
    }
  }
}
