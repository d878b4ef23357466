package dev.perso.gp;

import dev.perso.core.Bytes;
import dev.perso.core.MalformedDataException;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.channel.CardChannel;
import dev.perso.core.channel.GetResponse;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Card Production Life Cycle data, GET DATA {@code 9F7F}: 42 bytes of fields set by the chip and card
 * makers. GP 2.3.1 does not define CPLC; the field layout is the one GlobalPlatformPro ({@code CPLC.Field})
 * and kaoh/globalplatform ({@code OPGP_CPLC}) agree on. Dates are {@code YDDD}: the last digit of the year
 * and the day of the year, as decimal digits. Immutable.
 *
 * <pre>{@code
 * Cplc cplc = Cplc.parse(getData9F7F.data());
 * cplc.field(Cplc.Field.IC_SERIAL_NUMBER);   // 4 bytes
 * cplc.date(Cplc.Field.IC_FABRICATION_DATE, LocalDate.now());
 * }</pre>
 *
 * @param value the 42 CPLC bytes, without tag and length
 */
public record Cplc(Bytes value) {
  /** The CPLC length. */
  public static final int LENGTH = 42;

  /** The fields, in order, with their lengths. */
  public enum Field {
    /** 2. */ IC_FABRICATOR(2),
    /** 2. */ IC_TYPE(2),
    /** 2. */ OPERATING_SYSTEM_ID(2),
    /** 2, a date. */ OPERATING_SYSTEM_RELEASE_DATE(2),
    /** 2. */ OPERATING_SYSTEM_RELEASE_LEVEL(2),
    /** 2, a date. */ IC_FABRICATION_DATE(2),
    /** 4. */ IC_SERIAL_NUMBER(4),
    /** 2. */ IC_BATCH_IDENTIFIER(2),
    /** 2. */ IC_MODULE_FABRICATOR(2),
    /** 2, a date. */ IC_MODULE_PACKAGING_DATE(2),
    /** 2. */ ICC_MANUFACTURER(2),
    /** 2, a date. */ IC_EMBEDDING_DATE(2),
    /** 2. */ IC_PRE_PERSONALIZER(2),
    /** 2, a date. */ IC_PRE_PERSONALIZATION_DATE(2),
    /** 4. */ IC_PRE_PERSONALIZATION_EQUIPMENT_ID(4),
    /** 2. */ IC_PERSONALIZER(2),
    /** 2, a date. */ IC_PERSONALIZATION_DATE(2),
    /** 4. */ IC_PERSONALIZATION_EQUIPMENT_ID(4);

    private final int length;

    Field(int length) {
      this.length = length;
    }

    /** @return the field's length in bytes */
    public int length() {
      return length;
    }

    int offset() {
      int off = 0;
      for (Field f : values()) {
        if (f == this) {
          return off;
        }
        off += f.length;
      }
      throw new IllegalStateException();
    }

    boolean isDate() {
      return name().endsWith("_DATE");
    }
  }

  /** Checks the length. */
  public Cplc {
    Objects.requireNonNull(value, "value");
    if (value.length() != LENGTH) {
      throw new MalformedDataException(-1, "CPLC is " + value.length() + " bytes, expected " + LENGTH);
    }
  }

  /**
   * @param data the GET DATA 9F7F response data: {@code 9F7F 2A} and 42 bytes, or the 42 bytes alone (some
   *     cards leave out tag and length)
   * @return the CPLC
   * @throws MalformedDataException for any other layout
   */
  public static Cplc parse(Bytes data) {
    if (data.length() == LENGTH + 3 && data.getUnsigned(0) == 0x9F && data.getUnsigned(1) == 0x7F
        && data.getUnsigned(2) == LENGTH) {
      return new Cplc(data.slice(3));
    }
    if (data.length() == LENGTH) {
      return new Cplc(data);
    }
    throw new MalformedDataException(-1, "GET DATA 9F7F answered " + data.length() + " bytes; CPLC is 9F7F 2A and "
        + LENGTH + " bytes");
  }

