package dev.perso.devices.link.simulator;

import dev.perso.core.TransportException;
import dev.perso.core.ValidationException;
import dev.perso.devices.link.ByteLink;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory {@link ByteLink} pair: what one end writes, the other reads. Each direction can
 * inject {@link LinkFaults}. Use it to put a card-side engine and a host-side engine in one JVM.
 *
 * <pre>{@code
 * MemoryLink.Pair pair = MemoryLink.pair();
 * try (T1Card card = T1Card.serve(myCard, pair.card());
 *      CardChannel ch = T1Protocol.builder(Atr.parse(myCard.atr())).build(pair.host())) {
 *   ch.transmit(select);
 * }
 * }</pre>
 */
public final class MemoryLink implements ByteLink {

  /**
   * The two ends of an in-memory link.
   *
   * <pre>{@code
   * MemoryLink.Pair p = MemoryLink.pair();
   * p.host().write(Bytes.fromHex("00"));
   * }</pre>
   *
   * @param host the interface-device end
   * @param card the card end
   */
  public record Pair(MemoryLink host, MemoryLink card) implements AutoCloseable {
    /** Closes both ends. */
    @Override
    public void close() {
      host.close();
      card.close();
    }
  }

  private static final long SPIN_NANOS = 10_000;

  /** One direction: a byte queue with per-byte release times. */
  private static final class Pipe {
    private byte[] data = new byte[1024];
    private long[] due = new long[1024];
    private int head;
    private int tail;
    private volatile boolean closed;
    private volatile int writes;
    private int waiters;
    private long lastDue;
    private final LinkFaults faults;
    private final Random random;
    private final AtomicInteger injected = new AtomicInteger();

    Pipe(LinkFaults faults) {
      this.faults = faults;
      this.random = new Random(faults.seed());
    }

    synchronized void write(byte[] b, int off, int len, String name) {
      if (closed) {
        throw new TransportException(name + ": link closed");
      }
      long now = System.nanoTime();
      boolean faulty = !faults.isNone();
      for (int i = 0; i < len; i++) {
        byte v = b[off + i];
        int copies = 1;
        if (faulty && injected.get() < faults.maxFaults()) {
          double r = random.nextDouble();
          double acc = faults.bitFlip();
          if (r < acc) {
            v ^= (byte) (1 << random.nextInt(8));
            injected.incrementAndGet();
          } else if (r < (acc += faults.drop())) {
            copies = 0;
            injected.incrementAndGet();
          } else if (r < (acc += faults.duplicate())) {
            copies = 2;
            injected.incrementAndGet();
          } else if (r < acc + faults.delay()) {
            lastDue = Math.max(lastDue, now) + (long) (random.nextDouble() * faults.maxDelay().toNanos());
            injected.incrementAndGet();
          }
        }
        for (int c = 0; c < copies; c++) {
          push(v, Math.max(lastDue, now));
        }
      }
      writes++;
      if (waiters > 0) {
        notifyAll();
      }
    }

    private void push(byte v, long when) {
      if (tail == data.length) {
        if (head > 0) {
          System.arraycopy(data, head, data, 0, tail - head);
          System.arraycopy(due, head, due, 0, tail - head);
          tail -= head;
          head = 0;
        }
        if (tail == data.length) {
          data = Arrays.copyOf(data, data.length * 2);
          due = Arrays.copyOf(due, due.length * 2);
        }
      }
      data[tail] = v;
      due[tail] = when;
      tail++;
    }

    int read(Duration timeout, String name) {
      long start = System.nanoTime();
      long deadline = start + Math.max(0, timeout.toNanos());
      int seen;
      synchronized (this) {
        if (head < tail && due[head] <= start && !closed) {
          return data[head++] & 0xFF;
        }
        seen = writes;
      }
      // The peer usually answers within microseconds: spin briefly before parking the thread.
      long spinEnd = Math.min(deadline, start + SPIN_NANOS);
      while (writes == seen && !closed && System.nanoTime() < spinEnd) {
        Thread.onSpinWait();
      }
      return readBlocking(deadline, name);
    }

    private synchronized int readBlocking(long deadline, String name) {
      try {
        while (true) {
          if (closed) {
            throw new TransportException(name + ": link closed");
          }
          long now = System.nanoTime();
          if (head < tail && due[head] <= now) {
            return data[head++] & 0xFF;
          }
          long wait = deadline - now;
          if (head < tail) {
            wait = Math.min(wait, due[head] - now);
          }
          if (deadline - now <= 0) {
            return -1;
          }
          long ms = wait / 1_000_000;
          int ns = (int) (wait % 1_000_000);
          waiters++;
          try {
            wait(ms, ns);
          } finally {
            waiters--;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TransportException(name + ": interrupted while reading", e);
      }
    }

    synchronized void discard() {
      long now = System.nanoTime();
      while (head < tail && due[head] <= now) {
        head++;
      }
    }

    synchronized void close() {
      closed = true;
      notifyAll();
    }
  }

  private final String name;
  private final Pipe in;
  private final Pipe out;

  private MemoryLink(String name, Pipe in, Pipe out) {
    this.name = name;
    this.in = in;
    this.out = out;
  }

  /** @return a perfect pair */
  public static Pair pair() {
    return pair(LinkFaults.none(), LinkFaults.none());
  }

  /**
   * @param hostToCard faults on bytes the host sends
   * @param cardToHost faults on bytes the card sends
   * @return the pair
   */
  public static Pair pair(LinkFaults hostToCard, LinkFaults cardToHost) {
    if (hostToCard == null || cardToHost == null) {
      throw new ValidationException("faults", "must not be null; use LinkFaults.none()");
    }
    Pipe toCard = new Pipe(hostToCard);
    Pipe toHost = new Pipe(cardToHost);
    return new Pair(new MemoryLink("memory:host", toHost, toCard), new MemoryLink("memory:card", toCard, toHost));
  }

  @Override
  public void write(byte[] data, int offset, int length) {
    out.write(data, offset, length, name);
  }

  @Override
  public int read(Duration timeout) {
    return in.read(timeout, name);
  }

  @Override
  public void discardInput() {
    in.discard();
  }

  @Override
  public String name() {
    return name;
  }

  /** @return the number of faults injected so far into the bytes this end sent */
  public int faultsInjected() {
    return out.injected.get();
  }

  /** Closes both directions, so the peer's reads fail too. */
  @Override
  public void close() {
    in.close();
    out.close();
  }
}
