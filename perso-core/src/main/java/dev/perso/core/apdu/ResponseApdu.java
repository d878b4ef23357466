package dev.perso.core.apdu;

import dev.perso.core.Bytes;
import dev.perso.core.CardStatusException;
import dev.perso.core.MalformedDataException;

/**
 * A response APDU per ISO/IEC 7816-4 §5.1: response data followed by SW1 SW2.
 *
 * <pre>{@code
 * ResponseApdu r = ResponseApdu.parse(Bytes.fromHex("6F1A84...9000"));
 * r.sw().isSuccess();                 // true
 * r.requireSuccess("SELECT").data();  // throws CardStatusException unless 9000
 * }</pre>
 *
 * @param data the response data (never null, possibly empty)
 * @param sw the status word
 */
public record ResponseApdu(Bytes data, StatusWord sw) {

  /** Validates components; null data becomes empty. */
  public ResponseApdu {
    if (data == null) {
      data = Bytes.empty();
    }
    if (sw == null) {
      throw new dev.perso.core.ValidationException("sw", "must not be null");
    }
  }

  /**
   * @param data response data
   * @param sw status word value, e.g. {@code 0x9000}
   * @return the response
   */
  public static ResponseApdu of(Bytes data, int sw) {
    return new ResponseApdu(data, StatusWord.of(sw));
  }

  /**
   * @param sw status word value
   * @return a response without data
   */
  public static ResponseApdu of(int sw) {
    return new ResponseApdu(Bytes.empty(), StatusWord.of(sw));
  }

  /**
   * @param raw data followed by SW1 SW2
   * @return the response
   * @throws MalformedDataException if fewer than two bytes are given
   */
  public static ResponseApdu parse(Bytes raw) {
    int n = raw.length();
    if (n < 2) {
      throw new MalformedDataException(n, "response APDU needs SW1 SW2, got " + n + " bytes");
    }
    return new ResponseApdu(raw.slice(0, n - 2), StatusWord.of(raw.getUnsigned(n - 2), raw.getUnsigned(n - 1)));
  }

  /**
   * @param raw data followed by SW1 SW2
   * @return the response
   * @throws MalformedDataException if fewer than two bytes are given
   */
  public static ResponseApdu parse(byte[] raw) {
    if (raw.length < 2) {
      throw new MalformedDataException(raw.length, "response APDU needs SW1 SW2, got " + raw.length + " bytes");
    }
    return new ResponseApdu(Bytes.of(raw, 0, raw.length - 2),
        StatusWord.of(raw[raw.length - 2] & 0xFF, raw[raw.length - 1] & 0xFF));
  }

  /** @return data followed by SW1 SW2 */
  public Bytes encode() {
    return Bytes.concat(data, Bytes.ofUnsigned(sw.sw1(), sw.sw2()));
  }

  /** @return SW1 */
  public int sw1() {
    return sw.sw1();
  }

  /** @return SW2 */
  public int sw2() {
    return sw.sw2();
  }

  /** @return true if the status word is 9000 */
  public boolean isSuccess() {
    return sw.isSuccess();
  }

  /**
   * @param operation the command in words, for the error message
   * @return this response if its status is 9000
   * @throws CardStatusException otherwise
   */
  public ResponseApdu requireSuccess(String operation) {
    if (!sw.isSuccess()) {
      throw new CardStatusException(operation, sw);
    }
    return this;
  }

  /** @return e.g. {@code [6F1A...] 9000}; secret-marked data prints masked */
  @Override
  public String toString() {
    String d = data.isEmpty() ? "" : data.isSecret() ? "[secret] " : "[" + data.toHex() + "] ";
    return d + sw.toHex();
  }
}
