package dev.perso.devices.serial;

import dev.perso.core.internal.OwnedBytes;
import dev.perso.devices.testing.PtyPair;
import static org.assertj.core.api.Assertions.assertThat;

import dev.perso.core.Bytes;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.card.VirtualCard;
import dev.perso.devices.atr.Atr;
import dev.perso.devices.tpdu.card.T0Card;
import dev.perso.devices.tpdu.T0Protocol;
import dev.perso.devices.tpdu.card.T1Card;
import dev.perso.devices.tpdu.T1Protocol;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** SerialLink through a socat pty pair (notes/transports.md §3.5), with our T=0/T=1 engines on both ends. */
@Tag("socat")
@Timeout(60)
class SerialLinkTest {
  private static final SerialConfig FAST = SerialConfig.builder().baud(115_200).parity(SerialConfig.Parity.NONE)
      .stopBits(SerialConfig.StopBits.ONE).build();
  private static PtyPair pty;

  @BeforeAll
  static void ptyPair() throws Exception {
    pty = PtyPair.start();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (pty != null) {
      pty.close();
    }
  }

  /** Answers GET DATA with P1P2 bytes, everything else with the command data and 9000. */
  static final class Card implements VirtualCard {
    private final Bytes atr;

    Card(String atr) {
      this.atr = Bytes.fromHex(atr);
    }

    @Override
    public Bytes atr() {
      return atr;
    }

    @Override
    public ResponseApdu process(CommandApdu c) {
      if (c.ins() == 0xCA || c.ins() == 0xB0) {
        byte[] d = new byte[(c.p1() << 8) | c.p2()];
        for (int i = 0; i < d.length; i++) {
          d[i] = (byte) i;
        }
        return ResponseApdu.of(OwnedBytes.wrap(d), 0x9000);
      }
      return ResponseApdu.of(c.data(), 0x9000);
    }

    @Override
    public Bytes reset() {
      return atr;
    }
  }

  @Test
  void bytesCrossAndReadsTimeOut() {
    try (SerialLink host = SerialLink.open(pty.host(), FAST);
        SerialLink card = SerialLink.open(pty.card(), FAST)) {
      host.write(Bytes.fromHex("00C101FE3E"));
      Bytes got = Bytes.ofUnsigned(card.read(Duration.ofSeconds(2)), card.read(Duration.ofSeconds(1)),
          card.read(Duration.ofSeconds(1)), card.read(Duration.ofSeconds(1)), card.read(Duration.ofSeconds(1)));
      assertThat(got).isEqualTo(Bytes.fromHex("00C101FE3E"));
      assertThat(card.read(Duration.ofMillis(50))).isEqualTo(-1);
    }
  }

  @Test
  void t1EnginesOverThePty() {
    Card card = new Card("3B808131FE458B"); // notes §1.7 B: T=1, IFSC 254
    try (SerialLink host = SerialLink.open(pty.host(), FAST);
        SerialLink cardEnd = SerialLink.open(pty.card(), FAST);
        T1Card side = T1Card.builder(card).wtx(c -> c.ins() == 0xCA ? 2 : 0).serve(cardEnd)) {
      T1Protocol t1 = T1Protocol.builder(Atr.parse(card.atr())).ifsd(254).bwt(Duration.ofSeconds(1))
          .cwt(Duration.ofMillis(200)).build(host);
      CommandApdu getData = CommandApdu.of(0x80, 0xCA, 0x02, 0x58, Bytes.empty(), 65536);
      assertThat(t1.transmit(getData)).isEqualTo(card.process(getData));
      CommandApdu bigSelect = CommandApdu.of(0x00, 0xA4, 0x04, 0x00, Bytes.of(new byte[300]), 65536);
      assertThat(t1.transmit(bigSelect)).isEqualTo(card.process(bigSelect));
    }
  }

