package dev.perso.crypto.payshield.internal;

import dev.perso.core.MalformedDataException;
import dev.perso.core.TransportException;
import dev.perso.crypto.payshield.PayShieldAnswerLostException;
import dev.perso.crypto.payshield.PayShieldException;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import javax.net.SocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends host commands over the pool and checks every answer: header echoed, response code = command
 * code with the second character advanced, error code (notes/payshield.md §1-2).
 *
 * <p>Lost answers: a command that changes nothing in the HSM ({@link Resend#SAFE}) is re-sent once on a
 * fresh connection; a key-generating or counter-moving one ({@link Resend#NEVER}) is not, and the caller
 * gets a {@link PayShieldAnswerLostException}. A failure before the request was written (connect) is
 * always retried once.
 */
public final class HsmClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HsmClient.class);

  /** Whether a command may be sent again when its answer was lost. */
  public enum Resend {
    /** Deterministic, no state in the HSM changes. */
    SAFE,
    /** Generates a key or moves a counter: never re-sent silently. */
    NEVER
  }

  /** Error codes (notes/payshield.md §2, ut-codec-payshield README "Standard error codes"). */
  private static final Map<String, String> MEANINGS = Map.ofEntries(
      Map.entry("01", "verification failed"), Map.entry("02", "key inappropriate length"),
      Map.entry("03", "invalid number of components"), Map.entry("04", "invalid mode or key type code"),
      Map.entry("05", "invalid scheme or key type"), Map.entry("10", "source key parity error"),
      Map.entry("11", "destination key parity error or all zeros"), Map.entry("12", "no keys in user storage"),
      Map.entry("13", "LMK error"), Map.entry("14", "LMK-encrypted PIN invalid"), Map.entry("15", "invalid input data"),
      Map.entry("17", "HSM not authorised"), Map.entry("20", "PIN block invalid"), Map.entry("23", "invalid PIN block format"),
      Map.entry("24", "PIN length not 4..12"), Map.entry("26", "invalid key scheme"),
      Map.entry("27", "incompatible key length"), Map.entry("28", "invalid key type"),
      Map.entry("29", "key function not permitted"), Map.entry("51", "invalid message header"),
      Map.entry("67", "command not licensed"), Map.entry("68", "command disabled"),
      Map.entry("80", "data length error"));

  private final ConnectionPool pool;
  private final String id;
  private final int headerLength;
  private final Duration timeout;
  private final AtomicInteger sequence = new AtomicInteger();
  private final LongAdder roundTrips = new LongAdder();

  /**
   * @param factory plain or TLS sockets
   * @param host HSM host
   * @param port HSM port
   * @param poolSize connections
   * @param headerLength message header length (0..12); the header carries a sequence number
   * @param connectTimeout connect timeout
   * @param timeout answer timeout
   */
  public HsmClient(SocketFactory factory, String host, int port, int poolSize, int headerLength,
      Duration connectTimeout, Duration timeout) {
    this.pool = new ConnectionPool(factory, host, port, poolSize, connectTimeout);
    this.id = host + ":" + port;
    this.headerLength = headerLength;
    this.timeout = timeout;
  }

  /** @return the number of command/answer round trips so far */
  public long roundTrips() {
    return roundTrips.sum();
  }

  /** @return connections opened so far (reconnects included) */
  public int connectionsOpened() {
    return pool.openedCount();
  }

  private String nextHeader() {
    if (headerLength == 0) {
      return "";
    }
    int n = Math.floorMod(sequence.getAndIncrement(), headerLength >= 9 ? Integer.MAX_VALUE
        : (int) Math.pow(10, headerLength));
    String s = Integer.toString(n);
    return "0".repeat(headerLength - s.length()) + s;
  }

  /**
   * Sends a command and returns its answer after the error code; {@code ok} lists the error codes
   * that still carry a full body (advice and warnings, e.g. A6 {@code 01}, DE {@code 02}).
   *
   * @param command the command code
   * @param body the fields
   * @param resend whether a lost answer may be re-sent
   * @param ok error codes besides {@code 00} that are answers, not failures
   * @return a reader over the fields after the error code
   */
  public Fields.Reader call(String command, byte[] body, Resend resend, Set<String> ok) {
    Answer a = exchange(command, body, resend);
    if (!a.error.equals("00") && !ok.contains(a.error)) {
      throw new PayShieldException(command, a.error, MEANINGS.getOrDefault(a.error, "see the HSM's host command manual"));
    }
    return a.fields;
  }

  /**
   * @param command the command code
   * @param body the fields
   * @param resend whether a lost answer may be re-sent
   * @return the error code and the fields after it, unchecked
   */
  public Answer exchange(String command, byte[] body, Resend resend) {
    try {
      return once(command, body);
    } catch (Lost lost) {
      if (!lost.written || resend == Resend.SAFE) {
        LOG.warn("payShield {}: {} {}; sending it again on a new connection", id, command, lost.detail);
        try {
          return once(command, body);
        } catch (Lost again) {
          throw new TransportException("payShield " + id + ": " + command + " failed twice: " + again.detail,
              again.getCause());
        }
      }
      throw new PayShieldAnswerLostException(command, lost.detail, lost.getCause());
    }
  }

  private Answer once(String command, byte[] body) throws Lost {
    String header = nextHeader();
    byte[] frame = new HostMessage(header, command, body).encode();
    HsmConnection c;
    try {
      c = pool.borrow();
    } catch (IOException e) {
      throw new Lost(false, "cannot connect: " + e.getClass().getSimpleName(), e);
    }
    boolean written = false;
    try {
      c.send(frame);
      written = true;
      byte[] payload = c.receive(timeout);
      roundTrips.increment();
      HostMessage m = HostMessage.decode(payload, headerLength);
      if (!m.header().equals(header)) {
        throw new MalformedDataException(0, "header does not echo the request's");
      }
      String expect = HostMessage.responseCode(command);
      if (!m.code().equals(expect)) {
        throw new MalformedDataException(headerLength, "response code " + m.code() + " for command " + command
            + " (expected " + expect + ")");
      }
      Fields.Reader r = new Fields.Reader(m.body());
      int at = r.offset();
      String error = r.text(2, "error code");
      if (!error.matches("[0-9A-Z]{2}")) {
        throw new MalformedDataException(headerLength + 2 + at, "error code must be 2 characters");
      }
      pool.giveBack(c);
      return new Answer(error, r);
    } catch (java.net.SocketTimeoutException e) {
      pool.discard(c);
      throw new Lost(written, "no answer within " + timeout, e);
    } catch (IOException e) {
      pool.discard(c);
      throw new Lost(written, "connection dropped: " + e.getClass().getSimpleName(), e);
    } catch (MalformedDataException e) {
      pool.discard(c);
      throw new Lost(true, "malformed answer: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      pool.discard(c);
      throw e;
    }
  }

  /** The error code and the fields after it. */
  public static final class Answer {
    private final String error;
    private final Fields.Reader fields;

    Answer(String error, Fields.Reader fields) {
      this.error = error;
      this.fields = fields;
    }

    /** @return the 2-character error code */
    public String error() {
      return error;
    }

    /** @return the fields after the error code */
    public Fields.Reader fields() {
      return fields;
    }
  }

  private static final class Lost extends Exception {
    private static final long serialVersionUID = 1L;
    final boolean written;
    final String detail;

    Lost(boolean written, String detail, Throwable cause) {
      super(detail, cause, false, false);
      this.written = written;
      this.detail = detail;
    }
  }

  @Override
  public void close() {
    pool.close();
  }
}
