package dev.perso.devices.atr;

import dev.perso.core.internal.OwnedBytes;
import dev.perso.core.Bytes;
import dev.perso.core.internal.Hex;
import dev.perso.core.MalformedDataException;
import dev.perso.core.TransportException;
import dev.perso.core.ValidationException;
import java.util.OptionalInt;

/**
 * A protocol and parameters selection message (ISO/IEC 7816-3 §9): {@code FF PPS0 [PPS1] [PPS2]
 * [PPS3] PCK}, the same layout for request and confirmation. Built and checked as the CCID driver's
 * {@code pps.c} does: the card accepts by echoing; an echo without PPS1 keeps the default Fi/Di.
 *
 * <pre>{@code
 * Pps req = Pps.request(Protocol.T1, 0x18);
 * req.encode().toHex();                       // "FF1118F6"
 * Pps ok = Pps.confirm(req, Bytes.fromHex("FF1118F6"));
 * ok.fiDi();                                  // 0x18
 * }</pre>
 */
public final class Pps {
  private final Protocol protocol;
  private final int pps1;
  private final int pps2;
  private final int pps3;

  private Pps(Protocol protocol, int pps1, int pps2, int pps3) {
    this.protocol = protocol;
    this.pps1 = pps1;
    this.pps2 = pps2;
    this.pps3 = pps3;
  }

  /**
   * @param protocol T=0 or T=1 (any 0..14)
   * @return a request without PPS1: keep the default Fi/Di
   */
  public static Pps request(Protocol protocol) {
    checkProtocol(protocol);
    return new Pps(protocol, -1, -1, -1);
  }

  /**
   * @param protocol the protocol wanted
   * @param fiDi PPS1, coded like TA1; must name defined Fi and Di values
   * @return a request with PPS1
   */
  public static Pps request(Protocol protocol, int fiDi) {
    checkProtocol(protocol);
    if (!FiDi.isValid(fiDi)) {
      throw new ValidationException("pps1", "Fi/Di " + (fiDi >= 0 && fiDi <= 0xFF ? Hex.byteToHex(fiDi) : fiDi)
          + " names an RFU value");
    }
    return new Pps(protocol, fiDi, -1, -1);
  }

  private static void checkProtocol(Protocol protocol) {
    if (protocol == null || protocol == Protocol.T15) {
      throw new ValidationException("protocol", "must be T=0..T=14");
    }
  }

  /**
   * Parses a PPS message and checks PPSS and PCK.
   *
   * @param raw the message
   * @return the message
   * @throws MalformedDataException naming the offending offset
   */
  public static Pps parse(Bytes raw) {
    int n = raw.length();
    if (n < 3) {
      throw new MalformedDataException(n, "PPS needs at least PPSS PPS0 PCK, got " + n + " bytes");
    }
    if (raw.getUnsigned(0) != 0xFF) {
      throw new MalformedDataException(0, "PPSS must be FF, was " + Hex.byteToHex(raw.getUnsigned(0)));
    }
    int pps0 = raw.getUnsigned(1);
    if ((pps0 & 0x80) != 0) {
      throw new MalformedDataException(1, "PPS0 bit 8 is reserved and must be 0");
    }
    int expected = 3 + Integer.bitCount(pps0 & 0x70);
    if (n != expected) {
      throw new MalformedDataException(Math.min(n, expected), "PPS0 " + Hex.byteToHex(pps0) + " announces a "
          + expected + "-byte PPS, got " + n);
    }
    int x = 0;
    for (int i = 0; i < n; i++) {
      x ^= raw.getUnsigned(i);
    }
    if (x != 0) {
      throw new MalformedDataException(n - 1, "PCK is wrong; expected " + Hex.byteToHex(raw.getUnsigned(n - 1) ^ x));
    }
    int p = 2;
    int pps1 = (pps0 & 0x10) != 0 ? raw.getUnsigned(p++) : -1;
    int pps2 = (pps0 & 0x20) != 0 ? raw.getUnsigned(p++) : -1;
    int pps3 = (pps0 & 0x40) != 0 ? raw.getUnsigned(p) : -1;
    return new Pps(Protocol.of(pps0 & 0x0F), pps1, pps2, pps3);
  }

  /**
   * Checks a card's confirmation against a request (CCID {@code PPS_Match}).
   *
   * @param request what was sent
   * @param response what the card answered
   * @return the confirmation; its {@link #fiDi()} is the Fi/Di now in use
   * @throws MalformedDataException if the response is not a well-formed PPS
   * @throws TransportException if the card refused or changed the request
   */
  public static Pps confirm(Pps request, Bytes response) {
    Pps r = parse(response);
    if (r.protocol != request.protocol) {
      throw new TransportException("PPS refused: asked for " + request.protocol + ", card answered " + r.protocol);
    }
    if (r.pps1 >= 0 && r.pps1 != request.pps1) {
      throw new TransportException("PPS refused: PPS1 " + Hex.byteToHex(r.pps1) + " differs from the requested "
          + (request.pps1 < 0 ? "(none)" : Hex.byteToHex(request.pps1)));
    }
    if (response.length() > request.encode().length()) {
      throw new TransportException("PPS refused: confirmation is longer than the request");
    }
    if (response.length() == request.encode().length() && !response.equals(request.encode())) {
      throw new TransportException("PPS refused: confirmation " + response.toHex() + " differs from request "
          + request.encode().toHex());
    }
    return r;
  }

  /** @return the protocol selected */
  public Protocol protocol() {
    return protocol;
  }

  /** @return PPS1 if present */
  public OptionalInt pps1() {
    return pps1 < 0 ? OptionalInt.empty() : OptionalInt.of(pps1);
  }

  /** @return PPS2 if present */
  public OptionalInt pps2() {
    return pps2 < 0 ? OptionalInt.empty() : OptionalInt.of(pps2);
  }

  /** @return PPS3 if present */
  public OptionalInt pps3() {
    return pps3 < 0 ? OptionalInt.empty() : OptionalInt.of(pps3);
  }

  /** @return the Fi/Di in effect after this message: PPS1, or {@code 11} when absent */
  public int fiDi() {
    return pps1 < 0 ? FiDi.DEFAULT_TA1 : pps1;
  }

  /** @return {@code FF PPS0 [PPS1] [PPS2] [PPS3] PCK} */
  public Bytes encode() {
    int pps0 = protocol.number() | (pps1 >= 0 ? 0x10 : 0) | (pps2 >= 0 ? 0x20 : 0) | (pps3 >= 0 ? 0x40 : 0);
    byte[] b = new byte[3 + Integer.bitCount(pps0 & 0x70)];
    b[0] = (byte) 0xFF;
    b[1] = (byte) pps0;
    int p = 2;
    if (pps1 >= 0) {
      b[p++] = (byte) pps1;
    }
    if (pps2 >= 0) {
      b[p++] = (byte) pps2;
    }
    if (pps3 >= 0) {
      b[p++] = (byte) pps3;
    }
    int x = 0;
    for (int i = 0; i < p; i++) {
      x ^= b[i];
    }
    b[p] = (byte) x;
    return OwnedBytes.wrap(b);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Pps && ((Pps) o).encode().equals(encode());
  }

  @Override
  public int hashCode() {
    return encode().hashCode();
  }

  @Override
  public String toString() {
    return "Pps[" + encode().toHex() + " " + protocol + " Fi/Di " + Hex.byteToHex(fiDi()) + "]";
  }
}
