package dev.perso.benchmarks;

import dev.perso.core.Bytes;
import dev.perso.core.tlv.Tlv;
import dev.perso.core.tlv.TlvParser;
import java.util.List;
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

/**
 * Parsing of a typical EMV READ RECORD response (template 70, 169 bytes: track 2, PAN, name, dates,
 * CVM list, IACs, CDOL1/2) and of a nested FCI (6F / A5 / BF0C, 95 bytes), plus re-encoding.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TlvBenchmark {
  // Record built from the test vectors of openemv/emv-utils tests/emv_read_application_data_test.c
  // (test9 and test10 records) plus a CVM list, AUC and the three issuer action codes.
  private static final String READ_RECORD = "7081A6"
      + "57114761739001010119D22122011758928889"
      + "5F200C455850495245442F43415244"
      + "9F1F0E3137353839303936303030303030"
      + "5A0847617390010101195F3401015F2403221231"
      + "8C159F02069F03069F1A0295055F2A029A039C019F3704"
      + "8D198A029F02069F03069F1A0295055F2A029A039C019F37049108"
      + "8E0E000000000000000042031E031F03"
      + "9F0702FF00"
      + "9F0D05B0608000009F0E0500100000009F0F05B060980000";
  // openemv/emv-utils tests/emv_select_application_test.c, test_select_app7 FCI.
  private static final String FCI = "6F5D8407A0000000041010A55250104445424954204D4153544552434152449F1210"
      + "4465626974204D6173746572436172648701019F1101015F2D046E6C656EBF0C1C9F5D030100009F0A0400010101"
      + "9F4D020B0A9F6E0705280000303000";

  private Bytes readRecord;
  private byte[] readRecordArray;
  private Bytes fci;
  private Tlv parsedRecord;

  /** Builds the fixtures once and checks they parse. */
  @org.openjdk.jmh.annotations.Setup
  public void setup() {
    readRecord = Bytes.fromHex(READ_RECORD);
    readRecordArray = readRecord.toByteArray();
    fci = Bytes.fromHex(FCI);
    parsedRecord = Tlv.parse(readRecord);
    if (parsedRecord.children().size() != 13 || Tlv.parse(fci).encode().length() != 95) {
      throw new IllegalStateException("fixture does not parse as expected");
    }
  }

  /** @return the parsed READ RECORD template */
  @Benchmark
  public List<Tlv> parseReadRecord() {
    return TlvParser.strict().parse(readRecord);
  }

  /** @return the parsed READ RECORD template, from an array without the input copy */
  @Benchmark
  public List<Tlv> parseReadRecordFromArray() {
    return TlvParser.strict().parse(readRecordArray, 0, readRecordArray.length);
  }

  /** @return the parsed FCI */
  @Benchmark
  public List<Tlv> parseNestedFci() {
    return TlvParser.strict().parse(fci);
  }

  /** @return the re-encoded READ RECORD template */
  @Benchmark
  public Bytes encodeReadRecord() {
    return parsedRecord.encode();
  }
}
