package dev.perso.iso7813;

import dev.perso.core.cardholder.Expiry;
import dev.perso.core.cardholder.Pan;
import dev.perso.core.MalformedDataException;
import dev.perso.core.ValidationException;
import dev.perso.iso7813.internal.Checks;
import dev.perso.iso7813.internal.TrackCodec;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Track 3 (ISO/IEC 4909) as its field list, in order:
 * {@code ; FC PAN = CC|= CUR EXP AMT AMT CYB CYL RTY PINPARM|= IC SR SR SR ED|= CSN CSEC|= SAN1 = SAN2 = RM CCD|= ADD ? LRC}.
 *
 * <p>Fields marked "or FS" in ISO 4909 are optional: when absent, a lone {@code =} takes their place.
 * Numeric fields that are not optional default to zeros (documented per {@link Field}); the format code
 * defaults to {@code 01}. The PAN may be empty (allowed when track 2 carries it) and is Luhn-checked
 * otherwise, unless switched off. At most 107 characters including sentinels and LRC.
 *
 * <pre>{@code
 * Track3 t3 = Track3.builder()
 *     .pan("4111111111111111").set(Track3.Field.CURRENCY, "978").set(Track3.Field.EXPIRY, "2612")
 *     .build();
 * t3.get(Track3.Field.CURRENCY);     // Optional["978"]
 * Track3.parse(t3.text()).equals(t3);   // true
 * }</pre>
 */
public final class Track3 implements Track {

  /** The ISO 4909 fields in track order. */
  public enum Field {
    /** Format code, 2 digits: 00 not for interchange, 01/02 financial, 90..99 proprietary. Default 01. */
    FORMAT_CODE(2, Kind.FIXED, "01"),
    /** PAN, up to 19 digits, followed by a field separator. May be empty. */
    PAN(19, Kind.TERMINATED, ""),
    /** Country code, 3 digits, or a lone separator when absent. */
    COUNTRY_CODE(3, Kind.OPTIONAL, null),
    /** Currency code (ISO 4217), 3 digits; 000 = no international interchange. Default 000. */
    CURRENCY(3, Kind.FIXED, "000"),
    /** Currency exponent, 1 digit 0..5. Default 0. */
    CURRENCY_EXPONENT(1, Kind.FIXED, "0"),
    /** Amount authorized per cycle, 4 digits. Default 0000. */
    AMOUNT_PER_CYCLE(4, Kind.FIXED, "0000"),
    /** Amount remaining this cycle, 4 digits. Default 0000. */
    AMOUNT_REMAINING(4, Kind.FIXED, "0000"),
    /** Cycle begin, 4 digits YDDD. Default 0000. */
    CYCLE_BEGIN(4, Kind.FIXED, "0000"),
    /** Cycle length, 2 digits: 00 infinite, 01..79 days, 80..86 calendar rules. Default 00. */
    CYCLE_LENGTH(2, Kind.FIXED, "00"),
    /** Retry count, 1 digit. Default 0. */
    RETRY_COUNT(1, Kind.FIXED, "0"),
    /** PIN control parameters (algorithm, key and offset/PVV), 6 digits, or a lone separator. */
    PIN_PARAMETERS(6, Kind.OPTIONAL, null),
    /** Interchange control, 1 digit. Default 0. */
    INTERCHANGE_CONTROL(1, Kind.FIXED, "0"),
    /** PAN service restriction (account type + restriction), 2 digits. Default 00. */
    PAN_SERVICE_RESTRICTION(2, Kind.FIXED, "00"),
    /** SAN-1 service restriction, 2 digits. Default 00. */
    SAN1_SERVICE_RESTRICTION(2, Kind.FIXED, "00"),
    /** SAN-2 service restriction, 2 digits. Default 00. */
    SAN2_SERVICE_RESTRICTION(2, Kind.FIXED, "00"),
    /** Expiry date YYMM, or a lone separator when absent. */
    EXPIRY(4, Kind.OPTIONAL, null),
    /** Card sequence number, 1 digit. Default 0. */
    CARD_SEQUENCE_NUMBER(1, Kind.FIXED, "0"),
    /** Card security number, 9 digits, or a lone separator when absent. */
    CARD_SECURITY_NUMBER(9, Kind.OPTIONAL, null),
    /** First subsidiary account number, variable, followed by a separator. Default empty. */
    SAN1(0, Kind.TERMINATED, ""),
    /** Second subsidiary account number, variable, followed by a separator. Default empty. */
    SAN2(0, Kind.TERMINATED, ""),
    /** Relay marker, 1 digit. Default 0. */
    RELAY_MARKER(1, Kind.FIXED, "0"),
    /** Crypto check digits, 6 digits, or a lone separator when absent. */
    CRYPTO_CHECK_DIGITS(6, Kind.OPTIONAL, null),
    /** Additional data (format code 02: transaction date, AVV, ACSN, INIC, DD), rest of the track. */
    ADDITIONAL_DATA(0, Kind.REST, "");

