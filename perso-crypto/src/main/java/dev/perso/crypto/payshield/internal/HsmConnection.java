package dev.perso.crypto.payshield.internal;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import javax.net.SocketFactory;

/** One TCP (or TLS) connection to the HSM: writes a framed request, reads one framed answer. */
public final class HsmConnection implements AutoCloseable {
  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  private HsmConnection(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /**
   * @param factory plain or TLS socket factory
   * @param host host name or address
   * @param port TCP port
   * @param connectTimeout connect timeout
   * @return an open connection
   * @throws IOException if it cannot connect
   */
  public static HsmConnection open(SocketFactory factory, String host, int port, Duration connectTimeout)
      throws IOException {
    Socket s = factory.createSocket();
    try {
      s.setTcpNoDelay(true);
      s.setKeepAlive(true);
      s.connect(new InetSocketAddress(host, port), (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
      if (s instanceof javax.net.ssl.SSLSocket tls) {
        // the HSM's certificate must name the host we dialled
        javax.net.ssl.SSLParameters params = tls.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(params);
        tls.startHandshake();
      }
      return new HsmConnection(s);
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /**
   * Sends one request.
   *
   * @param frame length prefix and message
   * @throws IOException on a write failure
   */
  public void send(byte[] frame) throws IOException {
    out.write(frame);
    out.flush();
  }

  /**
   * Reads one answer.
   *
   * @param timeout how long to wait for it
   * @return the message bytes after the length prefix
   * @throws IOException on a read failure, end of stream or timeout
   */
  public byte[] receive(Duration timeout) throws IOException {
    socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
    int n = in.readUnsignedShort();
    byte[] payload = new byte[n];
    in.readFully(payload);
    return payload;
  }

  /** @return true while the socket is open */
  public boolean isOpen() {
    return !socket.isClosed();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing a broken connection: nothing left to do
    }
  }
}
