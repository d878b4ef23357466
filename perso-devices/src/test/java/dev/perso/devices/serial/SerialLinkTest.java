package dev.perso.devices.serial;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perso.core.Bytes;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.card.VirtualCard;
import dev.perso.core.testing.RealComponent;
import dev.perso.devices.atr.Atr;
import dev.perso.devices.tpdu.T0Card;
import dev.perso.devices.tpdu.T0Protocol;
import dev.perso.devices.tpdu.T1Card;
import dev.perso.devices.tpdu.T1Protocol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** SerialLink through a socat pty pair (notes/transports.md §3.5), with our T=0/T=1 engines on both ends. */
@Tag("socat")
@Timeout(60)
class SerialLinkTest {
  private static final Path SOCAT = Path.of("/usr/bin/socat");
  private static final SerialConfig FAST = SerialConfig.builder().baud(115_200).parity(SerialConfig.Parity.NONE)
      .stopBits(SerialConfig.StopBits.ONE).build();
  private static Process socat;
  private static Path dir;

  @BeforeAll
  static void ptyPair() throws Exception {
    RealComponent.require("socat", Files.isExecutable(SOCAT), "apt-get install socat");
    dir = Files.createTempDirectory("perso-pty");
    socat = new ProcessBuilder(SOCAT.toString(), "-d", "-d", "pty,raw,echo=0,link=" + dir.resolve("tty-host"),
        "pty,raw,echo=0,link=" + dir.resolve("tty-card")).redirectErrorStream(true)
        .redirectOutput(dir.resolve("socat.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!(Files.exists(dir.resolve("tty-host")) && Files.exists(dir.resolve("tty-card")))) {
      if (!socat.isAlive() || System.nanoTime() > deadline) {
        RealComponent.require("socat pty pair", false, "socat did not create the ptys; see " + dir);
      }
      Thread.sleep(20);
    }
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (socat != null) {
      socat.destroy(); // our socat, by PID
      socat.waitFor(5, TimeUnit.SECONDS);
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
        return ResponseApdu.of(Bytes.wrapOwned(d), 0x9000);
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
    try (SerialLink host = SerialLink.open(dir.resolve("tty-host").toString(), FAST);
        SerialLink card = SerialLink.open(dir.resolve("tty-card").toString(), FAST)) {
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
    try (SerialLink host = SerialLink.open(dir.resolve("tty-host").toString(), FAST);
        SerialLink cardEnd = SerialLink.open(dir.resolve("tty-card").toString(), FAST);
        T1Card side = T1Card.builder(card).wtx(c -> c.ins() == 0xCA ? 2 : 0).serve(cardEnd)) {
      T1Protocol t1 = T1Protocol.builder(Atr.parse(card.atr())).ifsd(254).bwt(Duration.ofSeconds(1))
          .cwt(Duration.ofMillis(200)).build(host);
      CommandApdu getData = CommandApdu.of(0x80, 0xCA, 0x02, 0x58, Bytes.empty(), 65536);
      assertThat(t1.transmit(getData)).isEqualTo(card.process(getData));
      CommandApdu bigSelect = CommandApdu.of(0x00, 0xA4, 0x04, 0x00, Bytes.of(new byte[300]), 65536);
      assertThat(t1.transmit(bigSelect)).isEqualTo(card.process(bigSelect));
    }
  }

  @Test
  void t0EnginesOverThePty() {
    Card card = new Card("3B021450");
    try (SerialLink host = SerialLink.open(dir.resolve("tty-host").toString(), FAST);
        SerialLink cardEnd = SerialLink.open(dir.resolve("tty-card").toString(), FAST);
        T0Card side = T0Card.builder(card).chatter(7).serve(cardEnd)) {
      T0Protocol t0 = T0Protocol.builder(Atr.parse(card.atr())).wwt(Duration.ofSeconds(2)).build(host);
      CommandApdu read = CommandApdu.of(0x00, 0xB0, 0x00, 0x20, Bytes.empty(), 256);
      assertThat(t0.transmit(read)).isEqualTo(card.process(read));
      CommandApdu select = CommandApdu.of(0x00, 0xA4, 0x04, 0x00, Bytes.fromHex("A0000000041010"), 256);
      assertThat(t0.transmit(select)).isEqualTo(card.process(select));
    }
  }
}
