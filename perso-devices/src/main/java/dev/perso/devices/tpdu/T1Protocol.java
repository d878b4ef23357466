package dev.perso.devices.tpdu;

import dev.perso.core.internal.Hex;
import dev.perso.core.MalformedDataException;
import dev.perso.core.TransportException;
import dev.perso.core.ValidationException;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.channel.CardChannel;
import dev.perso.devices.atr.Atr;
import dev.perso.devices.atr.FiDi;
import dev.perso.devices.atr.Timing;
import dev.perso.devices.internal.T1Frames;
import dev.perso.devices.link.ByteLink;
import java.io.ByteArrayOutputStream;
import java.time.Duration;

/**
 * Host side (interface device) of the ISO/IEC 7816-3 T=1 block protocol over a {@link ByteLink},
 * exposed as a {@link CardChannel}. Follows the CCID driver's {@code openct/proto-t1.c}: I, R and S
 * blocks; LRC or CRC as the ATR says; chaining both ways; IFSC from the ATR and IFSD negotiated with
 * {@code S(IFS request)}; WTX extending the wait for the next block only; NAD; error recovery by
 * R-blocks and retransmission (3 tries per block), then {@code S(RESYNCH)} (3 times) and restart of
 * the command; after that the channel is dead and throws {@link TransportException}.
 *
 * <p>APDU-level {@code 61xx}/{@code 6Cxx} handling is not done here; add
 * {@link dev.perso.core.channel.GetResponse} if the card needs it.
 *
 * <pre>{@code
 * Atr atr = Atr.parse(Bytes.fromHex("3B808131FE458B"));
 * try (CardChannel ch = T1Protocol.builder(atr).ifsd(254).build(link)) {
 *   ResponseApdu r = ch.transmit(CommandApdu.of(0x00, 0x84, 0x00, 0x00, Bytes.empty(), 8));
 * }
 * }</pre>
 */
public final class T1Protocol implements CardChannel {

  private static final int MAX_S_REQUESTS = 64;

  private final ByteLink link;
  private final Atr.Edc edc;
  private final int nad;
  private final int peerNad;
  private final int ifsd;
  private final Duration bwt;
  private final Duration cwt;
  private final int maxRetries;
  private final int maxResyncs;
  private final byte[] rx = new byte[T1Frames.MAX_BLOCK];

  private int ifsc;
  private int ns;
  private int nr;
  private boolean dead;

  private T1Protocol(Builder b, ByteLink link) {
    this.link = link;
    this.edc = b.edc;
    this.nad = b.nad;
    this.peerNad = T1Frames.swapNad(b.nad);
    this.ifsd = b.ifsd;
    this.ifsc = b.ifsc;
    Timing t = b.timing;
    this.bwt = b.bwt != null ? b.bwt : t.bwt();
    this.cwt = b.cwt != null ? b.cwt : t.cwt();
    this.maxRetries = b.maxRetries;
    this.maxResyncs = b.maxResyncs;
  }

  /**
   * @param atr the card's ATR: IFSC, BWI, CWI and EDC are taken from it
   * @return a builder
   */
  public static Builder builder(Atr atr) {
    return new Builder(atr);
  }

  /** Signals that the block exchange must be resynchronised. */
  private static final class Resync extends Exception {
    private static final long serialVersionUID = 1L;
    final String why;

    Resync(String why) {
      super(why, null, false, false);
      this.why = why;
    }
  }

  /** @return the card's current information field size */
  public synchronized int ifsc() {
    return ifsc;
  }

  /** @return the interface device's information field size */
  public int ifsd() {
    return ifsd;
  }

  /** @return the link */
  public ByteLink link() {
    return link;
  }

