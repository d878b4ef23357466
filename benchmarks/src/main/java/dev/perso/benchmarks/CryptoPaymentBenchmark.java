package dev.perso.benchmarks;

import dev.perso.core.Bytes;
import dev.perso.crypto.ClearKeyRef;
import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.CvvInput;
import dev.perso.crypto.Derivation;
import dev.perso.crypto.KeyAlgorithm;
import dev.perso.crypto.KeyRef;
import dev.perso.crypto.KeyUsage;
import dev.perso.crypto.SoftwareBackend;
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

/** ns/op of EMV option A derivation, CVV and Visa PVV on {@link SoftwareBackend}. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CryptoPaymentBenchmark {
  private final CryptoBackend sw = new SoftwareBackend();
  private final ClearKeyRef tdes = ClearKeyRef.of(KeyAlgorithm.TDES_2KEY, KeyUsage.CVK,
      Bytes.fromHex("0123456789ABCDEFFEDCBA9876543210"));
  // the same test key in each role (KeyUsage is enforced: a CVK only computes CVVs)
  private final KeyRef imk = tdes.withUsage(KeyUsage.IMK_AC);
  private final KeyRef pvk = tdes.withUsage(KeyUsage.PVK);
  private final CvvInput cvvInput = CvvInput.of("4123456789012345", "8701", "101");
  private final Derivation optionA = Derivation.emvOptionA("5413330089020011", "01");

  /** @return an EMV option A ICC master key (closed right away) */
  @Benchmark
  public KeyRef emvOptionA() {
    KeyRef k = sw.derive(imk, optionA);
    ((ClearKeyRef) k).close();
    return k;
  }

  /** @return a CVV */
  @Benchmark
  public String cvv() {
    return sw.cvv(tdes, cvvInput);
  }

  /** @return a Visa PVV */
  @Benchmark
  public String pvv() {
    return sw.pvv(pvk, "1122334455667788", 1, "4524");
  }
}
