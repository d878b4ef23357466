package dev.perso.crypto.payshield.internal;

import dev.perso.core.MalformedDataException;
import dev.perso.core.ValidationException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One payShield host-protocol message without its length prefix: header, 2-character command (or
 * response) code, then the fields. On the wire it is preceded by a 2-byte big-endian length counting
 * everything after it (notes/payshield.md §1: pythales {@code struct.pack("!H")}, hsm-simu, hsm-guide
 * {@code 0006 0000NC}). An optional trailer follows an End Message Delimiter 0x19; it is not used by
 * this client and the test HSM echoes it.
 *
 * @param header the message header, echoed unchanged by the HSM
 * @param code the command code (request) or response code
 * @param body the fields (for a response: the error code first)
 */
public record HostMessage(String header, String code, byte[] body) {
  /** Largest message the 2-byte length can carry. */
  public static final int MAX_LENGTH = 0xFFFF;

  /** Checks the parts. */
  public HostMessage {
    if (header == null || !isPrintable(header)) {
      throw new ValidationException("header", "must be printable ASCII");
    }
    if (code == null || code.length() != 2 || !isPrintable(code)) {
      throw new ValidationException("code", "must be 2 printable ASCII characters");
    }
    if (body == null) {
      throw new ValidationException("body", "must not be null");
    }
  }

  private static boolean isPrintable(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7E) {
        return false;
      }
    }
    return true;
  }

  /** @return length prefix, header, code and body as sent on the wire */
  public byte[] encode() {
    int n = header.length() + 2 + body.length;
    if (n > MAX_LENGTH) {
      throw new ValidationException("message", "longer than " + MAX_LENGTH + " bytes: " + n);
    }
    byte[] out = new byte[2 + n];
    out[0] = (byte) (n >>> 8);
    out[1] = (byte) n;
    byte[] h = (header + code).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(h, 0, out, 2, h.length);
    System.arraycopy(body, 0, out, 2 + h.length, body.length);
    return out;
  }

  /**
   * Parses a message (the bytes after the length prefix).
   *
   * @param payload the message bytes
   * @param headerLength the configured header length
   * @return the message
   * @throws MalformedDataException if it is shorter than header and code or the header is not ASCII
   */
  public static HostMessage decode(byte[] payload, int headerLength) {
    if (payload.length < headerLength + 2) {
      throw new MalformedDataException(payload.length, "message of " + payload.length + " bytes is shorter than "
          + "header (" + headerLength + ") and code (2)");
    }
    for (int i = 0; i < headerLength + 2; i++) {
      if (payload[i] < 0x20 || payload[i] > 0x7E) {
        throw new MalformedDataException(i, "header and code must be printable ASCII");
      }
    }
    String header = new String(payload, 0, headerLength, StandardCharsets.US_ASCII);
    String code = new String(payload, headerLength, 2, StandardCharsets.US_ASCII);
    return new HostMessage(header, code, Arrays.copyOfRange(payload, headerLength + 2, payload.length));
  }

  /**
   * @param command a command code
   * @return its response code: the second character advanced by one (A0 → A1, NC → ND, M6 → M7;
   *     notes/payshield.md §1, hsm-guide, ut-codec-payshield)
   */
  public static String responseCode(String command) {
    return command.substring(0, 1) + (char) (command.charAt(1) + 1);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HostMessage m && m.header.equals(header) && m.code.equals(code) && Arrays.equals(m.body, body);
  }

  @Override
  public int hashCode() {
    return header.hashCode() * 31 + code.hashCode() * 17 + Arrays.hashCode(body);
  }

  @Override
  public String toString() {
    return "HostMessage[" + code + ", " + body.length + " body bytes]";
  }
}