  @Override
  public synchronized ResponseApdu transmit(CommandApdu command) {
    if (dead) {
      throw new TransportException("T=1 on " + link.name() + ": channel is dead after failed RESYNCH; reset the card");
    }
    byte[] apdu = command.encode().toByteArray();
    int resyncs = 0;
    String lastWhy = null;
    while (true) {
      try {
        byte[] r = exchange(apdu);
        try {
          return ResponseApdu.parse(r);
        } catch (MalformedDataException e) {
          throw new TransportException("T=1 on " + link.name() + ": card answered " + r.length
              + " byte(s), no status word", e);
        }
      } catch (Resync e) {
        lastWhy = e.why;
      }
      // Rule 6: resynchronise, then restart the whole command (rules 6.2/6.3); give up after maxResyncs (6.4).
      while (true) {
        if (++resyncs > maxResyncs) {
          dead = true;
          throw new TransportException("T=1 on " + link.name() + ": unrecoverable after " + maxResyncs
              + " RESYNCH (last error: " + lastWhy + ")");
        }
        if (resynch()) {
          break;
        }
        lastWhy = "no S(RESYNCH response)";
      }
    }
  }

  /** Negotiates IFSD with {@code S(IFS request)}; done by {@link Builder#build(ByteLink)} when IFSD is not 32. */
  synchronized void negotiateIfsd() {
    for (int attempt = 0; attempt <= maxRetries; attempt++) {
      send(T1Frames.block(nad, 0xC1, ifsd, edc));
      int n = T1Frames.read(link, bwt, cwt, edc, rx);
      if (n == 4 + T1Frames.edcLength(edc) && (rx[0] & 0xFF) == peerNad && (rx[1] & 0xFF) == 0xE1 && (rx[3] & 0xFF) == ifsd) {
        return;
      }
    }
    if (!resynch()) {
      throw new TransportException("T=1 on " + link.name() + ": card did not confirm IFSD " + ifsd);
    }
  }

  private boolean resynch() {
    for (int attempt = 0; attempt <= maxRetries; attempt++) {
      send(T1Frames.block(nad, 0xC0, edc));
      int n = T1Frames.read(link, bwt, cwt, edc, rx);
      if (n == 3 + T1Frames.edcLength(edc) && (rx[0] & 0xFF) == peerNad && (rx[1] & 0xFF) == 0xE0 && rx[2] == 0) {
        ns = 0;
        nr = 0;
        return true;
      }
    }
    return false;
  }

  private void send(byte[] block) {
    link.discardInput();
    link.write(block, 0, block.length);
  }

  private byte[] iBlock(byte[] apdu, int offset, int len, boolean more) {
    return T1Frames.block(nad, (ns << 6) | (more ? 0x20 : 0), apdu, offset, len, edc);
  }

  private byte[] rBlock(int error) {
    return T1Frames.block(nad, 0x80 | (nr << 4) | error, edc);
  }

