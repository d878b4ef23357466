package dev.perso.iso7813;

import dev.perso.core.cardholder.Expiry;
import dev.perso.core.cardholder.Pan;
import dev.perso.core.MalformedDataException;
import dev.perso.core.ValidationException;
import dev.perso.iso7813.internal.Checks;
import dev.perso.iso7813.internal.TrackCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Track 2 (ISO/IEC 7813): {@code ; PAN = [CC] YYMM SC DD ? LRC}.
 *
 * <p>Rules checked by {@link Builder#build()}: PAN 1..19 digits with a valid Luhn check digit (unless
 * {@link Builder#luhnCheck(boolean) luhnCheck(false)}); country code present exactly when the PAN starts
 * with 59; expiry {@code YYMM}; service code per {@link ServiceCode}; discretionary data in the track 2
 * set; at most 40 characters including sentinels and LRC. An absent expiry or service code is written as
 * a lone {@code =}.
 *
 * <pre>{@code
 * Track2 t2 = Track2.builder().pan("4111111111111111").expiry("2612").serviceCode("101")
 *     .discretionaryData("1234567890").build();
 * t2.text();        // ";4111111111111111=26121011234567890?"
 * Track2.parseLenient("4111111111111111D26121011234567890").tolerated();   // sentinels and 'D' noted
 * }</pre>
 */
public final class Track2 implements Track {
  private final String pan;
  private final String countryCode;
  private final String expiry;
  private final String serviceCode;
  private final String discretionaryData;
  private final String text;
  private final int lrc;

  private Track2(Builder b, String text) {
    this.pan = b.pan;
    this.countryCode = b.countryCode;
    this.expiry = b.expiry;
    this.serviceCode = b.serviceCode;
    this.discretionaryData = b.discretionaryData;
    this.text = text;
    this.lrc = TrackCodec.lrc(TrackType.TRACK_2, text);
  }

  /** @return a new builder */
  public static Builder builder() {
    return new Builder();
  }

  /** @return a builder holding this track's fields, to derive a variant */
  public Builder newBuilder() {
    Builder b = new Builder();
    b.pan = pan;
    b.countryCode = countryCode;
    b.expiry = expiry;
    b.serviceCode = serviceCode;
    b.discretionaryData = discretionaryData;
    return b;
  }

  /**
   * Parses track 2 text strictly: exactly {@code ;...?}, no LRC character, every field rule applied.
   *
   * @param text the text from SS to ES
   * @return the track
   * @throws MalformedDataException naming the character offset when the structure is wrong
   * @throws ValidationException when a field breaks a rule
   */
  public static Track2 parse(String text) {
    if (text == null) {
      throw new ValidationException("text", "must not be null");
    }
    return parse(text, null);
  }

  /**
   * Parses what real readers send: surrounding whitespace, a character after the end sentinel (LRC),
   * missing sentinels, spaces in the PAN, {@code D} as separator (EMV tag 57 form), and soft rule breaks
   * (Luhn, reserved service code digits, overlength) are accepted and reported.
   *
   * @param text reader output
   * @return the track and what was tolerated
   */
  public static Parsed<Track2> parseLenient(String text) {
    List<String> notes = new ArrayList<>();
    String s = Lenient.prepare(text, TrackType.TRACK_2, notes);
    int d = -1;
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '=') {
        break;
      }
      if (c == 'D' || c == 'd') {
        d = i;
        break;
      }
    }
    if (d > 0) {
      notes.add("separator 'D' (EMV track 2 equivalent form) read as '='");
      s = s.substring(0, d) + '=' + s.substring(d + 1);
    }
    return new Parsed<>(parse(s, notes), notes);
  }

  private static Track2 parse(String s, List<String> notes) {
    int n = s.length();
    if (n < 2 || s.charAt(0) != ';') {
      throw new MalformedDataException(0, "track 2 must start with the start sentinel ;");
    }
    if (s.charAt(n - 1) != '?') {
      throw new MalformedDataException(n - 1, "track 2 must end with the end sentinel ?");
    }
    int end = n - 1;
    int i = 1;
    StringBuilder pan = new StringBuilder(19);
    boolean spaces = false;
    while (i < end && s.charAt(i) != '=') {
      char c = s.charAt(i);
      if (c == ' ' && notes != null) {
        spaces = true;
      } else if (c < '0' || c > '9') {
        throw new MalformedDataException(i, "PAN must be digits");
      } else {
        pan.append(c);
      }
      i++;
    }
    if (spaces) {
      notes.add("spaces in the PAN removed");
    }
    if (i >= end) {
      throw new MalformedDataException(i, "field separator = after the PAN missing");
    }
    i++;
    Builder b = new Builder();
    b.lenient = notes;
    b.pan(pan.toString());
    if (pan.length() >= 2 && pan.charAt(0) == '5' && pan.charAt(1) == '9') {
      if (i + 3 > end) {
        throw new MalformedDataException(i, "country code (3 digits) missing; required when the PAN starts with 59");
      }
      b.countryCode(s.substring(i, i + 3));
      i += 3;
    }
    if (i < end && s.charAt(i) == '=') {
      i++;
    } else {
      if (i + 4 > end) {
        throw new MalformedDataException(i, "expiry (YYMM or =) missing");
      }
      b.expiry(s.substring(i, i + 4));
      i += 4;
    }
    if (i < end && s.charAt(i) == '=') {
      i++;
    } else {
      if (i + 3 > end) {
        throw new MalformedDataException(i, "service code (3 digits or =) missing");
      }
      b.serviceCode(s.substring(i, i + 3));
      i += 3;
    }
    b.discretionaryData(s.substring(i, end));
    return b.build();
  }

  @Override
  public TrackType type() {
    return TrackType.TRACK_2;
  }

  @Override
  public String text() {
    return text;
  }

  @Override
  public int lrc() {
    return lrc;
  }

  /** @return the PAN digits */
  public String pan() {
    return pan;
  }

  /** @return the country code, present when the PAN starts with 59 */
  public Optional<String> countryCode() {
    return Optional.ofNullable(countryCode);
  }

  /** @return the expiry as YYMM, if present */
  public Optional<String> expiry() {
    return Optional.ofNullable(expiry);
  }

  /** @return the service code digits, if present */
  public Optional<String> serviceCode() {
    return Optional.ofNullable(serviceCode);
  }

  /** @return the discretionary data (may be empty) */
  public String discretionaryData() {
    return discretionaryData;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Track2 t && t.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  /** @return a masked summary; never the PAN, expiry or discretionary data */
  @Override
  public String toString() {
    return "Track2[pan=" + Pan.mask(pan) + ", serviceCode=" + serviceCode + ", dd=" + discretionaryData.length()
        + " chars, length=" + encodedLength() + "]";
  }

  /** Builder for {@link Track2}; every field is checked in {@link #build()}. */
  public static final class Builder {
    private String pan;
    private String countryCode;
    private String expiry;
    private String serviceCode;
    private String discretionaryData = "";
    private boolean luhnCheck = true;
    private List<String> lenient;

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
     * @param countryCode ISO 3166 numeric country code (3 digits); only when the PAN starts with 59
     * @return this
     */
    public Builder countryCode(String countryCode) {
      this.countryCode = countryCode;
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
     * @param yymm expiry as YYMM, or null for none
     * @return this
     */
    public Builder expiry(String yymm) {
      this.expiry = yymm;
      return this;
    }

    /**
     * @param serviceCode 3 digits, or null for none
     * @return this
     */
    public Builder serviceCode(String serviceCode) {
      this.serviceCode = serviceCode;
      return this;
    }

    /**
     * @param serviceCode the service code
     * @return this
     */
    public Builder serviceCode(ServiceCode serviceCode) {
      this.serviceCode = serviceCode.digits();
      return this;
    }

    /**
     * @param dd discretionary data in the track 2 character set (usually digits)
     * @return this
     */
    public Builder discretionaryData(String dd) {
      this.discretionaryData = dd == null ? "" : dd;
      return this;
    }

    /**
     * Switches the PAN's Luhn check off or on (on by default). Off is meant for test cards.
     *
     * @param check false to skip the check
     * @return this
     */
    public Builder luhnCheck(boolean check) {
      this.luhnCheck = check;
      return this;
    }

    /**
     * @return the checked track
     * @throws ValidationException naming the field and the rule
     */
    public Track2 build() {
      FieldRules.panAndCountryCode(pan, countryCode, luhnCheck, lenient);
      FieldRules.expiryAndServiceCode(expiry, serviceCode, lenient);
      Checks.chars("discretionaryData", discretionaryData, TrackType.TRACK_2, (char) 0);
      StringBuilder t = new StringBuilder(40);
      t.append(';').append(pan).append('=');
      if (countryCode != null) {
        t.append(countryCode);
      }
      t.append(expiry == null ? "=" : expiry);
      t.append(serviceCode == null ? "=" : serviceCode);
      t.append(discretionaryData).append('?');
      try {
        Checks.length(TrackType.TRACK_2, t.length());
      } catch (ValidationException e) {
        Lenient.soft(lenient, e);
      }
      return new Track2(this, t.toString());
    }
  }
}
