package dev.perso.devices.evolis.internal;

import dev.perso.core.DeviceFault;
import dev.perso.core.MalformedDataException;
import dev.perso.core.ValidationException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The Evolis command language's frames (notes magstripe-surface §3.4, Programming Guide A5013 §3): a command
 * is {@code ESC} (0x1B), the command name, {@code ;}-separated parameters and {@code CR} (0x0D). A panel
 * download carries its bitmap as the last parameter, raw bytes of a length fixed by the panel (so a 0x0D
 * inside it is data). The printer answers each command with ASCII text ended by CR: {@code OK} when
 * accepted, the value asked for by a read command, or {@code NACK;<code>} when refused, with the codes of
 * the guide's ACK/NACK protocol: 1 command, 2 parameter, T timeout/mechanical, C cover, F feeder, R ribbon,
 * K magnetic checksum, D magnetic data, W writing magnetic data. (The notes give the codes, not the reply's
 * wire form: {@code NACK;<code>} and the CR ending are this driver's reading, kept in one place here.)
 */
public final class EvolisProtocol {
  /** Start of a command. */
  public static final int ESC = 0x1B;
  /** End of a command and of a reply. */
  public static final int CR = 0x0D;
  /** The longest reply this driver reads (a track read back, a model name). */
  public static final int MAX_REPLY = 512;

  private EvolisProtocol() {}

  /**
   * @param name the command, e.g. {@code Pmc}
   * @param params its parameters; printable ASCII, no {@code ;} except in the last one
   * @return the frame
   * @throws ValidationException for a parameter that would break the frame, naming the command (never the value)
   */
  public static byte[] command(String name, String... params) {
    checkName(name);
    ByteArrayOutputStream out = new ByteArrayOutputStream(16);
    out.write(ESC);
    out.writeBytes(name.getBytes(StandardCharsets.US_ASCII));
    for (int k = 0; k < params.length; k++) {
      String p = params[k];
      for (int i = 0; i < p.length(); i++) {
        char c = p.charAt(i);
        if (c < 0x20 || c > 0x7E || (c == ';' && k < params.length - 1)) {
          throw new ValidationException(name + " parameter " + (k + 1), "must be printable ASCII"
              + (k < params.length - 1 ? " without ';'" : "") + ", found 0x" + Integer.toHexString(c) + " at " + i);
        }
      }
      out.write(';');
      out.writeBytes(p.getBytes(StandardCharsets.US_ASCII));
    }
    out.write(CR);
    return out.toByteArray();
  }

  /**
   * @param name {@code Db} (raw) or {@code Dbc} (K/O compressed)
   * @param panel y, m, c, k or o
   * @param levels 2, 32, 64 or 128
   * @param data the panel's bytes
   * @return the frame {@code ESC name;panel;levels;data CR}
   */
  public static byte[] bitmap(String name, char panel, int levels, byte[] data) {
    if (!"Db".equals(name) && !"Dbc".equals(name)) {
      throw new ValidationException("bitmap command", "must be Db or Dbc, was " + name);
    }
    if ("ymcko".indexOf(panel) < 0) {
      throw new ValidationException("panel", "must be one of y m c k o, was " + panel);
    }
    if (levels != 2 && levels != 32 && levels != 64 && levels != 128) {
      throw new ValidationException("levels", "must be 2, 32, 64 or 128, was " + levels);
    }
    byte[] head = ("" + (char) ESC + name + ";" + panel + ";" + levels + ";").getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[head.length + data.length + 1];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(data, 0, out, head.length, data.length);
    out[out.length - 1] = CR;
    return out;
  }

  private static void checkName(String name) {
    if (name == null || !name.matches("[A-Z][a-z]{1,4}")) {
      throw new ValidationException("command", "must be an Evolis command name such as Ss or Pmc, was " + name);
    }
  }

  /** A reply: OK, a value, or a NACK code. */
  public record Reply(String text) {
    /** @return true for {@code OK} */
    public boolean ok() {
      return "OK".equals(text);
    }

    /** @return the NACK code, or 0 when the reply is not a NACK */
    public char nack() {
      return text.length() == 6 && text.startsWith("NACK;") ? text.charAt(5) : 0;
    }
  }

  /**
   * @param bytes a reply without its CR
   * @return the reply
   * @throws MalformedDataException for a byte that is not printable ASCII or a reply above {@link #MAX_REPLY}
   */
  public static Reply reply(byte[] bytes) {
    if (bytes.length > MAX_REPLY) {
      throw new MalformedDataException(MAX_REPLY, "Evolis reply longer than " + MAX_REPLY + " bytes");
    }
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] < 0x20 || bytes[i] > 0x7E) {
        throw new MalformedDataException(i, "Evolis reply byte 0x" + Integer.toHexString(bytes[i] & 0xFF)
            + " is not printable ASCII");
      }
    }
    if (bytes.length > 4 && new String(bytes, 0, 5, StandardCharsets.US_ASCII).equals("NACK;")
        && (bytes.length != 6 || faultOf((char) bytes[5]) == null)) {
      throw new MalformedDataException(5, "Evolis NACK without a known code (1 2 T C F R K D W)");
    }
    return new Reply(new String(bytes, StandardCharsets.US_ASCII));
  }

  /**
   * @param code a NACK code
   * @return the fault a line acts on, or null for a code the guide does not list
   */
  public static DeviceFault faultOf(char code) {
    return switch (code) {
      case '1', '2' -> DeviceFault.COMMUNICATION_ERROR; // the printer refused our command or parameter
      case 'T' -> DeviceFault.JAM;                      // timeout / mechanical: the card is stuck
      case 'C' -> DeviceFault.COVER_OPEN;
      case 'F' -> DeviceFault.HOPPER_EMPTY;             // feeder
      case 'R' -> DeviceFault.RIBBON_OUT;
      case 'K', 'D', 'W' -> DeviceFault.WRITE_ERROR;    // magnetic checksum, data, writing
      default -> null;
    };
  }

  /**
   * @param code a NACK code
   * @return what it means, in the guide's words
   */
  public static String meaning(char code) {
    return switch (code) {
      case '1' -> "command refused";
      case '2' -> "parameter refused";
      case 'T' -> "timeout or mechanical error";
      case 'C' -> "cover open";
      case 'F' -> "feeder";
      case 'R' -> "ribbon";
      case 'K' -> "magnetic checksum";
      case 'D' -> "magnetic data";
      case 'W' -> "writing magnetic data";
      default -> "unknown";
    };
  }
}
