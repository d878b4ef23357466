package dev.perso.devices.serial;

import com.fazecast.jSerialComm.SerialPort;
import com.fazecast.jSerialComm.SerialPortInvalidPortException;
import dev.perso.core.TransportException;
import dev.perso.core.ValidationException;
import dev.perso.devices.link.ByteLink;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A {@link ByteLink} over a serial port through jSerialComm, opened by device path: a UART
 * ({@code /dev/ttyS0}), a USB adapter ({@code /dev/ttyUSB0}) or a pseudo-terminal ({@code /dev/pts/3},
 * or a symlink to one as socat makes).
 *
 * <pre>{@code
 * try (SerialLink link = SerialLink.open("/dev/ttyUSB0", SerialConfig.iso7816());
 *      CardChannel ch = T1Protocol.builder(atr).build(link)) {
 *   ch.transmit(command);
 * }
 * }</pre>
 */
public final class SerialLink implements ByteLink {
  private final SerialPort port;
  private final String name;
  private final byte[] buf = new byte[512];
  private int head;
  private int tail;
  private int currentTimeoutMs = -1;
  private volatile boolean closed;

  private SerialLink(SerialPort port, String name) {
    this.port = port;
    this.name = name;
  }

  /**
   * Opens and configures a serial port.
   *
   * @param path device path; symlinks are followed
   * @param config line settings
   * @return the open link
   * @throws TransportException if the port cannot be opened or configured
   */
  public static SerialLink open(String path, SerialConfig config) {
    if (path == null || path.isBlank()) {
      throw new ValidationException("path", "must name a serial device");
    }
    if (config == null) {
      throw new ValidationException("config", "must not be null");
    }
    String real = path;
    try {
      real = Path.of(path).toRealPath().toString();
    } catch (IOException | RuntimeException e) {
      // keep the name as given (e.g. COM3 on Windows)
    }
    SerialPort p;
    try {
      p = SerialPort.getCommPort(real);
    } catch (SerialPortInvalidPortException e) {
      throw new TransportException("serial " + path + ": no such port", e);
    }
    int parity = config.parity() == SerialConfig.Parity.NONE ? SerialPort.NO_PARITY
        : config.parity() == SerialConfig.Parity.EVEN ? SerialPort.EVEN_PARITY : SerialPort.ODD_PARITY;
    int stop = config.stopBits() == SerialConfig.StopBits.ONE ? SerialPort.ONE_STOP_BIT
        : config.stopBits() == SerialConfig.StopBits.TWO ? SerialPort.TWO_STOP_BITS : SerialPort.ONE_POINT_FIVE_STOP_BITS;
    p.setComPortParameters(config.baud(), config.dataBits(), stop, parity);
    p.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, 1, (int) Math.min(Integer.MAX_VALUE,
        config.writeTimeout().toMillis()));
    if (!p.openPort()) {
      throw new TransportException("serial " + path + ": cannot open (error " + p.getLastErrorCode()
          + " at " + p.getLastErrorLocation() + "; does it exist, and may this user open it?)");
    }
    return new SerialLink(p, path);
  }

  @Override
  public synchronized void write(byte[] data, int offset, int length) {
    checkOpen();
    int done = 0;
    while (done < length) {
      int n = port.writeBytes(data, length - done, offset + done);
      if (n <= 0) {
        throw new TransportException("serial " + name + ": write failed (error " + port.getLastErrorCode() + ")");
      }
      done += n;
    }
  }

  @Override
  public synchronized int read(Duration timeout) {
    checkOpen();
    if (head < tail) {
      return buf[head++] & 0xFF;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long leftMs = Math.max(1, (deadline - System.nanoTime() + 999_999) / 1_000_000);
      int ms = (int) Math.min(Integer.MAX_VALUE, leftMs);
      if (ms != currentTimeoutMs) {
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, ms, 0);
        currentTimeoutMs = ms;
      }
      int n = port.readBytes(buf, buf.length);
      if (n < 0) {
        checkOpen();
        throw new TransportException("serial " + name + ": read failed (error " + port.getLastErrorCode() + ")");
      }
      if (n > 0) {
        head = 1;
        tail = n;
        return buf[0] & 0xFF;
      }
      if (System.nanoTime() >= deadline) {
        return -1;
      }
    }
  }

  @Override
  public synchronized void discardInput() {
    checkOpen();
    head = 0;
    tail = 0;
    byte[] scratch = new byte[256];
    int avail;
    while ((avail = port.bytesAvailable()) > 0) {
      if (port.readBytes(scratch, Math.min(avail, scratch.length)) <= 0) {
        break;
      }
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new TransportException("serial " + name + ": link closed");
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void close() {
    closed = true;
    port.closePort();
  }
}
