package dev.perso.devices.tpdu.card;

import dev.perso.core.TransportException;
import dev.perso.core.ValidationException;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.card.VirtualCard;
import dev.perso.devices.atr.Atr;
import dev.perso.devices.internal.T1Frames;
import dev.perso.devices.link.ByteLink;
import java.io.ByteArrayOutputStream;
import java.time.Duration;

/**
 * Card side of T=1 over a {@link ByteLink}: puts a {@link VirtualCard} behind a serial line or an
 * in-memory link. Handles I-block chaining both ways, R-block acknowledgement and retransmission,
 * {@code S(IFS)}, {@code S(RESYNCH)}, {@code S(ABORT)} and, when a {@link WtxPolicy} asks for it,
 * {@code S(WTX)}. IFSC and EDC come from the card's ATR. Runs on its own daemon thread.
 *
 * <pre>{@code
 * MemoryLink.Pair pair = MemoryLink.pair();
 * try (T1Card side = T1Card.builder(card).wtx(c -> c.ins() == 0xCA ? 2 : 0).serve(pair.card())) {
 *   CardChannel ch = T1Protocol.builder(Atr.parse(card.atr())).build(pair.host());
 *   ch.transmit(command);
 * }
 * }</pre>
 */
public final class T1Card implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(50);

  private final VirtualCard card;
  private final ByteLink link;
  private final Atr.Edc edc;
  private final int nad;
  private final int ifsc;
  private final Duration cwt;
  private final WtxPolicy wtx;
  private final Thread thread;
  private volatile boolean closed;

  private int ns;
  private int nr;
  private int ifsd = 32;
  private byte[] lastSent;
  private boolean lastRepeatable;
  private byte[] lastI;
  private boolean lastWasChainedI;
  private int lastIns;
  private byte[] response;
  private int responseOffset;
  private final ByteArrayOutputStream command = new ByteArrayOutputStream();

  private T1Card(Builder b, ByteLink link) {
    this.card = b.card;
    this.link = link;
    Atr atr = Atr.parse(b.card.atr());
    this.edc = atr.edc();
    this.ifsc = atr.ifsc();
    this.nad = T1Frames.swapNad(b.hostNad);
    this.cwt = b.cwt;
    this.wtx = b.wtx;
    this.thread = new Thread(this::loop, "t1-card " + link.name());
    this.thread.setDaemon(true);
  }

  /**
   * Both ends of a thread-less in-process link: what the host writes is handled by the card engine
   * at once, on the host's thread, and the card's answer is ready to read when write returns.
   */
  private static final class Loopback {
    private T1Card engine;
    private byte[] toHost = new byte[1024];
    private int head;
    private int tail;
    private final byte[] acc = new byte[T1Frames.MAX_BLOCK];
    private int accLen;

    private final ByteLink hostEnd = new ByteLink() {
      @Override
      public void write(byte[] data, int offset, int length) {
        for (int i = 0; i < length; i++) {
          acc[accLen++] = data[offset + i];
          if (accLen >= 3) {
            int len = acc[2] & 0xFF;
            int total = len == 0xFF ? 3 : 3 + len + T1Frames.edcLength(engine.edc);
            if (accLen == total) {
              accLen = 0;
              engine.onBlock(len == 0xFF ? T1Frames.OTHER_ERROR : T1Frames.check(acc, engine.edc), acc);
            }
          }
        }
      }

      @Override
      public int read(Duration timeout) {
        return head < tail ? toHost[head++] & 0xFF : -1;
      }

      @Override
      public void discardInput() {
        head = 0;
        tail = 0;
      }

      @Override
      public String name() {
        return "loopback:host";
      }

      @Override
      public void close() {}
    };

    private final ByteLink cardEnd = new ByteLink() {
      @Override
      public void write(byte[] data, int offset, int length) {
        if (tail + length > toHost.length) {
          System.arraycopy(toHost, head, toHost, 0, tail - head);
          tail -= head;
          head = 0;
          if (tail + length > toHost.length) {
            toHost = java.util.Arrays.copyOf(toHost, Math.max(toHost.length * 2, tail + length));
          }
        }
        System.arraycopy(data, offset, toHost, tail, length);
        tail += length;
      }

      @Override
      public int read(Duration timeout) {
        return -1;
      }

      @Override
      public void discardInput() {}

      @Override
      public String name() {
        return "loopback:card";
      }

      @Override
      public void close() {}
    };
  }

  /**
   * @param card the card to serve; its ATR must announce T=1 parameters (or defaults apply)
   * @return a builder
   */
  public static Builder builder(VirtualCard card) {
    if (card == null) {
      throw new ValidationException("card", "must not be null");
    }
    return new Builder(card);
  }

  /**
   * Serves with defaults: no WTX, CWT 1 s.
   *
   * @param card the card
   * @param link the card end of the link
   * @return the running engine
   */
  public static T1Card serve(VirtualCard card, ByteLink link) {
    return builder(card).serve(link);
  }

  private void loop() {
    byte[] rx = new byte[T1Frames.MAX_BLOCK];
    try {
      while (!closed) {
        int n = T1Frames.read(link, POLL, cwt, edc, rx);
        if (n == T1Frames.TIMEOUT) {
          continue;
        }
        onBlock(n, rx);
      }
    } catch (TransportException e) {
      // link closed: stop serving
    }
  }

  private void onBlock(int n, byte[] rx) {
    if (n < 0 || (rx[0] & 0xFF) != T1Frames.swapNad(nad) || !wellFormed(rx)) {
      if (lastRepeatable) {
        send(lastSent, true);
      } else {
        send(T1Frames.block(nad, 0x80 | (nr << 4) | (n == T1Frames.EDC_ERROR ? 1 : 2), edc), true);
      }
      return;
    }
    handle(rx);
  }

  private boolean wellFormed(byte[] rx) {
    int pcb = rx[1] & 0xFF;
    int len = rx[2] & 0xFF;
    if (T1Frames.isI(pcb)) {
      return (pcb & 0x1F) == 0 && len <= ifsc;
    }
    if (T1Frames.isR(pcb)) {
      return len == 0 && (pcb & 0x20) == 0;
    }
    return true;
  }

  private void handle(byte[] rx) {
    int pcb = rx[1] & 0xFF;
    int len = rx[2] & 0xFF;
    if (T1Frames.isI(pcb)) {
      int seq = (pcb >>> 6) & 1;
      if (seq != nr || lastWasChainedI) {
        send(T1Frames.block(nad, 0x82 | (nr << 4), edc), true);
        return;
      }
      nr ^= 1;
      lastI = null; // a valid I-block from the host acknowledges our last one
      command.write(rx, 3, len);
      if ((pcb & 0x20) != 0) {
        send(T1Frames.block(nad, 0x80 | (nr << 4), edc), true);
        return;
      }
      byte[] apdu = command.toByteArray();
      command.reset();
      ResponseApdu r = CardEngines.process(card, apdu);
      response = r.encode().toByteArray();
      responseOffset = 0;
      int m = 0;
      try {
        m = wtx.multiplierFor(CommandApdu.parse(apdu));
      } catch (RuntimeException e) {
        m = 0;
      }
      if (m > 0) {
        send(T1Frames.block(nad, 0xC3, Math.min(m, 255), edc), true);
        return;
      }
      sendNextI();
      return;
    }
    if (T1Frames.isR(pcb)) {
      int seq = (pcb >>> 4) & 1;
      if (lastI != null && lastWasChainedI && seq != lastIns) {
        sendNextI(); // acknowledges our chained block
      } else if (lastI != null && seq == lastIns) {
        send(lastI, false); // the host did not get our I-block: send it again (even after our own R-blocks)
      } else if (lastSent != null && lastRepeatable) {
        send(lastSent, true);
      } else {
        send(T1Frames.block(nad, 0x82 | (nr << 4), edc), true);
      }
      return;
    }
    switch (pcb) {
      case 0xC0: // RESYNCH
        ns = 0;
        nr = 0;
        command.reset();
        response = null;
        lastWasChainedI = false;
        lastI = null;
        send(T1Frames.block(nad, 0xE0, edc), false);
        lastSent = null;
        break;
      case 0xC1: // IFS request: IFSD of the interface device
        if (len == 1 && (rx[3] & 0xFF) >= 1 && (rx[3] & 0xFF) <= 254) {
          ifsd = rx[3] & 0xFF;
          send(T1Frames.block(nad, 0xE1, ifsd, edc), false);
        } else {
          send(T1Frames.block(nad, 0x82 | (nr << 4), edc), true);
        }
        break;
      case 0xC2: // ABORT
        command.reset();
        response = null;
        lastWasChainedI = false;
        lastI = null;
        send(T1Frames.block(nad, 0xE2, edc), false);
        break;
      case 0xE3: // WTX response: now answer
        if (lastSent != null && (lastSent[1] & 0xFF) == 0xC3 && response != null) {
          sendNextI();
        } else {
          send(T1Frames.block(nad, 0x82 | (nr << 4), edc), true);
        }
        break;
      default:
        send(T1Frames.block(nad, 0x82 | (nr << 4), edc), true);
    }
  }

  private void sendNextI() {
    if (response == null) {
      send(T1Frames.block(nad, 0x82 | (nr << 4), edc), true);
      return;
    }
    int chunk = Math.min(ifsd, response.length - responseOffset);
    boolean more = responseOffset + chunk < response.length;
    byte[] b = T1Frames.block(nad, (ns << 6) | (more ? 0x20 : 0), response, responseOffset, chunk, edc);
    responseOffset += chunk;
    lastIns = ns;
    ns ^= 1;
    lastWasChainedI = more;
    lastI = b;
    if (!more) {
      response = null;
    }
    send(b, false);
  }

  private void send(byte[] block, boolean repeatable) {
    lastSent = block;
    lastRepeatable = repeatable;
    link.discardInput();
    link.write(block, 0, block.length);
  }

  /** Stops serving (the link is left open; close it separately). */
  @Override
  public void close() {
    closed = true;
    if (!thread.isAlive()) {
      return;
    }
    try {
      thread.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Configures a {@link T1Card}. */
  public static final class Builder {
    private final VirtualCard card;
    private WtxPolicy wtx = WtxPolicy.NEVER;
    private Duration cwt = Duration.ofSeconds(1);
    private int hostNad;

    private Builder(VirtualCard card) {
      this.card = card;
    }

    /** @param p when to ask for a waiting time extension @return this builder */
    public Builder wtx(WtxPolicy p) {
      if (p == null) {
        throw new ValidationException("wtx", "must not be null; use WtxPolicy.NEVER");
      }
      this.wtx = p;
      return this;
    }

    /** @param d character waiting time while a block is arriving @return this builder */
    public Builder cwt(Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new ValidationException("cwt", "must be positive");
      }
      this.cwt = d;
      return this;
    }

    /** @param v the NAD the host sends (the card answers with SAD/DAD swapped) @return this builder */
    public Builder hostNad(int v) {
      if (v < 0 || v > 0x77 || (v & 0x88) != 0) {
        throw new ValidationException("hostNad", "must be 0x00..0x77 with b8 and b4 clear, was " + v);
      }
      this.hostNad = v;
      return this;
    }

    /**
     * A thread-less in-process link to this card: the host engine's writes are answered at once, on
     * the writer's thread. For tests and benchmarks that want no scheduling in the way.
     *
     * <pre>{@code
     * T1Protocol host = T1Protocol.builder(Atr.parse(card.atr())).build(T1Card.builder(card).loopback());
     * }</pre>
     *
     * @return the host end of the link
     */
    public ByteLink loopback() {
      card.reset();
      Loopback lb = new Loopback();
      lb.engine = new T1Card(this, lb.cardEnd);
      return lb.hostEnd;
    }

    /**
     * Starts serving on a daemon thread.
     *
     * @param link the card end of the link
     * @return the running engine; close it to stop
     */
    public T1Card serve(ByteLink link) {
      if (link == null) {
        throw new ValidationException("link", "must not be null");
      }
      card.reset();
      T1Card c = new T1Card(this, link);
      c.thread.start();
      return c;
    }
  }
}