  private byte[] exchange(byte[] apdu) throws Resync {
    int offset = 0;
    int chunk = Math.min(ifsc, apdu.length);
    boolean more = chunk < apdu.length;
    byte[] current = iBlock(apdu, 0, chunk, more);
    byte[] toSend = current;
    boolean sending = true;
    int errors = 0;
    int sRequests = 0;
    long wtx = 1;
    ByteArrayOutputStream response = new ByteArrayOutputStream(Math.max(64, apdu.length));
    while (true) {
      send(toSend);
      Duration wait = wtx == 1 ? bwt : bwt.multipliedBy(wtx);
      wtx = 1;
      int n = T1Frames.read(link, wait, cwt, edc, rx);
      String problem = n < 0 ? (n == T1Frames.TIMEOUT ? "no block within BWT" : n == T1Frames.EDC_ERROR
          ? "EDC error" : "truncated or malformed block") : validate(n);
      if (problem != null) {
        // Rules 7.1/7.2/7.4.1: ask again with an R-block, or repeat our R-block.
        if (++errors > maxRetries) {
          throw new Resync(problem);
        }
        if (!T1Frames.isRBlock(toSend)) {
          toSend = rBlock(n == T1Frames.EDC_ERROR ? 1 : 2);
        }
        continue;
      }
      int pcb = rx[1] & 0xFF;
      int len = rx[2] & 0xFF;
      if (T1Frames.isI(pcb)) {
        int seq = (pcb >>> 6) & 1;
        if ((sending && more) || seq != nr) {
          if (++errors > maxRetries) {
            throw new Resync(sending && more ? "I-block while chaining" : "wrong N(S) from card");
          }
          if (!T1Frames.isRBlock(toSend)) {
            toSend = rBlock(2);
          }
          continue;
        }
        if (sending) {
          sending = false;
          ns ^= 1;
        }
        nr ^= 1;
        response.write(rx, 3, len);
        errors = 0;
        if ((pcb & 0x20) != 0) {
          toSend = rBlock(0);
          continue;
        }
        return response.toByteArray();
      }
      if (T1Frames.isR(pcb)) {
        int seq = (pcb >>> 4) & 1;
        if (sending && more && seq != ns) {
          // Acknowledges our chained block: send the next part.
          ns ^= 1;
          offset += chunk;
          chunk = Math.min(ifsc, apdu.length - offset);
          more = offset + chunk < apdu.length;
          current = iBlock(apdu, offset, chunk, more);
          toSend = current;
          errors = 0;
          continue;
        }
        if (++errors > maxRetries) {
          throw new Resync("card keeps sending R-blocks " + Hex.byteToHex(pcb));
        }
        if (sending) {
          // Retransmit the unacknowledged I-block, rebuilt for the IFSC in force (the card may have changed it).
          chunk = Math.min(ifsc, apdu.length - offset);
          more = offset + chunk < apdu.length;
          current = iBlock(apdu, offset, chunk, more);
          toSend = current;
        }
        continue;
      }
      // S-block
      if (++sRequests > MAX_S_REQUESTS) {
        throw new Resync("more than " + MAX_S_REQUESTS + " S-requests in one exchange");
      }
      switch (pcb) {
        case 0xC3: // WTX request: confirm, and wait longer for the next block only
          wtx = rx[3] & 0xFF;
          toSend = T1Frames.block(nad, 0xE3, rx[3] & 0xFF, edc);
          break;
        case 0xC1: // IFS request from the card: new IFSC
          ifsc = rx[3] & 0xFF;
          toSend = T1Frames.block(nad, 0xE1, ifsc, edc);
          break;
        case 0xC2: // ABORT request (rule 9)
          send(T1Frames.block(nad, 0xE2, edc));
          throw new TransportException("T=1 on " + link.name() + ": card aborted the chain (S(ABORT request))");
        case 0xC0: // only the interface device may resynchronise: do it
          throw new Resync("card sent S(RESYNCH request)");
        default:
          if (++errors > maxRetries) {
            throw new Resync("unexpected S-block " + Hex.byteToHex(pcb));
          }
          if (!T1Frames.isRBlock(toSend)) {
            toSend = rBlock(2);
          }
      }
    }
  }

  /** @return null if the block in {@link #rx} is well-formed, else what is wrong */
  private String validate(int n) {
    int pcb = rx[1] & 0xFF;
    int len = rx[2] & 0xFF;
    if ((rx[0] & 0xFF) != peerNad) {
      return "wrong NAD " + Hex.byteToHex(rx[0] & 0xFF);
    }
    if (T1Frames.isI(pcb)) {
      if ((pcb & 0x1F) != 0) {
        return "bad I-block PCB " + Hex.byteToHex(pcb);
      }
      return len > ifsd ? "I-block longer than IFSD" : null;
    }
    if (T1Frames.isR(pcb)) {
      return len != 0 || (pcb & 0x20) != 0 || (pcb & 0x0F) > 2 ? "bad R-block" : null;
    }
    int type = pcb & 0x1F;
    if ((pcb & 0x20) == 0) {
      if (type == 1) {
        return len == 1 && (rx[3] & 0xFF) >= 1 && (rx[3] & 0xFF) <= 254 ? null : "bad S(IFS request)";
      }
      if (type == 3) {
        return len == 1 && rx[3] != 0 ? null : "bad S(WTX request)";
      }
      return (type == 0 || type == 2) && len == 0 ? null : "bad S-request " + Hex.byteToHex(pcb);
    }
    return "unexpected S-response " + Hex.byteToHex(pcb);
  }

