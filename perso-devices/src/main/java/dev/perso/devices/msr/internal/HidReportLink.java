package dev.perso.devices.msr.internal;

import dev.perso.core.TransportException;
import dev.perso.devices.link.ByteLink;
import java.time.Duration;

/**
 * A {@link ByteLink} over HID reports: each {@link #write} is one message cut into reports, and reads take
 * the bytes of reassembled messages. The reports go through a {@link Reports} port, which a USB HID library
 * would implement (SET_REPORT out, interrupt IN); none is on the project's list, so tests implement it.
 */
public final class HidReportLink implements ByteLink {

  /** Where reports go to and come from. */
  public interface Reports {
    /** @param report a 64-byte report to the device */
    void send(byte[] report);

    /**
     * @param timeout how long to wait
     * @return the next 64-byte report from the device, or null if none came in time
     */
    byte[] receive(Duration timeout);

    /** Releases the device. */
    void close();
  }

  private final Reports reports;
  private final String name;
  private final HidReports reassembler = new HidReports();
  private byte[] pending = new byte[0];
  private int pos;
  private boolean closed;

  /**
   * @param reports the report port
   * @param name a name for messages
   */
  public HidReportLink(Reports reports, String name) {
    this.reports = reports;
    this.name = name;
  }

  @Override
  public synchronized void write(byte[] data, int offset, int length) {
    check();
    byte[] msg = java.util.Arrays.copyOfRange(data, offset, offset + length);
    for (byte[] r : HidReports.frame(msg)) {
      reports.send(r);
    }
  }

  @Override
  public synchronized int read(Duration timeout) {
    check();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (pos >= pending.length) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return -1;
      }
      byte[] r = reports.receive(Duration.ofNanos(left));
      if (r == null) {
        return -1;
      }
      byte[] msg = reassembler.accept(r);
      if (msg != null) {
        pending = msg;
        pos = 0;
      }
    }
    return pending[pos++] & 0xFF;
  }

  @Override
  public synchronized void discardInput() {
    pending = new byte[0];
    pos = 0;
    byte[] r;
    while ((r = reports.receive(Duration.ZERO)) != null) {
      reassembler.accept(r);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      reports.close();
    }
  }

  private void check() {
    if (closed) {
      throw new TransportException(name + ": HID link closed");
    }
  }
}
