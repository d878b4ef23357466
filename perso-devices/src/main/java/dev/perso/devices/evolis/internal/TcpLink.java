package dev.perso.devices.evolis.internal;

import dev.perso.core.TransportException;
import dev.perso.devices.link.ByteLink;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/** A {@link ByteLink} over a TCP connection (a network printer's raw port, e.g. 9100). */
public final class TcpLink implements ByteLink {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final String name;
  private int soTimeout = -1;
  private final byte[] buf = new byte[1 << 16];
  private int head;
  private int tail;

  private TcpLink(Socket socket, String name) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = new java.io.BufferedOutputStream(socket.getOutputStream(), 1 << 16);
    this.name = name;
  }

  /**
   * @param host the host
   * @param port the port
   * @param connectTimeout how long to try
   * @return the open link
   * @throws TransportException if the connection cannot be made
   */
  public static TcpLink connect(String host, int port, Duration connectTimeout) {
    Socket s = new Socket();
    try {
      s.setTcpNoDelay(true);
      s.connect(new InetSocketAddress(host, port), (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
      return new TcpLink(s, "tcp://" + host + ":" + port);
    } catch (IOException | IllegalArgumentException e) {
      try {
        s.close();
      } catch (IOException ignored) {
        // nothing more to release
      }
      throw new TransportException("tcp://" + host + ":" + port + ": cannot connect (" + e.getMessage() + ")", e);
    }
  }

  /**
   * @param accepted a connected socket (e.g. accepted by a server)
   * @return the link over it
   */
  public static TcpLink over(Socket accepted) {
    try {
      accepted.setTcpNoDelay(true);
      return new TcpLink(accepted, "tcp:" + accepted.getRemoteSocketAddress());
    } catch (IOException e) {
      throw new TransportException("socket: " + e.getMessage(), e);
    }
  }

  @Override
  public void write(byte[] data, int offset, int length) {
    try {
      out.write(data, offset, length);
      out.flush();
    } catch (IOException e) {
      throw new TransportException(name + ": write failed (" + e.getMessage() + ")", e);
    }
  }

  @Override
  public synchronized int read(Duration timeout) {
    if (head < tail) {
      return buf[head++] & 0xFF;
    }
    try {
      int ms = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
      if (ms != soTimeout) {
        socket.setSoTimeout(ms);
        soTimeout = ms;
      }
      int n = in.read(buf, 0, buf.length);
      if (n < 0) {
        throw new TransportException(name + ": connection closed by the other end");
      }
      head = 1;
      tail = n;
      return buf[0] & 0xFF;
    } catch (SocketTimeoutException e) {
      return -1;
    } catch (IOException e) {
      throw new TransportException(name + ": read failed (" + e.getMessage() + ")", e);
    }
  }

  @Override
  public synchronized void discardInput() {
    head = 0;
    tail = 0;
    try {
      while (in.available() > 0) {
        if (in.skip(in.available()) <= 0) {
          break;
        }
      }
    } catch (IOException e) {
      throw new TransportException(name + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing: nothing to report
    }
  }
}
