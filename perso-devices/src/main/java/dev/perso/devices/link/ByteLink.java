package dev.perso.devices.link;

import dev.perso.core.Bytes;
import java.time.Duration;

/**
 * A half-duplex raw byte link to a card or a reader: what a serial contact station, a pty or an
 * in-memory pipe offers. The T=0 and T=1 engines in {@code dev.perso.devices.tpdu} run over it.
 *
 * <p>Reads time out rather than block for ever: {@link #read(Duration)} returns -1 when nothing
 * arrived in time. Link failures (port gone, link closed) throw
 * {@link dev.perso.core.TransportException}.
 *
 * <pre>{@code
 * MemoryLink.Pair pair = MemoryLink.pair();
 * pair.host().write(Bytes.fromHex("00C101FE3E"));
 * int first = pair.card().read(Duration.ofMillis(100));   // 0x00
 * }</pre>
 */
public interface ByteLink extends AutoCloseable {

  /**
   * Sends bytes; returns once they are handed to the link.
   *
   * @param data the buffer
   * @param offset first byte to send
   * @param length number of bytes
   */
  void write(byte[] data, int offset, int length);

  /**
   * Sends bytes.
   *
   * @param data the bytes
   */
  default void write(Bytes data) {
    byte[] b = data.toByteArray();
    write(b, 0, b.length);
  }

  /**
   * Reads one byte.
   *
   * @param timeout how long to wait for it
   * @return the byte 0..255, or -1 if none arrived within {@code timeout}
   */
  int read(Duration timeout);

  /** Drops bytes received but not read yet (stale echoes, duplicated or late bytes). */
  void discardInput();

  /** @return a name for messages, e.g. {@code /dev/ttyUSB0} or {@code memory:host} */
  String name();

  /** Releases the link; pending and later reads fail. */
  @Override
  void close();
}
