package dev.perso.devices.msr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import dev.perso.core.MalformedDataException;
import dev.perso.devices.link.simulator.MemoryLink;
import dev.perso.devices.msr.internal.HidReportLink;
import dev.perso.devices.msr.internal.HidReports;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The MSR605X HID report framing (notes magstripe-surface.md §3.3: 64-byte reports, header bit 7 first,
 * bit 6 last, low 6 bits the length) against constructed reports, and the driver running over it. No HID
 * library is on the project's list, so the reports go to the emulator through an in-memory bridge.
 */
@Timeout(30)
class HidFramingTest {

  @Test
  void aCommandFitsOneReportMarkedFirstAndLast() {
    List<byte[]> r = HidReports.frame(Bytes.fromHex("1B65").toByteArray());   // communication test
    assertThat(r).hasSize(1);
    assertThat(r.get(0)[0] & 0xFF).isEqualTo(0xC2);   // 0x80 start | 0x40 end | length 2
    assertThat(Bytes.of(r.get(0)).slice(1, 3)).isEqualTo(Bytes.fromHex("1B65"));
    assertThat(Bytes.of(r.get(0)).slice(3)).isEqualTo(Bytes.of(new byte[61]));
  }

  @Test
  void aLongFrameIsCutAt63BytesAndReassembled() {
    byte[] msg = new byte[130];
    for (int i = 0; i < msg.length; i++) {
      msg[i] = (byte) i;
    }
    List<byte[]> r = HidReports.frame(msg);
    assertThat(r).extracting(b -> b[0] & 0xFF).containsExactly(0x80 | 63, 63, 0x40 | 4);
    HidReports in = new HidReports();
    assertThat(in.accept(r.get(0))).isNull();
    assertThat(in.accept(r.get(1))).isNull();
    assertThat(in.accept(r.get(2))).isEqualTo(msg);
  }

  @Test
  void reportsWithTheStartBitOnEveryChunkAsMisiriSendsThemReassemble() {
    // Protryon/misiri_driver sets 0x80 on every chunk it sends (notes §3.3)
    byte[] a = new byte[64];
    a[0] = (byte) (0x80 | 2);
    a[1] = 0x1B;
    a[2] = 0x77;
    byte[] b = new byte[64];
    b[0] = (byte) (0x80 | 0x40 | 1);
    b[1] = 0x1B;
    HidReports in = new HidReports();
    assertThat(in.accept(a)).isNull();
    assertThat(in.accept(b)).isEqualTo(Bytes.fromHex("1B771B").toByteArray());
  }

  @Test
  void malformedReportsAreTyped() {
    HidReports in = new HidReports();
    assertThatThrownBy(() -> in.accept(new byte[63])).isInstanceOf(MalformedDataException.class);
    byte[] continuation = new byte[64];
    continuation[0] = 0x05;
    assertThatThrownBy(() -> in.accept(continuation)).isInstanceOf(MalformedDataException.class);
  }

  /** Bridges reports to the emulator: each reassembled message goes out; each answer comes back as one message. */
  private static final class EmulatorBridge implements HidReportLink.Reports {
    private final MemoryLink link;
    private final HidReports fromHost = new HidReports();
    private final ArrayDeque<byte[]> toHost = new ArrayDeque<>();

    EmulatorBridge(MemoryLink link) {
      this.link = link;
    }

    @Override
    public void send(byte[] report) {
      byte[] msg = fromHost.accept(report);
      if (msg != null) {
        link.write(msg, 0, msg.length);
      }
    }

    @Override
    public byte[] receive(Duration timeout) {
      if (toHost.isEmpty()) {
        int b = link.read(timeout.isZero() ? Duration.ofMillis(1) : timeout);
        if (b < 0) {
          return null;
        }
        ByteArrayOutputStream msg = new ByteArrayOutputStream();
        msg.write(b);
        while ((b = link.read(Duration.ofMillis(20))) >= 0) {
          msg.write(b);
        }
        toHost.addAll(HidReports.frame(msg.toByteArray()));
      }
      return toHost.poll();
    }

    @Override
    public void close() {
      link.close();
    }
  }

  @Test
  void theDriverWritesAndVerifiesOverHidReports() {
    MemoryLink.Pair pair = MemoryLink.pair();
    try (Msr605Emulator emu = Msr605Emulator.builder().build().serve(pair.card());
        Msr605Encoder msr = Msr605Encoder.open(new HidReportLink(new EmulatorBridge(pair.host()), "hid:msr605x"),
            Msr605EncoderTest.quick("msr605x:test"))) {
      msr.writeAndVerify(Msr605EncoderTest.CARD, Msr605EncoderTest.TRACKS);   // the write frame spans two reports
      assertThat(Msr605EncoderTest.TRACKS.sameAs(msr.read(Msr605EncoderTest.CARD))).isTrue();
      assertThat(emu.isoTracks()).containsKeys(1, 2);
    }
  }
}
