package dev.perso.emv.cps;

import dev.perso.core.Bytes;
import dev.perso.core.internal.Hex;
import dev.perso.core.MalformedDataException;
import dev.perso.core.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A Data Grouping Identifier and its value, the unit of EMV CPS personalization data.
 *
 * <p>Encoding (GP Card Spec 2.3.1 §11.1.12, EMV CPS v1.1): the DGI on two bytes, a length of one byte
 * {@code 00}–{@code FE}, or {@code FF} followed by two bytes, then the value. Values up to 65535 bytes.
 * A DGI never prints its value (the value is marked secret): record DGIs carry PANs and track data,
 * 8xxx DGIs carry keys and PINs.
 *
 * <pre>{@code
 * Dgi kcv = Dgi.of(0x9000, Bytes.fromHex("97DCB0CE4E2CB37DF3"));
 * kcv.encode().toHex();                           // "90000997DCB0CE4E2CB37DF3"
 * List<Dgi> all = Dgi.parseAll(Bytes.fromHex("9000 09 97DCB0CE4E2CB37DF3 9010 02 0303"));
 * }</pre>
 *
 * @param id the DGI, 0x0000..0xFFFF
 * @param value the data, 0..65535 bytes
 */
public record Dgi(int id, Bytes value) {

  /** Largest value length the length field can express. */
  public static final int MAX_LENGTH = 0xFFFF;

  /**
   * @throws ValidationException if the id or the length is out of range
   */
  public Dgi {
    if (id < 0 || id > 0xFFFF) {
      throw new ValidationException("dgi", "must be 0000..FFFF, was " + Integer.toHexString(id));
    }
    Objects.requireNonNull(value, "value");
    value = value.asSecret();
    if (value.length() > MAX_LENGTH) {
      throw new ValidationException("dgi " + hex(id), "value must be at most 65535 bytes, was " + value.length());
    }
  }

  /**
   * @param id the DGI, e.g. {@code 0x8000}
   * @param value its data
   * @return the DGI
   */
  public static Dgi of(int id, Bytes value) {
    return new Dgi(id, value);
  }

  /** @return the id as four hex digits, e.g. {@code 8000} */
  public String idHex() {
    return hex(id);
  }

  static String hex(int id) {
    return Hex.byteToHex(id >>> 8) + Hex.byteToHex(id);
  }

  /** @return the size of the length field for this value: 1 or 3 bytes */
  public int lengthFieldSize() {
    return lengthFieldSize(value.length());
  }

  /**
   * @param length a value length
   * @return 1 for 0..254, 3 for 255..65535
   */
  public static int lengthFieldSize(int length) {
    return length < 0xFF ? 1 : 3;
  }

  /** @return header (id and length) plus value length */
  public int encodedLength() {
    return 2 + lengthFieldSize() + value.length();
  }

  /** @return the id and length field, without the value */
  public Bytes header() {
    return header(id, value.length());
  }

  /**
   * @param id a DGI
   * @param length its value length
   * @return the DGI and length field as they are sent
   */
  public static Bytes header(int id, int length) {
    if (length < 0xFF) {
      return Bytes.ofUnsigned(id >>> 8, id & 0xFF, length);
    }
    return Bytes.ofUnsigned(id >>> 8, id & 0xFF, 0xFF, length >>> 8, length & 0xFF);
  }

  /** @return DGI, length and value */
  public Bytes encode() {
    return Bytes.concat(header(), value);
  }

  /**
   * Parses a sequence of DGIs (a DGI file, or the data of reassembled STORE DATA commands).
   *
   * @param data the encoded DGIs
   * @return the DGIs in order
   * @throws MalformedDataException naming the offset of a truncated DGI or length
   */
  public static List<Dgi> parseAll(Bytes data) {
    byte[] b = data.toByteArray();
    List<Dgi> out = new ArrayList<>();
    int at = 0;
    while (at < b.length) {
      if (b.length - at < 3) {
        throw new MalformedDataException(at, "DGI header needs 3 bytes, " + (b.length - at) + " left");
      }
      int id = ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
      int len = b[at + 2] & 0xFF;
      int valueAt = at + 3;
      if (len == 0xFF) {
        if (b.length - at < 5) {
          throw new MalformedDataException(at + 2, "DGI " + hex(id) + ": length FF needs 2 more bytes");
        }
        len = ((b[at + 3] & 0xFF) << 8) | (b[at + 4] & 0xFF);
        valueAt = at + 5;
      }
      if (b.length - valueAt < len) {
        throw new MalformedDataException(at + 2, "DGI " + hex(id) + " announces " + len + " bytes, "
            + (b.length - valueAt) + " left");
      }
      out.add(new Dgi(id, Bytes.of(b, valueAt, len)));
      at = valueAt + len;
    }
    return List.copyOf(out);
  }

  /** @return e.g. {@code DGI 8000 (48 bytes)}; never the value */
  @Override
  public String toString() {
    return "DGI " + hex(id) + " (" + value.length() + " bytes)";
  }
}
