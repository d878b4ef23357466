package dev.perso.benchmarks;

import dev.perso.core.Bytes;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.card.VirtualCard;
import dev.perso.devices.atr.Atr;
import dev.perso.devices.link.simulator.MemoryLink;
import dev.perso.devices.tpdu.card.T1Card;
import dev.perso.devices.tpdu.T1Protocol;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * T=1 host engine plus card engine round trip of a 261-byte case-4 APDU (4 header + Lc + 255 data + Le)
 * answered with 255 data bytes + SW, over an in-memory link, at IFSC = IFSD = 32 and 254:
 * {@code roundTrip261} on one thread (T1Card loopback: the engines' own cost), and
 * {@code roundTrip261Threaded} with the card engine on its own thread behind a MemoryLink pair (adds two
 * thread hand-offs per block).
 * Blocks per round trip: 34 at IFSC 32 (9 + 8 R + 9 + 8 R), 6 at IFSC 254 (2 + 1 R + 2 + 1 R).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class T1Benchmark {

  /** IFSC announced by the card and IFSD negotiated by the host. */
  @Param({"32", "254"})
  public int ifs;

  private MemoryLink.Pair pair;
  private T1Card card;
  private T1Protocol host;
  private T1Protocol loopbackHost;
  private CommandApdu command;

  /** A card that echoes the command data. */
  static final class EchoCard implements VirtualCard {
    private final Bytes atr;

    EchoCard(Bytes atr) {
      this.atr = atr;
    }

    @Override
    public Bytes atr() {
      return atr;
    }

    @Override
    public ResponseApdu process(CommandApdu c) {
      return new ResponseApdu(c.data(), dev.perso.core.apdu.StatusWord.SUCCESS);
    }

    @Override
    public Bytes reset() {
      return atr;
    }
  }

  /** Starts the card engine and opens the host engine. */
  @Setup(Level.Trial)
  public void setup() {
    // 3B 80 81 31 IFSC 45 TCK: T=1, TA3 = IFSC, TB3 = 45.
    byte[] atr = {0x3B, (byte) 0x80, (byte) 0x81, 0x31, (byte) ifs, 0x45, 0};
    int x = 0;
    for (int i = 1; i < 6; i++) {
      x ^= atr[i];
    }
    atr[6] = (byte) x;
    EchoCard echo = new EchoCard(Bytes.of(atr));
    pair = MemoryLink.pair();
    card = T1Card.builder(echo).serve(pair.card());
    host = T1Protocol.builder(Atr.parse(echo.atr())).ifsd(ifs).bwt(Duration.ofSeconds(5)).cwt(Duration.ofSeconds(1))
        .build(pair.host());
    loopbackHost = T1Protocol.builder(Atr.parse(echo.atr())).ifsd(ifs).build(T1Card.builder(echo).loopback());
    byte[] data = new byte[255];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) i;
    }
    command = CommandApdu.of(0x80, 0xE2, 0x00, 0x00, Bytes.of(data), 256);
    if (command.encode().length() != 261) {
      throw new IllegalStateException("fixture must be a 261-byte APDU");
    }
  }

  /** Stops the card engine. */
  @TearDown(Level.Trial)
  public void tearDown() {
    card.close();
    pair.close();
  }

  /** @return the card's answer; host engine, link and card engine on one thread: the engines' own cost */
  @Benchmark
  public ResponseApdu roundTrip261() {
    return loopbackHost.transmit(command);
  }

  /** @return the card's answer; card engine on its own thread behind a MemoryLink pair */
  @Benchmark
  public ResponseApdu roundTrip261Threaded() {
    return host.transmit(command);
  }
}