  /**
   * Reads the CPLC of the card on a channel, as a later production stage identifies a card: SELECT of the
   * Issuer Security Domain without an AID ("the Lc and data field of the SELECT command may be omitted if
   * the Issuer Security Domain is being selected", GP Card Spec v2.3.1 §11.9.2.3), then GET DATA 9F7F with
   * CLA 80, and with CLA 00 when the card refuses the class or instruction (as GlobalPlatformPro's
   * {@code GPData.fetchCPLC} does). No secure channel is needed.
   *
   * <pre>{@code
   * Optional<Cplc> cplc = Cplc.read(channel);
   * cplc.map(Cplc::icSerialId);   // "4790D600844834295220"
   * }</pre>
   *
   * @param channel the card's channel, the card just reset
   * @return the CPLC, or empty if the card has none (it answers GET DATA 9F7F with an error status)
   * @throws MalformedDataException if the card answers with something that is not a CPLC
   */
  public static Optional<Cplc> read(CardChannel channel) {
    CardChannel ch = channel.with(GetResponse.auto());
    ch.transmit(CommandApdu.of(0x00, 0xA4, 0x04, 0x00, Bytes.empty(), 256));
    ResponseApdu r = ch.transmit(GpCommands.getData(0x9F7F));
    int sw = r.sw().value();
    if (sw == 0x6D00 || sw == 0x6E00) {
      r = ch.transmit(CommandApdu.of(0x00, 0xCA, 0x9F, 0x7F, Bytes.empty(), 256));
    }
    return r.isSuccess() ? Optional.of(parse(r.data())) : Optional.empty();
  }

  /**
   * The chip's identity as a production line keeps it: IC fabricator, IC type, IC batch identifier and IC
   * serial number, hex (10 bytes). The serial number alone is the fabricator's count within a batch; the
   * other fields make it unique across the chips of one job. Not a secret.
   *
   * @return 20 hex digits, e.g. {@code 4790D600844834295220}
   */
  public String icSerialId() {
    return Bytes.concat(field(Field.IC_FABRICATOR), field(Field.IC_TYPE), field(Field.IC_BATCH_IDENTIFIER),
        field(Field.IC_SERIAL_NUMBER)).toHex();
  }

  /**
   * @param field a field
   * @param bytes its new value, of the field's length
   * @return a copy of this CPLC with the field set
   */
  public Cplc with(Field field, Bytes bytes) {
    if (bytes.length() != field.length()) {
      throw new dev.perso.core.ValidationException("cplc." + field, "is " + field.length() + " bytes, was "
          + bytes.length());
    }
    return new Cplc(Bytes.concat(value.slice(0, field.offset()), bytes,
        value.slice(field.offset() + field.length())));
  }

  /** @return {@code 9F7F 2A} and the value */
  public Bytes encode() {
    return Bytes.concat(Bytes.fromHex("9F7F2A"), value);
  }

  /**
   * @param field a field
   * @return its bytes
   */
  public Bytes field(Field field) {
    return value.slice(field.offset(), field.offset() + field.length());
  }

  /**
   * Decodes a {@code YDDD} date: the year is the latest one ending in digit Y that is not after
   * {@code reference}'s year.
   *
   * @param field a date field
   * @param reference a date to place the one-digit year (usually today)
   * @return the date, or empty for 0000, FFFF or digits that are no day of the year
   */
  public Optional<LocalDate> date(Field field, LocalDate reference) {
    if (!field.isDate()) {
      throw new dev.perso.core.ValidationException("field", field + " is not a date field");
    }
    String hex = field(field).toHex();
    if (!hex.matches("[0-9]{4}") || hex.equals("0000")) {
      return Optional.empty();
    }
    int y = hex.charAt(0) - '0';
    int day = Integer.parseInt(hex.substring(1));
    int year = reference.getYear() - Math.floorMod(reference.getYear() - y, 10);
    if (day < 1 || day > LocalDate.of(year, 1, 1).lengthOfYear()) {
      return Optional.empty();
    }
    return Optional.of(LocalDate.ofYearDay(year, day));
  }

  /** @return every field by name, hex */
  public Map<String, String> fields() {
    Map<String, String> m = new LinkedHashMap<>();
    for (Field f : Field.values()) {
      m.put(f.name(), field(f).toHex());
    }
    return m;
  }
}
