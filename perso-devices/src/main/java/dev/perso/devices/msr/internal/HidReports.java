package dev.perso.devices.msr.internal;

import dev.perso.core.MalformedDataException;
import dev.perso.core.ValidationException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The MSR605X's USB-HID report framing (notes magstripe-surface.md §3.3, from {@code Protryon/misiri_driver}):
 * the same ESC command set cut into 64-byte reports {@code [hdr][63 payload bytes]}, where header bit 7
 * ({@code 0x80}) marks the first report of a message, bit 6 ({@code 0x40}) the last, and the low 6 bits the
 * payload length. The reassembler also takes the start bit on every report, as misiri sends it.
 *
 * <p>No HID library is on the project's list, so there is no USB transport: the framing is proven
 * against constructed reports and, through {@link HidReportLink}, under the {@code Msr605Encoder} itself.
 */
public final class HidReports {
  /** Report size. */
  public static final int REPORT = 64;
  /** Payload bytes per report. */
  public static final int PAYLOAD = 63;
  /** Header bit: first report of a message. */
  public static final int START = 0x80;
  /** Header bit: last report of a message. */
  public static final int END = 0x40;

  private final ByteArrayOutputStream message = new ByteArrayOutputStream();
  private boolean inMessage;

  /**
   * @param message one message (a command frame or an answer), at least one byte
   * @return its reports, 64 bytes each
   */
  public static List<byte[]> frame(byte[] message) {
    if (message.length == 0) {
      throw new ValidationException("message", "must not be empty");
    }
    List<byte[]> out = new ArrayList<>();
    for (int off = 0; off < message.length; off += PAYLOAD) {
      int n = Math.min(PAYLOAD, message.length - off);
      byte[] r = new byte[REPORT];
      r[0] = (byte) ((off == 0 ? START : 0) | (off + n == message.length ? END : 0) | n);
      System.arraycopy(message, off, r, 1, n);
      out.add(r);
    }
    return out;
  }

  /**
   * Takes one report.
   *
   * @param report a 64-byte report
   * @return the whole message when this report ends one, else null
   * @throws MalformedDataException for a report of another size, or a continuation
   *     without a start
   */
  public byte[] accept(byte[] report) {
    if (report.length != REPORT) {
      throw new MalformedDataException(0, "HID report is " + report.length + " bytes, not " + REPORT);
    }
    int hdr = report[0] & 0xFF;
    int n = hdr & 0x3F;   // at most 63: a report always has room for its payload
    if ((hdr & START) != 0 && !inMessage) {
      message.reset();
      inMessage = true;
    } else if (!inMessage) {
      throw new MalformedDataException(0, "HID report continues a message that never started");
    }
    message.write(report, 1, n);
    if ((hdr & END) != 0) {
      inMessage = false;
      byte[] out = message.toByteArray();
      message.reset();
      return out;
    }
    return null;
  }
}
