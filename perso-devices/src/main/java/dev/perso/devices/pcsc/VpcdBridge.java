package dev.perso.devices.pcsc;

import dev.perso.core.Bytes;
import dev.perso.core.TransportException;
import dev.perso.core.ValidationException;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.card.VirtualCard;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * Puts a {@link VirtualCard} into a vsmartcard vpcd reader slot, so that pcscd presents it as a
 * card in a real PC/SC reader. Speaks the vpcd wire protocol (frankmorgner/vsmartcard
 * {@code vpcd.c}): each message is a 2-byte big-endian length and a payload; 1-byte payloads are
 * control ({@code 00} power off, {@code 01} power on, {@code 02} reset, {@code 04} get ATR, the
 * only one answered), anything longer is a command APDU answered with the response APDU.
 * Connecting inserts the card; {@link #close()} removes it.
 *
 * <pre>{@code
 * try (VpcdBridge slot = VpcdBridge.insert(card, "127.0.0.1", 35963, Duration.ofSeconds(5))) {
 *   PcscReaders.system().waitForCard("Virtual PCD 00 00", Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public final class VpcdBridge implements AutoCloseable {
  private static final int MAX_MESSAGE = 0xFFFF;

  private final VirtualCard card;
  private final Socket socket;
  private final Thread thread;
  private volatile boolean closed;

  private VpcdBridge(VirtualCard card, Socket socket) {
    this.card = card;
    this.socket = socket;
    this.thread = new Thread(this::serve, "vpcd " + socket.getRemoteSocketAddress());
    this.thread.setDaemon(true);
  }

  /**
   * Connects to a vpcd slot, retrying until vpcd listens or the timeout passes.
   *
   * @param card the card to insert
   * @param host vpcd host, usually {@code 127.0.0.1}
   * @param port the slot's TCP port (reader.conf CHANNELID for slot 0, +1 for slot 1)
   * @param timeout how long to keep trying
   * @return the running bridge
   * @throws TransportException if vpcd cannot be reached in time
   */
  public static VpcdBridge insert(VirtualCard card, String host, int port, Duration timeout) {
    if (card == null) {
      throw new ValidationException("card", "must not be null");
    }
    if (port < 1 || port > 65535) {
      throw new ValidationException("port", "must be 1..65535, was " + port);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    IOException last = null;
    do {
      Socket s = new Socket();
      try {
        s.connect(new InetSocketAddress(host, port), 1000);
        s.setTcpNoDelay(true);
        VpcdBridge b = new VpcdBridge(card, s);
        b.thread.start();
        return b;
      } catch (IOException e) {
        last = e;
        try {
          s.close();
          Thread.sleep(100);
        } catch (IOException | InterruptedException ignored) {
          if (ignored instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            break;
          }
        }
      }
    } while (System.nanoTime() < deadline);
    throw new TransportException("vpcd " + host + ":" + port + ": cannot connect (is pcscd running with a vpcd reader"
        + " on this port?)", last);
  }

  private void serve() {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()))) {
      while (!closed) {
        int len;
        try {
          len = in.readUnsignedShort();
        } catch (EOFException e) {
          return;
        }
        byte[] msg = new byte[len];
        in.readFully(msg);
        if (len == 1) {
          switch (msg[0]) {
            case 0x04:
              send(out, card.atr().toByteArray());
              break;
            case 0x00:
            case 0x01:
            case 0x02:
              card.reset();
              break;
            default:
              break;
          }
          continue;
        }
        send(out, answer(msg));
      }
    } catch (IOException e) {
      // socket closed: card removed
    }
  }

  private byte[] answer(byte[] apdu) {
    ResponseApdu r;
    try {
      CommandApdu c = CommandApdu.parse(apdu);
      r = card.process(c);
    } catch (RuntimeException e) {
      r = ResponseApdu.of(e instanceof dev.perso.core.MalformedDataException ? 0x6700 : 0x6F00);
    }
    Bytes b = r.encode();
    if (b.length() > MAX_MESSAGE) {
      return new byte[] {0x6F, 0x00}; // vpcd cannot carry it; the stream would desynchronise
    }
    return b.toByteArray();
  }

  private static void send(DataOutputStream out, byte[] payload) throws IOException {
    out.writeShort(payload.length);
    out.write(payload);
    out.flush();
  }

  /** @return true while the card is inserted (the connection to vpcd is open) */
  public boolean isInserted() {
    return !closed && thread.isAlive();
  }

  /** Removes the card: closes the connection to vpcd. */
  @Override
  public void close() {
    closed = true;
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    try {
      thread.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
