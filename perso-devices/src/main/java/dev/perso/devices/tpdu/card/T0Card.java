package dev.perso.devices.tpdu.card;

import dev.perso.core.internal.OwnedBytes;
import dev.perso.core.Bytes;
import dev.perso.core.TransportException;
import dev.perso.core.ValidationException;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.card.VirtualCard;
import dev.perso.devices.link.ByteLink;
import java.time.Duration;
import java.util.Random;
import java.util.Set;

/**
 * Card side of T=0 over a {@link ByteLink}: puts a {@link VirtualCard} behind a serial line or an
 * in-memory link. A T=0 command header does not say whether P3 is Lc or Le, so the engine takes it
 * from the INS: those in {@link Builder#outgoing(Set)} (default READ BINARY/RECORD, GET DATA, GET
 * CHALLENGE...) are case 2, the others case 1 or 3. Commands with data are passed to the card with
 * Ne = 256 (the card cannot know Le under T=0); response data is then announced with {@code 61xx}
 * and served by GET RESPONSE, and a case-2 Le that does not match gets {@code 6Cxx}, as T=0 cards do.
 * Optionally it sends random NULL bytes and one-byte ACKs to exercise the host.
 *
 * <pre>{@code
 * try (T0Card side = T0Card.builder(card).serve(pair.card())) {
 *   CardChannel ch = T0Protocol.builder(Atr.parse(card.atr())).build(pair.host());
 *   ch.transmit(CommandApdu.of(0x00, 0xB2, 0x01, 0x0C, Bytes.empty(), 256));
 * }
 * }</pre>
 */
public final class T0Card implements AutoCloseable {
  /** INS bytes whose P3 is Le by default. */
  public static final Set<Integer> DEFAULT_OUTGOING = Set.of(0xB0, 0xB1, 0xB2, 0xB3, 0xC0, 0xCA, 0xCB, 0x84, 0xF2);

  private static final Duration POLL = Duration.ofMillis(50);

  private final VirtualCard card;
  private final ByteLink link;
  private final Set<Integer> outgoing;
  private final Duration wwt;
  private final Random chatter;
  private final Thread thread;
  private volatile boolean closed;
  private byte[] pending;
  private int pendingOffset;
  private int pendingSw;

  private T0Card(Builder b, ByteLink link) {
    this.card = b.card;
    this.link = link;
    this.outgoing = b.outgoing;
    this.wwt = b.wwt;
    this.chatter = b.chatterSeed == null ? null : new Random(b.chatterSeed);
    this.thread = new Thread(this::loop, "t0-card " + link.name());
    this.thread.setDaemon(true);
  }

  /**
   * @param card the card to serve
   * @return a builder
   */
  public static Builder builder(VirtualCard card) {
    if (card == null) {
      throw new ValidationException("card", "must not be null");
    }
    return new Builder(card);
  }

  /**
   * @param card the card
   * @param link the card end of the link
   * @return the running engine with defaults
   */
  public static T0Card serve(VirtualCard card, ByteLink link) {
    return builder(card).serve(link);
  }

  private void loop() {
    byte[] h = new byte[5];
    try {
      outer:
      while (!closed) {
        int c = link.read(POLL);
        if (c < 0) {
          continue;
        }
        h[0] = (byte) c;
        for (int i = 1; i < 5; i++) {
          c = link.read(wwt);
          if (c < 0) {
            continue outer;
          }
          h[i] = (byte) c;
        }
        command(h);
      }
    } catch (TransportException e) {
      // link closed
    }
  }

