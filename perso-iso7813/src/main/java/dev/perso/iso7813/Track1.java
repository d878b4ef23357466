package dev.perso.iso7813;

import dev.perso.core.cardholder.Expiry;
import dev.perso.core.cardholder.Pan;
import dev.perso.core.MalformedDataException;
import dev.perso.core.ValidationException;
import dev.perso.iso7813.internal.Checks;
import dev.perso.iso7813.internal.TrackCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Track 1, format B (ISO/IEC 7813): {@code %B PAN ^ [CC] NAME ^ YYMM SC DD ? LRC}.
 *
 * <p>Rules checked by {@link Builder#build()}, each failure a {@link ValidationException} naming the
 * field and the rule: PAN 1..19 digits with a valid Luhn check digit (unless {@link Builder#luhnCheck(boolean)
 * luhnCheck(false)}); country code (3 digits) present exactly when the PAN starts with 59; name 2..26
 * characters of the track 1 set in {@code SURNAME/FIRST.TITLE} form; expiry {@code YYMM}; service code
 * per {@link ServiceCode}; at most 79 characters including sentinels and LRC. An absent expiry or service
 * code is written as a lone {@code ^}.
 *
 * <pre>{@code
 * Track1 t1 = Track1.builder()
 *     .pan("4111111111111111").name(Name.of("Smith", "John")).expiry("2612").serviceCode("101")
 *     .discretionaryData("1234567890")
 *     .build();
 * t1.text();                     // "%B4111111111111111^SMITH/JOHN^26121011234567890?"
 * Track1.parse(t1.text());       // equal to t1
 * }</pre>
 */
public final class Track1 implements Track {
  private final String pan;
  private final String countryCode;
  private final String name;
  private final String expiry;
  private final String serviceCode;
  private final String discretionaryData;
  private final String text;
  private final int lrc;

  private Track1(Builder b, String text) {
    this.pan = b.pan;
    this.countryCode = b.countryCode;
    this.name = b.name;
    this.expiry = b.expiry;
    this.serviceCode = b.serviceCode;
    this.discretionaryData = b.discretionaryData;
    this.text = text;
    this.lrc = TrackCodec.lrc(TrackType.TRACK_1, text);
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
    b.name = name;
    b.expiry = expiry;
    b.serviceCode = serviceCode;
    b.discretionaryData = discretionaryData;
    return b;
  }

  /**
   * Parses track 1 text strictly: exactly {@code %B...?}, no LRC character, every field rule applied.
   *
   * @param text the text from SS to ES
   * @return the track
   * @throws MalformedDataException naming the character offset when the structure is wrong
   * @throws ValidationException when a field breaks a rule
   */
  public static Track1 parse(String text) {
    if (text == null) {
      throw new ValidationException("text", "must not be null");
    }
    return parse(text, null);
  }

  /**
   * Parses what real readers send: surrounding whitespace, a character after the end sentinel (LRC),
   * missing sentinels, lower case, spaces in the PAN, and soft rule breaks (Luhn, name form, reserved
   * service code digits, overlength) are accepted and reported.
   *
   * @param text reader output
   * @return the track and what was tolerated
   */
  public static Parsed<Track1> parseLenient(String text) {
    List<String> notes = new ArrayList<>();
    String s = Lenient.prepare(text, TrackType.TRACK_1, notes);
    String upper = s.toUpperCase(Locale.ROOT);
    if (!upper.equals(s)) {
      notes.add("lower-case letters upper-cased");
      s = upper;
    }
    Track1 t = parse(s, notes);
    return new Parsed<>(t, notes);
  }

  private static Track1 parse(String s, List<String> notes) {
    int n = s.length();
    if (n < 2 || s.charAt(0) != '%') {
      throw new MalformedDataException(0, "track 1 must start with the start sentinel %");
    }
    if (s.charAt(n - 1) != '?') {
      throw new MalformedDataException(n - 1, "track 1 must end with the end sentinel ?");
    }
    int end = n - 1;
    if (s.charAt(1) != 'B') {
      throw new MalformedDataException(1, "format code must be B");
    }
    int i = 2;
    StringBuilder pan = new StringBuilder(19);
    boolean spaces = false;
    while (i < end && s.charAt(i) != '^') {
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
      throw new MalformedDataException(i, "field separator ^ after the PAN missing");
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
    int fs = s.indexOf('^', i);
    if (fs < 0 || fs >= end) {
      throw new MalformedDataException(i, "field separator ^ after the name missing");
    }
    b.name(s.substring(i, fs));
    i = fs + 1;
    if (i < end && s.charAt(i) == '^') {
      i++;
    } else {
      if (i + 4 > end) {
        throw new MalformedDataException(i, "expiry (YYMM or ^) missing");
      }
      b.expiry(s.substring(i, i + 4));
      i += 4;
    }
    if (i < end && s.charAt(i) == '^') {
      i++;
    } else {
      if (i + 3 > end) {
        throw new MalformedDataException(i, "service code (3 digits or ^) missing");
      }
      b.serviceCode(s.substring(i, i + 3));
      i += 3;
    }
    b.discretionaryData(s.substring(i, end));
    return b.build();
  }

  @Override
  public TrackType type() {
    return TrackType.TRACK_1;
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

  /** @return the name field as written */
  public String name() {
    return name;
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
    return o instanceof Track1 t && t.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  /** @return a masked summary; never the PAN, name, expiry or discretionary data */
  @Override
  public String toString() {
    return "Track1[pan=" + Pan.mask(pan) + ", serviceCode=" + serviceCode + ", dd=" + discretionaryData.length()
        + " chars, length=" + encodedLength() + "]";
  }

  /** Builder for {@link Track1}; every field is checked in {@link #build()}. */
  public static final class Builder {
    private String pan;
    private String countryCode;
    private String name;
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
     * @param name the name field as it goes on the track, e.g. {@code SMITH/JOHN.MR}
     * @return this
     */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /**
     * @param name a name; its {@link Name#trackText()} (shortened by the documented rule) is used
     * @return this
     */
    public Builder name(Name name) {
      this.name = Objects.requireNonNull(name, "name").trackText();
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
     * @param dd discretionary data in the track 1 character set (no sentinels)
     * @return this
     */
    public Builder discretionaryData(String dd) {
      this.discretionaryData = dd == null ? "" : dd;
      return this;
    }

    /**
     * Switches the PAN's Luhn check off or on (on by default). Off is meant for test cards with
     * deliberately invalid numbers.
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
    public Track1 build() {
      FieldRules.panAndCountryCode(pan, countryCode, luhnCheck, lenient);
      if (name == null) {
        throw new ValidationException("name", "must not be null");
      }
      Checks.chars("name", name, TrackType.TRACK_1, '^');
      if (name.length() < 2 || name.length() > Name.MAX_LENGTH) {
        Lenient.soft(lenient, new ValidationException("name", "must be 2..26 characters, was " + name.length()));
      }
      if (name.indexOf('/') < 0) {
        Lenient.soft(lenient, new ValidationException("name", "must be in SURNAME/FIRST.TITLE form (no / found)"));
      }
      FieldRules.expiryAndServiceCode(expiry, serviceCode, lenient);
      Checks.chars("discretionaryData", discretionaryData, TrackType.TRACK_1, (char) 0);
      StringBuilder t = new StringBuilder(80);
      t.append("%B").append(pan).append('^');
      if (countryCode != null) {
        t.append(countryCode);
      }
      t.append(name).append('^');
      t.append(expiry == null ? "^" : expiry);
      t.append(serviceCode == null ? "^" : serviceCode);
      t.append(discretionaryData).append('?');
      try {
        Checks.length(TrackType.TRACK_1, t.length());
      } catch (ValidationException e) {
        Lenient.soft(lenient, e);
      }
      return new Track1(this, t.toString());
    }
  }
}
