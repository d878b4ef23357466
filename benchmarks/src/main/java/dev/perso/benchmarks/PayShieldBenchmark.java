package dev.perso.benchmarks;

import dev.perso.core.Bytes;
import dev.perso.crypto.ClearKeyRef;
import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.CvvInput;
import dev.perso.crypto.Derivation;
import dev.perso.crypto.KcvMethod;
import dev.perso.crypto.KeyAlgorithm;
import dev.perso.crypto.KeyRef;
import dev.perso.crypto.KeyTemplate;
import dev.perso.crypto.KeyUsage;
import dev.perso.crypto.MacAlgorithm;
import dev.perso.crypto.Padding;
import dev.perso.crypto.SoftwareBackend;
import dev.perso.crypto.payshield.PayShieldBackend;
import dev.perso.crypto.payshield.testing.TestPayShield;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-operation cost through {@link PayShieldBackend} against the test HSM on loopback (TCP framing,
 * pool, answer checks, and the test HSM's own LMK decryption and software computation), with a pool of
 * 1, 4 and 16 connections, next to {@link SoftwareBackend} doing the same operation in-process. Run with
 * 16 threads so the pool size is what limits throughput:
 * {@code java -jar benchmarks/target/benchmarks.jar PayShieldBenchmark -t 16}.
 * The numbers are the client's and a loopback emulator's: a real payShield adds its own command time.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@Threads(16)
public class PayShieldBenchmark {
  private static final String TEST_KEY = "0123456789ABCDEFFEDCBA9876543210";
  private static final CvvInput CVV = CvvInput.of("4123456789012345", "8701", "101");
  private static final Bytes MESSAGE = Bytes.fromHex("0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF");

  @Param({"payshield-1", "payshield-4", "payshield-16", "software"})
  public String backend;

  private TestPayShield hsm;
  private CryptoBackend crypto;
  private KeyRef cvk;
  private KeyRef tak;
  private KeyRef imk;

  /** Starts the HSM and the backend, and puts the test keys under its LMK (or in software). */
  @Setup(Level.Trial)
  public void setup() {
    if (backend.equals("software")) {
      crypto = new SoftwareBackend();
      cvk = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.CVK, TEST_KEY);
      tak = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.MAC, TEST_KEY);
      imk = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.IMK_AC, TEST_KEY);
      return;
    }
    hsm = TestPayShield.start();
    int n = Integer.parseInt(backend.substring("payshield-".length()));
    crypto = PayShieldBackend.builder().address("127.0.0.1", hsm.port()).connections(n).build();
    cvk = crypto.importClear(KeyTemplate.of("cvk", KeyAlgorithm.TDES_2KEY, KeyUsage.CVK), Bytes.fromHex(TEST_KEY));
    tak = crypto.importClear(KeyTemplate.of("tak", KeyAlgorithm.TDES_2KEY, KeyUsage.MAC), Bytes.fromHex(TEST_KEY));
    imk = crypto.importClear(KeyTemplate.of("imk", KeyAlgorithm.TDES_2KEY, KeyUsage.IMK_AC), Bytes.fromHex(TEST_KEY));
  }

  /** Closes the backend and the HSM. */
  @TearDown(Level.Trial)
  public void tearDown() {
    crypto.close();
    if (hsm != null) {
      hsm.close();
    }
  }

  /** @return a CVV (CW) */
  @Benchmark
  public String cvv() {
    return crypto.cvv(cvk, CVV);
  }

  /** @return a retail MAC over 24 bytes (M6) */
  @Benchmark
  public Bytes mac() {
    return crypto.mac(tak, MacAlgorithm.ISO9797_1_ALG3, Padding.METHOD_2, MESSAGE);
  }

  /** @return a KCV (BU) */
  @Benchmark
  public Object kcv() {
    return crypto.kcv(cvk, KcvMethod.ENCRYPT_ZEROS);
  }

  /** @return an EMV option A ICC master key (project-defined XD; stays under the LMK) */
  @Benchmark
  public KeyRef deriveOptionA() {
    KeyRef k = crypto.derive(imk, Derivation.emvOptionA("4761739001010010", "01"));
    if (k instanceof ClearKeyRef) {
      ((ClearKeyRef) k).close();
    }
    return k;
  }
}