    private final int length;
    private final Kind kind;
    private final String defaultValue;

    Field(int length, Kind kind, String defaultValue) {
      this.length = length;
      this.kind = kind;
      this.defaultValue = defaultValue;
    }

    /** @return the fixed length, or the maximum for the PAN, or 0 for variable fields */
    public int length() {
      return length;
    }

    /** @return true when the field may be absent (written as a lone separator) */
    public boolean isOptional() {
      return kind == Kind.OPTIONAL;
    }

    /** @return the value used when the builder was not given one, if any */
    public Optional<String> defaultValue() {
      return Optional.ofNullable(defaultValue);
    }

    private String fieldName() {
      return "track3." + name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private enum Kind { FIXED, OPTIONAL, TERMINATED, REST }

  private static final Field[] FIELDS = Field.values();

  private final String[] values;
  private final String text;
  private final int lrc;

  private Track3(String[] values, String text) {
    this.values = values;
    this.text = text;
    this.lrc = TrackCodec.lrc(TrackType.TRACK_3, text);
  }

  /** @return a builder with the defaults */
  public static Builder builder() {
    return new Builder();
  }

  /** @return a builder holding this track's fields */
  public Builder newBuilder() {
    Builder b = new Builder();
    for (Field f : FIELDS) {
      b.values.put(f, values[f.ordinal()]);
    }
    return b;
  }

  /**
   * Parses track 3 text strictly ({@code ;...?}, no LRC).
   *
   * @param text the text from SS to ES
   * @return the track
   * @throws MalformedDataException naming the character offset when the structure is wrong
   */
  public static Track3 parse(String text) {
    if (text == null) {
      throw new ValidationException("text", "must not be null");
    }
    return parse(text, null);
  }

  /**
   * Parses reader output, tolerating whitespace, a trailing LRC character, missing sentinels and a
   * Luhn mismatch, and reporting each.
   *
   * @param text reader output
   * @return the track and what was tolerated
   */
  public static Parsed<Track3> parseLenient(String text) {
    List<String> notes = new ArrayList<>();
    String s = Lenient.prepare(text, TrackType.TRACK_3, notes);
    return new Parsed<>(parse(s, notes), notes);
  }

  private static Track3 parse(String s, List<String> notes) {
    int n = s.length();
    if (n < 2 || s.charAt(0) != ';') {
      throw new MalformedDataException(0, "track 3 must start with the start sentinel ;");
    }
    if (s.charAt(n - 1) != '?') {
      throw new MalformedDataException(n - 1, "track 3 must end with the end sentinel ?");
    }
    int end = n - 1;
    int i = 1;
    Builder b = new Builder();
    b.lenient = notes;
    for (Field f : FIELDS) {
      switch (f.kind) {
        case FIXED -> {
          if (i + f.length > end) {
            throw new MalformedDataException(i, f.fieldName() + " (" + f.length + " characters) missing");
          }
          b.set(f, s.substring(i, i + f.length));
          i += f.length;
        }
        case OPTIONAL -> {
          if (i < end && s.charAt(i) == '=') {
            b.set(f, null);
            i++;
          } else {
            if (i + f.length > end) {
              throw new MalformedDataException(i, f.fieldName() + " (" + f.length + " characters or =) missing");
            }
            b.set(f, s.substring(i, i + f.length));
            i += f.length;
          }
        }
        case TERMINATED -> {
          int fs = s.indexOf('=', i);
          if (fs < 0 || fs >= end) {
            throw new MalformedDataException(i, "field separator = after " + f.fieldName() + " missing");
          }
          b.set(f, s.substring(i, fs));
          i = fs + 1;
        }
        default -> {
          b.set(f, s.substring(i, end));
          i = end;
        }
      }
    }
    return b.build();
  }

  /**
   * @param field a field
   * @return its value, or empty when the optional field is absent
   */
  public Optional<String> get(Field field) {
    return Optional.ofNullable(values[field.ordinal()]);
  }

  /** @return every field in order; absent optional fields map to null */
  public Map<Field, String> fields() {
    Map<Field, String> m = new EnumMap<>(Field.class);
    for (Field f : FIELDS) {
      m.put(f, values[f.ordinal()]);
    }
    return m;
  }

  /** @return the PAN (may be empty) */
  public String pan() {
    return values[Field.PAN.ordinal()];
  }

  @Override
  public TrackType type() {
    return TrackType.TRACK_3;
  }

  @Override
  public String text() {
    return text;
  }

  @Override
  public int lrc() {
    return lrc;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Track3 t && t.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  /** @return a masked summary; never the PAN or other field values */
  @Override
  public String toString() {
    return "Track3[formatCode=" + values[0] + ", pan=" + Pan.mask(pan()) + ", length=" + encodedLength() + "]";
  }

  /** Builder for {@link Track3}; unset fields take their documented defaults. */
  public static final class Builder {
    private final Map<Field, String> values = new EnumMap<>(Field.class);
    private boolean luhnCheck = true;
    private List<String> lenient;

    private Builder() {}

    /**
     * @param field a field
     * @param value its value, or null to mark an optional field absent (or restore a default)
     * @return this
     */
    public Builder set(Field field, String value) {
      values.put(field, value);
      return this;
    }

    /**
     * @param formatCode 2 digits
     * @return this
     */
    public Builder formatCode(String formatCode) {
      return set(Field.FORMAT_CODE, formatCode);
    }

    /**
     * @param pan the PAN as a value ({@link Pan#withoutLuhnCheck} for test cards)
     * @return this builder
     */
    public Builder pan(Pan pan) {
      return pan(pan.digits());
    }

    /**
     * @param pan up to 19 digits, or empty
     * @return this
     */
    public Builder pan(String pan) {
      return set(Field.PAN, pan);
    }

    /**
     * @param expiry the expiry as a value
     * @return this builder
     */
    public Builder expiry(Expiry expiry) {
      return expiry(expiry.yymm());
    }

    /**
     * @param yymm expiry, or null for none
     * @return this
     */
    public Builder expiry(String yymm) {
      return set(Field.EXPIRY, yymm);
    }

    /**
     * @param check false to skip the PAN's Luhn check (test cards)
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
    public Track3 build() {
      String[] v = new String[FIELDS.length];
      StringBuilder t = new StringBuilder(107).append(';');
      for (Field f : FIELDS) {
        String x = values.containsKey(f) ? values.get(f) : f.defaultValue;
        if (x == null && f.kind != Kind.OPTIONAL) {
          x = f.defaultValue;
        }
        String name = f.fieldName();
        switch (f.kind) {
          case FIXED -> Checks.digits(name, x, f.length, f.length);
          case OPTIONAL -> {
            if (x != null) {
              if (f == Field.EXPIRY) {
                Checks.yymm(name, x);
              } else {
                Checks.digits(name, x, f.length, f.length);
              }
            }
          }
          case TERMINATED -> {
            if (f == Field.PAN) {
              Checks.digits(name, x, 0, 19);
              if (!x.isEmpty() && luhnCheck && !Pan.luhnValid(x)) {
                Lenient.soft(lenient, new ValidationException(name, "Luhn check digit does not match (switch the check off only for test cards)"));
              }
            } else {
              Checks.chars(name, x, TrackType.TRACK_3, '=');
            }
          }
          default -> Checks.chars(name, x, TrackType.TRACK_3, (char) 0);
        }
        if (f == Field.CURRENCY_EXPONENT && x.charAt(0) > '5') {
          throw new ValidationException(name, "must be 0..5");
        }
        v[f.ordinal()] = x;
        t.append(x == null ? "=" : x);
        if (f.kind == Kind.TERMINATED) {
          t.append('=');
        }
      }
      t.append('?');
      try {
        Checks.length(TrackType.TRACK_3, t.length());
      } catch (ValidationException e) {
        Lenient.soft(lenient, e);
      }
      return new Track3(v, t.toString());
    }
  }
}
