package dev.perso.benchmarks;

import dev.perso.core.Bytes;
import dev.perso.core.device.CardTag;
import dev.perso.core.device.StripeData;
import dev.perso.devices.msr.Msr605Emulator;
import dev.perso.devices.msr.Msr605Encoder;
import dev.perso.devices.msr.MsrOptions;
import dev.perso.devices.serial.SerialLink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
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
 * Encode-and-verify of one card's stripe (track 1 of 61 and track 2 of 28 characters between the
 * sentinels, ISO mode) through the MSR605 driver, jSerialComm and a socat pty pair to the
 * {@link Msr605Emulator}: {@code writeAndVerify} is an ISO write ({@code 1B 77 ...}, answer {@code 1B 30})
 * then an ISO read ({@code 1B 72}, answer the data block and status). With {@code baud=9600} the emulator
 * takes the time the bytes take on a 9600 8N1 line (a pty has no baud rate); with {@code baud=0} it answers
 * at once, which leaves the driver's and the pty's own cost. The teardown prints the bytes per card both
 * ways and the link's lower bound {@code bytes * 10 / baud}. Needs {@code /usr/bin/socat}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class MsrBenchmark {
  private static final CardTag CARD = new CardTag(1, "bench");

  /** Line speed the emulator takes its time at; 0: no pacing. */
  @Param({"9600", "0"})
  public int baud;

  private Process socat;
  private Path dir;
  private Msr605Emulator emulator;
  private Msr605Encoder encoder;
  private StripeData stripe;
  private long cards;
  private long sent0;
  private long received0;

  /** Starts socat, the emulator on one end and the driver on the other. */
  @Setup(Level.Trial)
  public void setup() throws Exception {
    dir = Files.createTempDirectory("perso-msr-bench");
    socat = new ProcessBuilder("/usr/bin/socat", "pty,raw,echo=0,link=" + dir.resolve("host"),
        "pty,raw,echo=0,link=" + dir.resolve("device")).redirectErrorStream(true)
        .redirectOutput(dir.resolve("socat.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!Files.exists(dir.resolve("host")) || !Files.exists(dir.resolve("device"))) {
      if (System.nanoTime() > deadline || !socat.isAlive()) {
        throw new IllegalStateException("socat made no pty pair; see " + dir.resolve("socat.log"));
      }
      Thread.sleep(10);
    }
    emulator = Msr605Emulator.builder().baud(baud).build()
        .serve(SerialLink.open(dir.resolve("device").toString(), Msr605Encoder.serialConfig(9600)));
    encoder = Msr605Encoder.open(SerialLink.open(dir.resolve("host").toString(), Msr605Encoder.serialConfig(9600)),
        MsrOptions.builder().id("msr605:bench").swipeTimeout(Duration.ofSeconds(5)).build());
    stripe = StripeData.of(Map.of(
        1, Bytes.of("B4761739001010010^CARDMEMBER/TEST^2912201100000000000000000".getBytes(StandardCharsets.US_ASCII)),
        2, Bytes.of("4761739001010010=29122011000".getBytes(StandardCharsets.US_ASCII))));
    encoder.writeAndVerify(CARD, stripe);   // sets the ISO bits per character and densities once
    sent0 = encoder.bytesSent();
    received0 = encoder.bytesReceived();
  }

  /** @return nothing; one card written and read back */
  @Benchmark
  public long encodeAndVerify() {
    encoder.writeAndVerify(CARD, stripe);
    return ++cards;
  }

  /** Prints the bytes per card and the link's lower bound, and stops everything. */
  @TearDown(Level.Trial)
  public void teardown() throws Exception {
    if (cards > 0) {
      double sent = (double) (encoder.bytesSent() - sent0) / cards;
      double received = (double) (encoder.bytesReceived() - received0) / cards;
      System.out.printf("%nmsr605 per card: %.0f bytes sent, %.0f received; at 9600 8N1 the link needs at least "
          + "%.1f ms%n", sent, received, (sent + received) * 10 * 1000 / 9600);
    }
    encoder.close();
    emulator.close();
    socat.destroy();   // our socat, by PID
    socat.waitFor(5, TimeUnit.SECONDS);
  }
}