  /** Nothing to release: the link belongs to the caller. */
  @Override
  public void close() {}

  @Override
  public String toString() {
    return "T1Protocol[" + link.name() + " IFSC " + ifsc + " IFSD " + ifsd + " " + edc + "]";
  }

  /** Configures a {@link T1Protocol}. */
  public static final class Builder {
    private Atr.Edc edc;
    private int ifsc;
    private int ifsd = 254;
    private int nad;
    private Timing timing;
    private Duration bwt;
    private Duration cwt;
    private int maxRetries = 3;
    private int maxResyncs = 3;

    private Builder(Atr atr) {
      if (atr == null) {
        throw new ValidationException("atr", "must not be null");
      }
      this.edc = atr.edc();
      this.ifsc = atr.ifsc();
      this.timing = Timing.of(atr, FiDi.isValid(atr.fiDi()) ? atr.fiDi() : FiDi.DEFAULT_TA1, 3_571_200);
    }

    /** @param v IFSD 1..254 to negotiate (default 254; 32 means no negotiation) @return this builder */
    public Builder ifsd(int v) {
      if (v < 1 || v > 254) {
        throw new ValidationException("ifsd", "must be 1..254, was " + v);
      }
      this.ifsd = v;
      return this;
    }

    /** @param v NAD byte sent (SAD/DAD), default 00 @return this builder */
    public Builder nad(int v) {
      if (v < 0 || v > 0x77 || (v & 0x88) != 0) {
        throw new ValidationException("nad", "must have b8 and b4 clear (0x00..0x77), was " + v);
      }
      this.nad = v;
      return this;
    }

    /** @param t timing (clock and Fi/Di in use) to derive BWT and CWT from @return this builder */
    public Builder timing(Timing t) {
      if (t == null) {
        throw new ValidationException("timing", "must not be null");
      }
      this.timing = t;
      return this;
    }

    /** @param d block waiting time override (e.g. a link with its own latency) @return this builder */
    public Builder bwt(Duration d) {
      this.bwt = positive("bwt", d);
      return this;
    }

    /** @param d character waiting time override @return this builder */
    public Builder cwt(Duration d) {
      this.cwt = positive("cwt", d);
      return this;
    }

    /** @param n retransmissions per block before RESYNCH, 0..10 (default 3) @return this builder */
    public Builder maxRetries(int n) {
      if (n < 0 || n > 10) {
        throw new ValidationException("maxRetries", "must be 0..10, was " + n);
      }
      this.maxRetries = n;
      return this;
    }

    /** @param n RESYNCH attempts per command before giving up, 0..10 (default 3) @return this builder */
    public Builder maxResyncs(int n) {
      if (n < 0 || n > 10) {
        throw new ValidationException("maxResyncs", "must be 0..10, was " + n);
      }
      this.maxResyncs = n;
      return this;
    }

    private static Duration positive(String field, Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new ValidationException(field, "must be positive");
      }
      return d;
    }

    /**
     * Opens the protocol on a link and negotiates IFSD (unless it is 32, the default).
     *
     * @param link the link, just after ATR (and PPS)
     * @return the channel
     */
    public T1Protocol build(ByteLink link) {
      if (link == null) {
        throw new ValidationException("link", "must not be null");
      }
      T1Protocol p = new T1Protocol(this, link);
      if (ifsd != 32) {
        p.negotiateIfsd();
      }
      return p;
    }
  }
}