  private void command(byte[] h) {
    int cla = h[0] & 0xFF;
    int ins = h[1] & 0xFF;
    int p1 = h[2] & 0xFF;
    int p2 = h[3] & 0xFF;
    int p3 = h[4] & 0xFF;
    if ((ins & 0xF0) == 0x60 || (ins & 0xF0) == 0x90) {
      sw(0x6D00);
      return;
    }
    if (ins == 0xC0 && pending != null) {
      int le = p3 == 0 ? 256 : p3;
      int remaining = pending.length - pendingOffset;
      if (le > remaining) {
        sw(0x6C00 | (remaining & 0xFF));
        return;
      }
      sendData(ins, pending, pendingOffset, le);
      pendingOffset += le;
      remaining -= le;
      if (remaining > 0) {
        sw(0x6100 | (Math.min(remaining, 256) & 0xFF));
      } else {
        pending = null;
        sw(pendingSw);
      }
      return;
    }
    pending = null;
    if (outgoing.contains(ins)) {
      int le = p3 == 0 ? 256 : p3;
      ResponseApdu r = CardEngines.process(card, CommandApdu.of(cla, ins, p1, p2, Bytes.empty(), le));
      byte[] data = r.data().toByteArray();
      if (data.length == 0) {
        sw(r.sw().value());
      } else if (data.length == le) {
        sendData(ins, data, 0, le);
        sw(r.sw().value());
      } else if (data.length < 256 && data.length < le) {
        sw(0x6C00 | data.length);
      } else {
        sendData(ins, data, 0, le);
        pending = data;
        pendingOffset = le;
        pendingSw = r.sw().value();
        sw(0x6100 | (Math.min(data.length - le, 256) & 0xFF));
      }
      return;
    }
    Bytes data = Bytes.empty();
    if (p3 > 0) {
      byte[] in = new byte[p3];
      int got = 0;
      while (got < p3) {
        boolean one = chatter != null && chatter.nextInt(3) == 0;
        nulls();
        link.write(new byte[] {(byte) (one ? ins ^ 0xFF : ins)}, 0, 1);
        int n = one ? 1 : p3 - got;
        for (int i = 0; i < n; i++) {
          int c = link.read(wwt);
          if (c < 0) {
            return; // host went quiet: drop the command
          }
          in[got++] = (byte) c;
        }
      }
      data = OwnedBytes.wrap(in);
    }
    ResponseApdu r = CardEngines.process(card, CommandApdu.of(cla, ins, p1, p2, data, 256));
    byte[] out = r.data().toByteArray();
    if (out.length == 0) {
      sw(r.sw().value());
    } else {
      pending = out;
      pendingOffset = 0;
      pendingSw = r.sw().value();
      sw(0x6100 | (Math.min(out.length, 256) & 0xFF));
    }
  }

  private void sendData(int ins, byte[] data, int off, int len) {
    int sent = 0;
    while (sent < len) {
      boolean one = chatter != null && chatter.nextInt(3) == 0;
      nulls();
      int n = one ? 1 : len - sent;
      byte[] b = new byte[n + 1];
      b[0] = (byte) (one ? ins ^ 0xFF : ins);
      System.arraycopy(data, off + sent, b, 1, n);
      link.write(b, 0, b.length);
      sent += n;
    }
  }

  private void nulls() {
    if (chatter != null) {
      int k = chatter.nextInt(4);
      for (int i = 0; i < k; i++) {
        link.write(new byte[] {0x60}, 0, 1);
      }
    }
  }

  private void sw(int sw) {
    nulls();
    link.write(new byte[] {(byte) (sw >>> 8), (byte) sw}, 0, 2);
  }

  /** Stops serving (the link is left open). */
  @Override
  public void close() {
    closed = true;
    try {
      thread.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Configures a {@link T0Card}. */
  public static final class Builder {
    private final VirtualCard card;
    private Set<Integer> outgoing = DEFAULT_OUTGOING;
    private Duration wwt = Duration.ofSeconds(1);
    private Long chatterSeed;

    private Builder(VirtualCard card) {
      this.card = card;
    }

    /** @param ins the INS bytes whose P3 is Le (case 2) @return this builder */
    public Builder outgoing(Set<Integer> ins) {
      if (ins == null) {
        throw new ValidationException("outgoing", "must not be null");
      }
      this.outgoing = Set.copyOf(ins);
      return this;
    }

    /** @param d how long to wait for the rest of a header or for command data @return this builder */
    public Builder wwt(Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new ValidationException("wwt", "must be positive");
      }
      this.wwt = d;
      return this;
    }

    /** @param seed send random NULL bytes and one-byte ACKs, reproducibly @return this builder */
    public Builder chatter(long seed) {
      this.chatterSeed = seed;
      return this;
    }

    /**
     * @param link the card end of the link
     * @return the running engine
     */
    public T0Card serve(ByteLink link) {
      if (link == null) {
        throw new ValidationException("link", "must not be null");
      }
      card.reset();
      T0Card c = new T0Card(this, link);
      c.thread.start();
      return c;
    }
  }
}
