package dev.perso.benchmarks;

import dev.perso.core.Bytes;
import dev.perso.crypto.CvvInput;
import dev.perso.crypto.Derivation;
import dev.perso.crypto.KeyAlgorithm;
import dev.perso.crypto.KeyRef;
import dev.perso.crypto.KeyTemplate;
import dev.perso.crypto.KeyUsage;
import dev.perso.crypto.MacAlgorithm;
import dev.perso.crypto.Padding;
import dev.perso.crypto.Pkcs11Backend;
import dev.perso.crypto.TokenKeyRef;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The same operations as {@link CryptoBenchmark} and {@link CryptoPaymentBenchmark} on
 * {@link Pkcs11Backend} over SoftHSM2, so the cost of a token round trip is visible. Needs an initialized
 * token (user PIN from {@code -Dperso.pin}, default 1234):
 *
 * <pre>{@code
 * export SOFTHSM2_CONF=$HSM_DIR/softhsm2.conf      # see notes/crypto-hsm.md section 1.1
 * softhsm2-util --init-token --free --label perso --so-pin 12345678 --pin 1234
 * java -jar benchmarks/target/benchmarks.jar Pkcs11Benchmark -wi 2 -i 3 -f 1
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Pkcs11Benchmark {
  private Pkcs11Backend hsm;
  private TokenKeyRef tdes;
  private TokenKeyRef macKey;
  private TokenKeyRef imk;
  private TokenKeyRef pvk;
  private TokenKeyRef aes;
  private final Bytes data = Bytes.of(new byte[261]);
  private final CvvInput cvvInput = CvvInput.of("4123456789012345", "8701", "101");
  private final Derivation optionA = Derivation.emvOptionA("5413330089020011", "01");

  /** Logs in and imports a TDES and an AES key. */
  @Setup
  public void setup() {
    hsm = Pkcs11Backend.builder().name("bench")
        .library(Path.of(System.getProperty("perso.pkcs11.library", "/usr/lib/softhsm/libsofthsm2.so")))
        .pin(() -> System.getProperty("perso.pin", "1234").toCharArray())
        // retail MAC over many blocks and CVV need K1 in the JVM (no PKCS#11 mechanism): the opt-in policy
        .allowKeyHalvesInJvm(java.util.EnumSet.of(dev.perso.crypto.Operation.MAC_ISO9797_1_ALG3,
            dev.perso.crypto.Operation.CVV)).build();
    String suffix = Long.toString(System.nanoTime(), 36);
    tdes = (TokenKeyRef) hsm.importClear(KeyTemplate.of("bench-tdes-" + suffix, KeyAlgorithm.TDES_2KEY, KeyUsage.CVK),
        Bytes.fromHex("0123456789ABCDEFFEDCBA9876543210"));
    macKey = (TokenKeyRef) hsm.importClear(KeyTemplate.of("bench-mac-" + suffix, KeyAlgorithm.TDES_2KEY, KeyUsage.MAC),
        Bytes.fromHex("0123456789ABCDEFFEDCBA9876543210"));
    imk = (TokenKeyRef) hsm.importClear(KeyTemplate.of("bench-imk-" + suffix, KeyAlgorithm.TDES_2KEY, KeyUsage.IMK_AC),
        Bytes.fromHex("0123456789ABCDEFFEDCBA9876543210"));
    pvk = (TokenKeyRef) hsm.importClear(KeyTemplate.of("bench-pvk-" + suffix, KeyAlgorithm.TDES_2KEY, KeyUsage.PVK),
        Bytes.fromHex("0123456789ABCDEFFEDCBA9876543210"));
    aes = (TokenKeyRef) hsm.importClear(KeyTemplate.of("bench-aes-" + suffix, KeyAlgorithm.AES_128, KeyUsage.MAC),
        Bytes.fromHex("2B7E151628AED2A6ABF7158809CF4F3C"));
  }

  /** Deletes the keys and logs out. */
  @TearDown
  public void tearDown() {
    hsm.delete(tdes.label());
    hsm.delete(macKey.label());
    hsm.delete(imk.label());
    hsm.delete(pvk.label());
    hsm.delete(aes.label());
    hsm.close();
  }

  /** @return retail MAC over 261 bytes (chaining with K1 in the JVM under the opt-in policy, last step in the token) */
  @Benchmark
  public Bytes retailMac261() {
    return hsm.mac(macKey, MacAlgorithm.ISO9797_1_ALG3, Padding.METHOD_2, data);
  }

  /** @return AES-CMAC over 261 bytes composed from token ECB/CBC */
  @Benchmark
  public Bytes aesCmac261() {
    return hsm.mac(aes, MacAlgorithm.CMAC, Padding.NONE, data);
  }

  /** @return an EMV option A key derived with the IMK in the token */
  @Benchmark
  public KeyRef emvOptionA() {
    return hsm.derive(imk, optionA);
  }

  /** @return a CVV with the CVK in the token */
  @Benchmark
  public String cvv() {
    return hsm.cvv(tdes, cvvInput);
  }

  /** @return a PVV with the PVK in the token */
  @Benchmark
  public String pvv() {
    return hsm.pvv(pvk, "1122334455667788", 1, "4524");
  }
}
