package dev.perso.benchmarks;

import dev.perso.crypto.ClearKeyRef;
import dev.perso.crypto.KeyAlgorithm;
import dev.perso.crypto.KeyUsage;
import dev.perso.crypto.SoftwareBackend;
import dev.perso.iso7813.IssuerLayout;
import dev.perso.iso7813.RawCodec;
import dev.perso.iso7813.RawOptions;
import dev.perso.iso7813.SecurityCodes;
import dev.perso.iso7813.StripeKeys;
import dev.perso.iso7813.StripeRecord;
import dev.perso.iso7813.Track1;
import dev.perso.iso7813.Track2;
import dev.perso.iso7813.TrackType;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Track 1 + track 2 from data-prep fields, built (all field rules, Luhn, LRC) and encoded as packed
 * 8-bpc raw-write streams: without crypto (target over 1,000,000 pairs/s per core), and with CVV, iCVV
 * and PVV computed through {@link SoftwareBackend} (example layout {@code pvv-cvv}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TrackBenchmark {
  private static final RawOptions RAW1 = RawOptions.of(TrackType.TRACK_1, 8);
  private static final RawOptions RAW2 = RawOptions.of(TrackType.TRACK_2, 8);

  private final byte[] buffer = new byte[128];
  private SoftwareBackend backend;
  private ClearKeyRef cvk;
  private ClearKeyRef pvk;
  private StripeKeys keys;
  private StripeRecord record;

  @Setup
  public void setUp() {
    backend = new SoftwareBackend();
    // Key pair of the public CVV/PVV vectors (knovichikhin/psec, ilya-dubinsky/cfpp)
    cvk = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.CVK, "0123456789ABCDEFFEDCBA9876543210");
    pvk = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.PVK, "0123456789ABCDEFFEDCBA9876543210");
    keys = StripeKeys.of(backend, cvk, pvk);
    record = StripeRecord.builder().pan("4111111111111111").name("SMITH/JOHN.MR").expiry("2612").serviceCode("201")
        .pvki(1).pin("1234").build();
  }

  @TearDown
  public void tearDown() {
    cvk.close();
    pvk.close();
  }

  /** Both tracks from fields, encoded into a reused buffer. */
  @Benchmark
  public int trackPairNoCrypto() {
    Track1 t1 = Track1.builder().pan("4111111111111111").name("SMITH/JOHN.MR").expiry("2612").serviceCode("201")
        .discretionaryData("140215610000000000").build();
    Track2 t2 = Track2.builder().pan("4111111111111111").expiry("2612").serviceCode("201")
        .discretionaryData("1402156100000").build();
    int n = RawCodec.encodeInto(TrackType.TRACK_1, t1.text(), RAW1, buffer, 0);
    return n + RawCodec.encodeInto(TrackType.TRACK_2, t2.text(), RAW2, buffer, n);
  }

  /** Same, through the public {@code Track.encode} returning immutable secret {@code Bytes}. */
  @Benchmark
  public void trackPairNoCryptoBytes(Blackhole bh) {
    Track1 t1 = Track1.builder().pan("4111111111111111").name("SMITH/JOHN.MR").expiry("2612").serviceCode("201")
        .discretionaryData("140215610000000000").build();
    Track2 t2 = Track2.builder().pan("4111111111111111").expiry("2612").serviceCode("201")
        .discretionaryData("1402156100000").build();
    bh.consume(t1.encode(RAW1));
    bh.consume(t2.encode(RAW2));
  }

  /** CVV, iCVV and PVV through SoftwareBackend, placed by the pvv-cvv example layout; stripe pair plus chip track 2. */
  @Benchmark
  public void trackPairWithCvvIcvvPvv(Blackhole bh) {
    IssuerLayout layout = IssuerLayout.EXAMPLE_PVV_CVV;
    SecurityCodes codes = layout.codesWithIcvv(record, keys);
    Track1 t1 = layout.track1(record, codes);
    Track2 t2 = layout.track2(record, codes);
    bh.consume(layout.chipTrack2(record, codes));
    int n = RawCodec.encodeInto(TrackType.TRACK_1, t1.text(), RAW1, buffer, 0);
    bh.consume(n + RawCodec.encodeInto(TrackType.TRACK_2, t2.text(), RAW2, buffer, n));
  }
}
