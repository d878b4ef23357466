package dev.perso.benchmarks;

import dev.perso.core.Bytes;
import dev.perso.core.apdu.CommandApdu;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Encoding and parsing of a STORE DATA command carrying a 200-byte DGI block. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ApduBenchmark {
  private CommandApdu storeData;
  private Bytes encoded;

  /** Builds the fixture once. */
  @org.openjdk.jmh.annotations.Setup
  public void setup() {
    byte[] block = new byte[200];
    for (int i = 0; i < block.length; i++) {
      block[i] = (byte) i;
    }
    storeData = CommandApdu.of(0x80, 0xE2, 0x00, 0x01, Bytes.of(block));
    encoded = storeData.encode();
  }

  /** @return the encoded STORE DATA */
  @Benchmark
  public Bytes encodeStoreData() {
    return storeData.encode();
  }

  /** @return the parsed STORE DATA */
  @Benchmark
  public CommandApdu parseStoreData() {
    return CommandApdu.parse(encoded);
  }
}
