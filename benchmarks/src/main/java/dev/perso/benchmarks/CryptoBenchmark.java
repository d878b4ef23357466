package dev.perso.benchmarks;

import dev.perso.core.Bytes;
import dev.perso.crypto.ClearKeyRef;
import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.KeyAlgorithm;
import dev.perso.crypto.KeyRef;
import dev.perso.crypto.KeyUsage;
import dev.perso.crypto.MacAlgorithm;
import dev.perso.crypto.Padding;
import dev.perso.crypto.SoftwareBackend;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.engines.DESEngine;
import org.bouncycastle.crypto.macs.CMac;
import org.bouncycastle.crypto.macs.ISO9797Alg3Mac;
import org.bouncycastle.crypto.paddings.ISO7816d4Padding;
import org.bouncycastle.crypto.params.KeyParameter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link SoftwareBackend} MACs against re-used Bouncy Castle baselines (ISO9797Alg3Mac, CMac(AES)) on 8,
 * 64 and 261-byte messages. EMV option A, CVV and PVV are in {@link CryptoPaymentBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CryptoBenchmark {
  /** Message size in bytes. */
  @Param({"8", "64", "261"})
  public int size;

  private final CryptoBackend sw = new SoftwareBackend();
  private KeyRef tdes;
  private KeyRef aes;
  private Bytes data;
  private byte[] raw;
  private ISO9797Alg3Mac bcRetail;
  private CMac bcCmac;
  private final byte[] out = new byte[16];

  /** Keys, message and baseline engines. */
  @Setup
  public void setup() {
    byte[] k = Bytes.fromHex("0123456789ABCDEFFEDCBA9876543210").toByteArray();
    tdes = ClearKeyRef.of(KeyAlgorithm.TDES_2KEY, KeyUsage.MAC, Bytes.of(k));
    aes = ClearKeyRef.of(KeyAlgorithm.AES_128, KeyUsage.MAC, Bytes.of(k));
    raw = new byte[size];
    for (int i = 0; i < size; i++) {
      raw[i] = (byte) (i * 7);
    }
    data = Bytes.of(raw);
    bcRetail = new ISO9797Alg3Mac(new DESEngine(), new ISO7816d4Padding());
    bcRetail.init(new KeyParameter(k));
    bcCmac = new CMac(AESEngine.newInstance());
    bcCmac.init(new KeyParameter(k));
  }

  /** @return ISO 9797-1 alg 3, padding 2, through the backend */
  @Benchmark
  public Bytes retailMac() {
    return sw.mac(tdes, MacAlgorithm.ISO9797_1_ALG3, Padding.METHOD_2, data);
  }

  /** @return BC's ISO9797Alg3Mac (re-used instance), same key, padding and message */
  @Benchmark
  public byte[] retailMacBcBaseline() {
    bcRetail.update(raw, 0, raw.length);
    bcRetail.doFinal(out, 0);
    return out;
  }

  /** @return AES-CMAC through the backend */
  @Benchmark
  public Bytes aesCmac() {
    return sw.mac(aes, MacAlgorithm.CMAC, Padding.NONE, data);
  }

  /** @return BC's CMac(AES) (re-used instance) */
  @Benchmark
  public byte[] aesCmacBcBaseline() {
    bcCmac.update(raw, 0, raw.length);
    bcCmac.doFinal(out, 0);
    return out;
  }
}
