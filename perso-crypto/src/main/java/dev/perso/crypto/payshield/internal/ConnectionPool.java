package dev.perso.crypto.payshield.internal;

import dev.perso.core.TransportException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.SocketFactory;

/**
 * At most {@code size} connections to one HSM. A caller borrows one for exactly one command and gives it
 * back, or discards it after any I/O or protocol failure (a connection whose answer was lost may still
 * deliver that answer later, so it is never reused).
 */
public final class ConnectionPool implements AutoCloseable {
  private final SocketFactory factory;
  private final String host;
  private final int port;
  private final Duration connectTimeout;
  private final Semaphore permits;
  private final ConcurrentLinkedDeque<HsmConnection> idle = new ConcurrentLinkedDeque<>();
  private final AtomicInteger opened = new AtomicInteger();
  private volatile boolean closed;

  /**
   * @param factory plain or TLS sockets
   * @param host HSM host
   * @param port HSM port
   * @param size maximum connections
   * @param connectTimeout connect timeout (also the longest wait for a free connection)
   */
  public ConnectionPool(SocketFactory factory, String host, int port, int size, Duration connectTimeout) {
    this.factory = factory;
    this.host = host;
    this.port = port;
    this.connectTimeout = connectTimeout;
    this.permits = new Semaphore(size, true);
  }

  /**
   * @return a connection for one command
   * @throws TransportException if none is free within the connect timeout
   * @throws IOException if a new connection cannot be opened
   */
  public HsmConnection borrow() throws IOException {
    if (closed) {
      throw new TransportException("payShield " + host + ":" + port + ": the backend is closed");
    }
    try {
      if (!permits.tryAcquire(connectTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new TransportException("payShield " + host + ":" + port + ": no free connection within " + connectTimeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransportException("payShield " + host + ":" + port + ": interrupted waiting for a connection", e);
    }
    HsmConnection c = idle.pollFirst();
    if (c != null && c.isOpen()) {
      return c;
    }
    try {
      HsmConnection fresh = HsmConnection.open(factory, host, port, connectTimeout);
      opened.incrementAndGet();
      return fresh;
    } catch (IOException | RuntimeException e) {
      permits.release();
      throw e;
    }
  }

  /**
   * @param c a connection that carried a complete exchange
   */
  public void giveBack(HsmConnection c) {
    if (closed) {
      c.close();
    } else {
      idle.addFirst(c);
    }
    permits.release();
  }

  /**
   * @param c a connection in an unknown state
   */
  public void discard(HsmConnection c) {
    c.close();
    permits.release();
  }

  /** @return how many connections were opened so far (reconnects included) */
  public int openedCount() {
    return opened.get();
  }

  @Override
  public void close() {
    closed = true;
    HsmConnection c;
    while ((c = idle.pollFirst()) != null) {
      c.close();
    }
  }
}