  /** Corrupts the EDC (last byte) of some whole blocks written through it. */
  static final class EdcFaults implements dev.perso.devices.link.ByteLink {
    private final dev.perso.devices.link.ByteLink inner;
    private final java.util.Random random;
    private final double rate;
    int injected;

    EdcFaults(dev.perso.devices.link.ByteLink inner, long seed, double rate) {
      this.inner = inner;
      this.random = new java.util.Random(seed);
      this.rate = rate;
    }

    @Override
    public void write(byte[] data, int offset, int length) {
      if (length > 3 && random.nextDouble() < rate) {
        byte[] bad = java.util.Arrays.copyOfRange(data, offset, offset + length);
        bad[length - 1] ^= 0x55;
        injected++;
        inner.write(bad, 0, length);
      } else {
        inner.write(data, offset, length);
      }
    }

    @Override
    public int read(Duration timeout) {
      return inner.read(timeout);
    }

    @Override
    public void discardInput() {
      inner.discardInput();
    }

    @Override
    public String name() {
      return inner.name();
    }

    @Override
    public void close() {
      inner.close();
    }
  }

  @Test
  void ourT1HostCompletesThousandRandomApdusWithEdcErrorsAndWtx() {
    Card card = new Card("3B808131204555"); // T=1, IFSC 32 (computed by us)
    java.util.Random r = new java.util.Random(20261124);
    java.util.concurrent.atomic.AtomicInteger wtx = new java.util.concurrent.atomic.AtomicInteger();
    java.util.Random wr = new java.util.Random(3);
    try (SerialLink hostPort = SerialLink.open(pty.host(), FAST);
        SerialLink cardPort = SerialLink.open(pty.card(), FAST)) {
      EdcFaults host = new EdcFaults(hostPort, 1, 0.03);
      EdcFaults cardEnd = new EdcFaults(cardPort, 2, 0.03);
      try (T1Card side = T1Card.builder(card).cwt(Duration.ofMillis(200)).wtx(c -> {
        if (wr.nextDouble() < 0.05) {
          wtx.incrementAndGet();
          return 1 + wr.nextInt(3);
        }
        return 0;
      }).serve(cardEnd)) {
        T1Protocol t1 = T1Protocol.builder(Atr.parse(card.atr())).ifsd(254).bwt(Duration.ofMillis(500))
            .cwt(Duration.ofMillis(200)).build(host);
        for (int i = 0; i < 1000; i++) {
          int nc = r.nextInt(4) == 0 ? 0 : r.nextInt(r.nextInt(5) == 0 ? 400 : 60);
          byte[] data = new byte[nc];
          r.nextBytes(data);
          int n = r.nextInt(700);
          CommandApdu c = CommandApdu.of(0x80, 0xCA, n >>> 8, n & 0xFF, OwnedBytes.wrap(data),
              r.nextBoolean() ? 65536 : 0);
          assertThat(t1.transmit(c)).as("APDU #%d", i).isEqualTo(card.process(c));
        }
      }
      assertThat(host.injected + cardEnd.injected).isGreaterThan(20);
      assertThat(wtx.get()).isGreaterThan(10);
    }
  }

  @Test
  void t0EnginesOverThePty() {
    Card card = new Card("3B021450");
    try (SerialLink host = SerialLink.open(pty.host(), FAST);
        SerialLink cardEnd = SerialLink.open(pty.card(), FAST);
        T0Card side = T0Card.builder(card).chatter(7).serve(cardEnd)) {
      T0Protocol t0 = T0Protocol.builder(Atr.parse(card.atr())).wwt(Duration.ofSeconds(2)).build(host);
      CommandApdu read = CommandApdu.of(0x00, 0xB0, 0x00, 0x20, Bytes.empty(), 256);
      assertThat(t0.transmit(read)).isEqualTo(card.process(read));
      CommandApdu select = CommandApdu.of(0x00, 0xA4, 0x04, 0x00, Bytes.fromHex("A0000000041010"), 256);
      assertThat(t0.transmit(select)).isEqualTo(card.process(select));
    }
  }
}
