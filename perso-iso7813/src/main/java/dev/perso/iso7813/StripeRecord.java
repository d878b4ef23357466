package dev.perso.iso7813;

import dev.perso.core.cardholder.Expiry;
import dev.perso.core.cardholder.Pin;
import dev.perso.core.cardholder.Pan;
import dev.perso.iso7813.internal.Checks;
import java.util.Objects;
import java.util.Optional;

/**
 * The data-preparation fields one card's stripe is built from. Checked when the tracks are built;
 * secret: {@code toString} masks the PAN and never prints the name, expiry or PIN.
 *
 * <pre>{@code
 * StripeRecord rec = StripeRecord.builder()
 *     .pan("4111111111111111").name(Name.of("Smith", "John")).expiry("2612").serviceCode("101")
 *     .pvki(1).pin("1234")
 *     .build();
 * }</pre>
 */
public final class StripeRecord {
  private final String pan;
  private final String countryCode;
  private final String name;
  private final String expiry;
  private final String serviceCode;
  private final int pvki;
  private final String pin;
  private final boolean luhnCheck;

  private StripeRecord(Builder b) {
    this.pan = Objects.requireNonNull(b.pan, "pan");
    this.countryCode = b.countryCode;
    this.name = b.name;
    this.expiry = b.expiry;
    this.serviceCode = b.serviceCode;
    this.pvki = b.pvki;
    this.pin = b.pin;
    this.luhnCheck = b.luhnCheck;
  }

  /** @return a new builder */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the PAN */
  public String pan() {
    return pan;
  }

  /** @return the country code (PANs starting with 59) */
  public Optional<String> countryCode() {
    return Optional.ofNullable(countryCode);
  }

  /** @return the track 1 name text, if any (track 1 needs one) */
  public Optional<String> name() {
    return Optional.ofNullable(name);
  }

  /** @return the expiry YYMM */
  public Optional<String> expiry() {
    return Optional.ofNullable(expiry);
  }

  /** @return the service code */
  public Optional<String> serviceCode() {
    return Optional.ofNullable(serviceCode);
  }

  /** @return the PVKI 0..9, or -1 when not given */
  public int pvki() {
    return pvki;
  }

  /** @return the PIN for the PVV, if given */
  public Optional<String> pin() {
    return Optional.ofNullable(pin);
  }

  /** @return whether the PAN's Luhn digit is checked */
  public boolean luhnCheck() {
    return luhnCheck;
  }

  /**
   * @param dd discretionary data
   * @return a track 1 builder filled from this record
   */
  public Track1.Builder track1(String dd) {
    return Track1.builder().pan(pan).countryCode(countryCode).name(name).expiry(expiry).serviceCode(serviceCode)
        .discretionaryData(dd).luhnCheck(luhnCheck);
  }

  /**
   * @param dd discretionary data
   * @return a track 2 builder filled from this record
   */
  public Track2.Builder track2(String dd) {
    return Track2.builder().pan(pan).countryCode(countryCode).expiry(expiry).serviceCode(serviceCode)
        .discretionaryData(dd).luhnCheck(luhnCheck);
  }

  @Override
  public String toString() {
    return "StripeRecord[pan=" + Pan.mask(pan) + ", serviceCode=" + serviceCode + (pin == null ? "" : ", pin=****") + "]";
  }

  /** Builder for {@link StripeRecord}. */
  public static final class Builder {
    private String pan;
    private String countryCode;
    private String name;
    private String expiry;
    private String serviceCode;
    private int pvki = -1;
    private String pin;
    private boolean luhnCheck = true;

    private Builder() {}

    /**
     * @param pan the PAN as a value ({@link Pan#withoutLuhnCheck} for test cards)
     * @return this builder
     */
    public Builder pan(Pan pan) {
      return pan(pan.digits());
    }

    /**
     * @param pan 1..19 digits
     * @return this
     */
    public Builder pan(String pan) {
      this.pan = pan;
      return this;
    }

    /**
     * @param cc country code, for PANs starting with 59
     * @return this
     */
    public Builder countryCode(String cc) {
      this.countryCode = cc;
      return this;
    }

    /**
     * @param name the track 1 name text ({@code SURNAME/FIRST.TITLE})
     * @return this
     */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /**
     * @param name a name, shortened by its documented rule
     * @return this
     */
    public Builder name(Name name) {
      this.name = name.trackText();
      return this;
    }

    /**
     * @param expiry the expiry as a value
     * @return this builder
     */
    public Builder expiry(Expiry expiry) {
      return expiry(expiry.yymm());
    }

    /**
     * @param yymm expiry
     * @return this
     */
    public Builder expiry(String yymm) {
      this.expiry = yymm;
      return this;
    }

    /**
     * @param sc service code digits
     * @return this
     */
    public Builder serviceCode(String sc) {
      this.serviceCode = sc;
      return this;
    }

    /**
     * @param pvki PIN verification key index 0..9
     * @return this
     */
    public Builder pvki(int pvki) {
      if (pvki < 0 || pvki > 9) {
        throw new dev.perso.core.ValidationException("pvki", "must be 0..9, was " + pvki);
      }
      this.pvki = pvki;
      return this;
    }

    /**
     * @param pin the PIN as a value (its digits are read here; close it after)
     * @return this builder
     */
    public Builder pin(Pin pin) {
      return pin(pin.reveal());
    }

    /**
     * @param pin the PIN (4..12 digits; the PVV uses the first 4)
     * @return this
     */
    public Builder pin(String pin) {
      this.pin = pin == null ? null : Checks.digits("pin", pin, 4, 12);
      return this;
    }

    /**
     * @param check false to skip the Luhn check (test cards)
     * @return this
     */
    public Builder luhnCheck(boolean check) {
      this.luhnCheck = check;
      return this;
    }

    /** @return the record (the fields are checked when tracks are built) */
    public StripeRecord build() {
      if (pan == null) {
        throw new dev.perso.core.ValidationException("pan", "must not be null");
      }
      return new StripeRecord(this);
    }
  }
}
