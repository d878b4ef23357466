package dev.perso.devices.pcsc;

import dev.perso.core.Bytes;
import dev.perso.core.TransportException;
import dev.perso.core.card.VirtualCard;
import dev.perso.devices.internal.T1Frames;
import dev.perso.devices.link.ByteLink;
import dev.perso.devices.link.simulator.MemoryLink;
import dev.perso.devices.tpdu.card.T0Card;
import dev.perso.devices.tpdu.card.T1Card;
import dev.perso.devices.tpdu.card.WtxPolicy;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A serial Gemalto GemPC Twin (CCID over a serial line, TPDU level) on a pty, with our card-side T=1
 * engine as its card: the CCID driver's {@code libccidtwin.so} (openct/proto-t1.c) then runs T=1
 * against our engine. Frame format and echo as in notes/transports.md Appendix B, from
 * LudovicRousseau/CCID src/ccid_serial.c; our own code, using our engine instead of Appendix B's.
 * Injects EDC errors both ways and lets the card ask for WTX.
 */
public final class FakeTwin implements AutoCloseable {
  private final ByteLink line;
  private final VirtualCard card;
  private final Thread thread;
  private final Random random = new Random(7);
  private volatile boolean closed;
  private volatile double edcErrorRate;
  private volatile double wtxRate;
  final AtomicInteger edcErrorsInjected = new AtomicInteger();
  final AtomicInteger wtxRequested = new AtomicInteger();

  private final java.util.ArrayDeque<String> recent = new java.util.ArrayDeque<>();
  private MemoryLink.Pair pair;
  private T1Card engine;
  private T0Card t0engine;
  private dev.perso.devices.tpdu.T0Protocol t0firmware;
  private final boolean t0;
  private boolean powered;

