package dev.perso.devices.msr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import dev.perso.core.DeviceException;
import dev.perso.core.MalformedDataException;
import dev.perso.core.device.StripeData;
import dev.perso.devices.link.simulator.MemoryLink;
import dev.perso.devices.msr.internal.HidReports;
import dev.perso.devices.msr.internal.MsrFrames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Properties of the MSR frames, the driver over the emulator, and the HID framing. */
class MsrProperties {
  private static MemoryLink.Pair pair;
  private static Msr605Emulator emu;
  private static Msr605Encoder msr;

  @BeforeContainer
  static void open() {
    pair = MemoryLink.pair();
    emu = Msr605Emulator.builder().build().serve(pair.card());
    msr = Msr605Encoder.open(pair.host(), Msr605EncoderTest.quick("msr605:mem"));
  }

  @AfterContainer
  static void close() {
    msr.close();
    emu.close();
  }

  @Property(tries = 200)
  void randomValidTracksWrittenReadBackIdentical(@ForAll("stripes") StripeData data) {
    msr.erase(Msr605EncoderTest.CARD, java.util.Set.of(1, 2, 3));
    msr.writeAndVerify(Msr605EncoderTest.CARD, data);
    StripeData back = msr.read(Msr605EncoderTest.CARD);
    assertThat(back.tracks().keySet()).isEqualTo(data.tracks().keySet());
    assertThat(data.sameAs(back)).isTrue();
  }

  @Property(tries = 300)
  void garbageFromTheDeviceGivesOnlyOurException(@ForAll("garbage") byte[] garbage, @ForAll boolean raw) {
    emu.garbageNext(garbage);
    try {
      if (raw) {
        msr.readRaw(Msr605EncoderTest.CARD, Map.of());
      } else {
        msr.read(Msr605EncoderTest.CARD);
      }
    } catch (DeviceException e) {
      assertThat(e).isInstanceOf(MsrException.class);
    }
  }

  @Property(tries = 500)
  void blocksRoundTrip(@ForAll("blockTracks") List<byte[]> tracks, @ForAll boolean raw, @ForAll("status") int status) {
    byte[][] t = tracks.toArray(new byte[0][]);
    byte[] frame = MsrFrames.block(-1, t, raw);
    byte[] answer = java.util.Arrays.copyOf(frame, frame.length + 2);
    answer[frame.length] = 0x1B;
    answer[frame.length + 1] = (byte) status;
    MsrFrames.Block b = MsrFrames.readBlock(MsrFramesTest.input(answer), raw, true);
    for (int i = 0; i < 3; i++) {
      assertThat(b.tracks()[i]).isEqualTo(t[i]);
    }
    assertThat(b.status()).isEqualTo(status);
  }

  @Property(tries = 1000)
  void malformedBlocksGiveOnlyMalformedData(@ForAll byte[] bytes, @ForAll boolean raw) {
    try {
      MsrFrames.readBlock(MsrFramesTest.input(bytes), raw, true);
    } catch (MalformedDataException e) {
      assertThat(e.offset()).isBetween(0, bytes.length);
    }
  }

  @Property(tries = 300)
  void hidReportsRoundTrip(@ForAll("messages") byte[] message) {
    HidReports in = new HidReports();
    List<byte[]> reports = HidReports.frame(message);
    assertThat(reports).hasSize((message.length + 62) / 63).allSatisfy(r -> assertThat(r).hasSize(64));
    byte[] out = null;
    for (int i = 0; i < reports.size(); i++) {
      out = in.accept(reports.get(i));
      assertThat(out == null).isEqualTo(i < reports.size() - 1);
    }
    assertThat(out).isEqualTo(message);
  }

  @Property(tries = 500)
  void malformedHidReportsGiveOnlyMalformedData(@ForAll("reports") List<byte[]> reports) {
    HidReports in = new HidReports();
    for (byte[] r : reports) {
      try {
        in.accept(r);
      } catch (MalformedDataException e) {
        assertThat(e.reason()).isNotEmpty();
      }
    }
  }

  @Provide
  Arbitrary<StripeData> stripes() {
    Arbitrary<String> t1 = chars(0x20, 0x5F, "%?").ofMinLength(1).ofMaxLength(76).injectNull(0.2);
    Arbitrary<String> t2 = chars(0x30, 0x3F, ";?").ofMinLength(1).ofMaxLength(37).injectNull(0.2);
    Arbitrary<String> t3 = chars(0x30, 0x3F, ";?").ofMinLength(1).ofMaxLength(104).injectNull(0.5);
    return Combinators.combine(t1, t2, t3).as((a, b, c) -> {
      TreeMap<Integer, Bytes> m = new TreeMap<>();
      if (a != null) {
        m.put(1, Bytes.of(a.getBytes(StandardCharsets.US_ASCII)));
      }
      if (b != null || (a == null && c == null)) {
        m.put(2, Bytes.of((b == null ? "0" : b).getBytes(StandardCharsets.US_ASCII)));
      }
      if (c != null) {
        m.put(3, Bytes.of(c.getBytes(StandardCharsets.US_ASCII)));
      }
      return StripeData.of(m);
    });
  }

  private static net.jqwik.api.arbitraries.StringArbitrary chars(int lo, int hi, String excluded) {
    return Arbitraries.strings().withCharRange((char) lo, (char) hi).excludeChars(excluded.toCharArray());
  }

  @Provide
  Arbitrary<byte[]> garbage() {
    Arbitrary<byte[]> any = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(80);
    Arbitrary<byte[]> blockish = Arbitraries.of("1B73", "1B731B01", "1B731B01251B02", "1B731B011B021B033F1C1B",
        "1B731B010A1B02", "1B30", "1B731B01FF").map(h -> Bytes.fromHex(h).toByteArray());
    return Arbitraries.oneOf(any, Combinators.combine(blockish, any).as((a, b) -> {
      byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
      System.arraycopy(b, 0, out, a.length, b.length);
      return out;
    }));
  }

  @Provide
  Arbitrary<List<byte[]>> blockTracks() {
    Arbitrary<byte[]> track = Arbitraries.bytes().between((byte) 0x20, (byte) 0x5F).filter(b -> b != 0x3F)
        .array(byte[].class).ofMaxSize(100);
    return track.list().ofSize(3);
  }

  @Provide
  Arbitrary<Integer> status() {
    return Arbitraries.of(0x30, 0x31, 0x32, 0x34, 0x39, 0x41);
  }

  @Provide
  Arbitrary<byte[]> messages() {
    return Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(300);
  }

  @Provide
  Arbitrary<List<byte[]>> reports() {
    return Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(70).list().ofMaxSize(6);
  }
}
