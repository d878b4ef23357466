package dev.perso.iso7813;

import dev.perso.core.Bytes;

/**
 * One track's content: its text from start sentinel to end sentinel, and its LRC. Track text is
 * cardholder data: implementations never print it in {@code toString}.
 *
 * <pre>{@code
 * Track t = Track2.builder().pan("4111111111111111").expiry("2612").serviceCode("101").build();
 * t.text();                                  // ";4111111111111111=2612101?"
 * t.lrcHex();                                // LRC data bits in hex
 * Bytes raw = t.encode(RawOptions.of(t.type(), 5));
 * }</pre>
 */
public sealed interface Track permits Track1, Track2, Track3 {
  /** @return which track this is */
  TrackType type();

  /** @return the text from start sentinel to end sentinel inclusive, without the LRC */
  String text();

  /** @return the LRC: XOR of the data bits of every character from SS to ES (parity not included) */
  int lrc();

  /** @return the LRC as two hex digits, e.g. {@code "2A"} */
  default String lrcHex() {
    return dev.perso.core.internal.Hex.byteToHex(lrc());
  }

  /** @return the LRC as the ASCII character with that code (it may be a sentinel or separator) */
  default char lrcCharacter() {
    return type().character(lrc());
  }

  /** @return the number of characters on the stripe including SS, ES and LRC */
  default int encodedLength() {
    return text().length() + 1;
  }

  /**
   * Encodes the track as a raw bit stream for an encoder's raw mode.
   *
   * @param options character form, bit order, leading and trailing zeros
   * @return the raw bytes, marked secret
   */
  default Bytes encode(RawOptions options) {
    return RawCodec.encode(type(), text(), options);
  }
}