  /**
   * @param line the reader end of the pty
   * @param card the card in the reader
   * @param t0 true: the card speaks T=0 (the twin runs the procedure bytes, as a TPDU-level reader's
   *     firmware does); false: T=1 blocks pass through
   */
  public FakeTwin(ByteLink line, VirtualCard card, boolean t0) {
    this.line = line;
    this.card = card;
    this.t0 = t0;
    this.thread = new Thread(this::loop, "fake-twin");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  void faults(double edcErrorRate, double wtxRate) {
    this.edcErrorRate = edcErrorRate;
    this.wtxRate = wtxRate;
  }

  private int rd() {
    while (!closed) {
      int b = line.read(Duration.ofMillis(200));
      if (b >= 0) {
        return b;
      }
    }
    throw new TransportException("fake twin closed");
  }

  private void loop() {
    try {
      while (!closed) {
        if (rd() != 0x03 || rd() != 0x06) {
          continue;
        }
        byte[] h = new byte[10];
        for (int i = 0; i < 10; i++) {
          h[i] = (byte) rd();
        }
        int n = (h[1] & 0xFF) | (h[2] & 0xFF) << 8 | (h[3] & 0xFF) << 16;
        byte[] d = new byte[n];
        for (int i = 0; i < n; i++) {
          d[i] = (byte) rd();
        }
        rd(); // LRC of the request; the pty does not corrupt it
        byte[] frame = new byte[10 + n];
        System.arraycopy(h, 0, frame, 0, 10);
        System.arraycopy(d, 0, frame, 10, n);
        send(frame); // the GemPC Twin echoes each command first (ccid_serial.c: echo = true)
        send(answer(h, d));
      }
    } catch (TransportException e) {
      // line closed
    }
  }

  private byte[] answer(byte[] h, byte[] d) {
    switch (h[0] & 0xFF) {
      case 0x6B: // Escape: firmware string for 02, empty otherwise
        return resp(0x83, h, d.length == 1 && d[0] == 2 ? "GemTwRC2-V2.10-GL04".getBytes(
            java.nio.charset.StandardCharsets.US_ASCII) : new byte[0], 0, 0);
      case 0x65: // GetSlotStatus
        return resp(0x81, h, new byte[0], powered ? 0 : 1, 0);
      case 0x62: // IccPowerOn: fresh card engine
        powerOn();
        return resp(0x80, h, card.atr().toByteArray(), 0, 0);
      case 0x63: // IccPowerOff
        powerOff();
        return resp(0x81, h, new byte[0], 1, 0);
      case 0x61: // SetParameters: echo
        return resp(0x82, h, d, 0, h[7]);
      case 0x6C: // GetParameters
        return resp(0x82, h, Bytes.fromHex("1110004500FE00").toByteArray(), 0, 1);
      case 0x6F: // XfrBlock: one T=1 block each way
        return resp(0x80, h, xfr(d), 0, 0);
      default:
        return resp(0x81, h, new byte[0], 0x40 | (powered ? 0 : 1), 0);
    }
  }

  private void powerOn() {
    powerOff();
    pair = MemoryLink.pair();
    if (t0) {
      t0engine = T0Card.builder(card).chatter(11).serve(pair.card());
      t0firmware = dev.perso.devices.tpdu.T0Protocol.builder(dev.perso.devices.atr.Atr.parse(card.atr()))
          .wwt(Duration.ofSeconds(2)).build(pair.host());
      powered = true;
      return;
    }
    WtxPolicy wtx = c -> {
      if (random.nextDouble() < wtxRate) {
        wtxRequested.incrementAndGet();
        return 1 + random.nextInt(3);
      }
      return 0;
    };
    engine = T1Card.builder(card).wtx(wtx).cwt(Duration.ofMillis(200)).serve(pair.card());
    powered = true;
  }

  private void powerOff() {
    if (engine != null) {
      engine.close();
      engine = null;
    }
    if (t0engine != null) {
      t0engine.close();
      t0engine = null;
    }
    if (pair != null) {
      pair.close();
      pair = null;
    }
    powered = false;
  }

  private byte[] xfr(byte[] block) {
    if (pair == null) {
      powerOn();
    }
    if (t0) {
      byte[] tpdu = block; // a case-1 TPDU comes as 4 bytes (found here); transmitTpdu pads it
      byte[] r;
      try {
        r = t0firmware.transmitTpdu(Bytes.of(tpdu)).toByteArray();
      } catch (RuntimeException e) {
        log("! " + dev.perso.core.internal.Hex.encode(block) + " -> " + e);
        r = new byte[] {0x6F, 0x00};
      }
      log("> " + dev.perso.core.internal.Hex.encode(block));
      log("< " + dev.perso.core.internal.Hex.encode(r));
      return r;
    }
    byte[] toCard = block.clone();
    if (toCard.length > 0 && random.nextDouble() < edcErrorRate) {
      toCard[toCard.length - 1] ^= 0x55; // the card sees an EDC error and asks again
      edcErrorsInjected.incrementAndGet();
    }
    log("> " + dev.perso.core.internal.Hex.encode(toCard));
    pair.host().write(toCard, 0, toCard.length);
    byte[] buf = new byte[T1Frames.MAX_BLOCK];
    int len = T1Frames.read(pair.host(), Duration.ofSeconds(5), Duration.ofMillis(200),
        dev.perso.devices.atr.Atr.Edc.LRC, buf);
    if (len < 0) {
      return new byte[0];
    }
    byte[] fromCard = java.util.Arrays.copyOf(buf, len);
    if (random.nextDouble() < edcErrorRate) {
      fromCard[len - 1] ^= 0x55; // the driver sees an EDC error ("checksum failed") and sends R(EDC error)
      edcErrorsInjected.incrementAndGet();
    }
    log("< " + dev.perso.core.internal.Hex.encode(fromCard));
    return fromCard;
  }

  private synchronized void log(String line) {
    recent.addLast(line.length() > 80 ? line.substring(0, 80) + "... (" + (line.length() - 2) / 2 + " bytes)" : line);
    if (recent.size() > 40) {
      recent.removeFirst();
    }
  }

  /** @return the last blocks exchanged, for failure messages */
  synchronized String recent() {
    return String.join("\n", recent);
  }

  private static byte[] resp(int type, byte[] req, byte[] data, int status, int specific) {
    byte[] r = new byte[10 + data.length];
    r[0] = (byte) type;
    int n = data.length;
    r[1] = (byte) n;
    r[2] = (byte) (n >>> 8);
    r[3] = (byte) (n >>> 16);
    r[4] = (byte) (n >>> 24);
    r[5] = req[5];
    r[6] = req[6];
    r[7] = (byte) status;
    r[8] = 0;
    r[9] = (byte) specific;
    System.arraycopy(data, 0, r, 10, n);
    return r;
  }

  private void send(byte[] ccid) {
    ByteArrayOutputStream f = new ByteArrayOutputStream(ccid.length + 3);
    f.write(0x03);
    f.write(0x06);
    f.writeBytes(ccid);
    byte[] b = f.toByteArray();
    int lrc = T1Frames.lrc(b, 0, b.length);
    byte[] out = java.util.Arrays.copyOf(b, b.length + 1);
    out[b.length] = (byte) lrc;
    line.write(out, 0, out.length);
  }

  @Override
  public void close() {
    closed = true;
    try {
      thread.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    powerOff();
  }
}
