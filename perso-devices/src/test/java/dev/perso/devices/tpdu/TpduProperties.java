package dev.perso.devices.tpdu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perso.devices.tpdu.card.T0Card;
import dev.perso.core.internal.OwnedBytes;
import dev.perso.core.Bytes;
import dev.perso.core.TransportException;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.card.VirtualCard;
import dev.perso.devices.atr.Atr;
import dev.perso.devices.internal.T1Frames;
import dev.perso.devices.link.simulator.LinkFaults;
import dev.perso.devices.link.simulator.MemoryLink;
import dev.perso.devices.tpdu.card.T1Card;
import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Host engine against card engine over the in-memory link. */
class TpduProperties {

  /** A deterministic card whose answer depends only on the command, so the expected response is known. */
  static final class MirrorCard implements VirtualCard {
    private final Bytes atr;

    MirrorCard(Bytes atr) {
      this.atr = atr;
    }

    @Override
    public Bytes atr() {
      return atr;
    }

    @Override
    public ResponseApdu process(CommandApdu c) {
      if (c.p2() == 0xFF) {
        return ResponseApdu.of(0x6A82);
      }
      if (c.ne() == 0) {
        return ResponseApdu.of(0x9000);
      }
      int n = Math.min(c.ne(), c.p1() * 7 + c.nc());
      byte[] d = new byte[n];
      for (int i = 0; i < n; i++) {
        d[i] = (byte) (c.nc() > 0 ? c.data().get(i % c.nc()) + i : c.ins() + i);
      }
      return ResponseApdu.of(OwnedBytes.wrap(d), 0x9000);
    }

    @Override
    public Bytes reset() {
      return atr;
    }
  }

  /** ATR 3B 80 81 71 IFSC 45 TC3 TCK: T=1 with the given IFSC, BWI 4, CWI 5, LRC or CRC. */
  static Bytes t1Atr(int ifsc, boolean crc) {
    byte[] b = {0x3B, (byte) 0x80, (byte) 0x81, 0x71, (byte) ifsc, 0x45, (byte) (crc ? 1 : 0), 0};
    b[7] = (byte) T1Frames.lrc(b, 1, 6);
    return OwnedBytes.wrap(b);
  }

  @Provide
  Arbitrary<CommandApdu> apdus() {
    Arbitrary<Integer> len = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Arbitraries.integers().between(0, 300)),
        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 1200)));
    Arbitrary<Integer> ne = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, Arbitraries.just(0)),
        net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(1, 256)),
        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(257, 65536)));
    Arbitrary<Integer> p1 = Arbitraries.integers().between(0, 255);
    Arbitrary<Integer> p2 = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(9, Arbitraries.integers().between(0, 254)), net.jqwik.api.Tuple.of(1, Arbitraries.just(255)));
    Arbitrary<Long> seed = Arbitraries.longs();
    return Combinators.combine(len, ne, p1, p2, seed).as((n, e, a, b, s) -> {
      byte[] data = new byte[n];
      new java.util.Random(s).nextBytes(data);
      return CommandApdu.of(0x80, 0x42, a, b, OwnedBytes.wrap(data), e);
    });
  }

  @Property(tries = 200)
  void t1HostAndCardAgree(@ForAll("apdus") CommandApdu command, @ForAll @IntRange(min = 1, max = 254) int ifsc,
      @ForAll @IntRange(min = 1, max = 254) int ifsd, @ForAll boolean crc, @ForAll @IntRange(min = 0, max = 3) int wtx,
      @ForAll @IntRange(min = 0, max = 3) int maxFaults, @ForAll @LongRange(min = 0, max = 1000) long seed) {
    MirrorCard card = new MirrorCard(t1Atr(ifsc, crc));
    ResponseApdu expected = card.process(command);
    // An EDC cannot catch everything: two flips of the same bit, or a swap of equal bytes, pass an LRC.
    // So with LRC each direction gets at most one fault, of a kind LRC always detects (one bit flip, or one
    // dropped byte, which shortens the block) or that changes no data (delay); with CRC (which catches any
    // error of up to 3 bits) up to 3 faults of every kind, duplicated bytes included.
    LinkFaults faults = faults(seed, crc, maxFaults);
    LinkFaults back = faults(seed + 1, crc, maxFaults);
    try (MemoryLink.Pair pair = MemoryLink.pair(faults, back);
        T1Card side = T1Card.builder(card).cwt(Duration.ofMillis(20)).wtx(c -> wtx).serve(pair.card())) {
      ResponseApdu actual;
      try {
        // Short BWT when faults make timeouts part of the test; a generous one on a clean link, so that a
        // busy machine cannot turn scheduling delays into failures.
        T1Protocol host = T1Protocol.builder(Atr.parse(card.atr())).ifsd(ifsd)
            .bwt(Duration.ofMillis(maxFaults == 0 ? 1000 : 60))
            .cwt(Duration.ofMillis(20)).build(pair.host());
        actual = host.transmit(command);
      } catch (TransportException e) {
        // A typed failure is acceptable only when the link really misbehaved.
        assertThat(maxFaults).as("failure without faults: %s", e.getMessage()).isPositive();
        Statistics.label("outcome").collect("typed failure");
        return;
      }
      assertThat(actual).isEqualTo(expected);
      Statistics.label("outcome").collect(pair.host().faultsInjected() + pair.card().faultsInjected() > 0
          ? "same response despite faults" : "same response, clean link");
    }
  }

  private static LinkFaults faults(long seed, boolean crc, int maxFaults) {
    return LinkFaults.builder().seed(seed).bitFlip(0.003).drop(0.002).duplicate(crc ? 0.002 : 0)
        .delay(0.002, Duration.ofMillis(3)).maxFaults(crc ? maxFaults : Math.min(1, maxFaults)).build();
  }

  @Property(tries = 100)
  void t1OverThreadlessLoopback(@ForAll("apdus") CommandApdu command, @ForAll @IntRange(min = 1, max = 254) int ifsc,
      @ForAll @IntRange(min = 1, max = 254) int ifsd, @ForAll boolean crc) {
    MirrorCard card = new MirrorCard(t1Atr(ifsc, crc));
    ResponseApdu expected = card.process(command);
    T1Protocol host = T1Protocol.builder(Atr.parse(card.atr())).ifsd(ifsd).build(T1Card.builder(card).loopback());
    assertThat(host.transmit(command)).isEqualTo(expected);
    assertThat(host.transmit(command)).isEqualTo(expected);
  }

  /** A T=0 card: INS B0 returns P1 bytes (case 2), A4 echoes data (case 4), D6 stores (case 3), 20 checks (case 1). */
  static final class T0StyleCard implements VirtualCard {
    static final Bytes ATR = Bytes.fromHex("3B021450");

    @Override
    public Bytes atr() {
      return ATR;
    }

    @Override
    public ResponseApdu process(CommandApdu c) {
      if (c.p2() == 0xFF) {
        return ResponseApdu.of(0x6A82);
      }
      switch (c.ins()) {
        case 0xB0: {
          byte[] d = new byte[Math.max(1, c.p1())];
          for (int i = 0; i < d.length; i++) {
            d[i] = (byte) (i * 3 + c.p2());
          }
          return ResponseApdu.of(OwnedBytes.wrap(d), 0x9000);
        }
        case 0xA4:
          return ResponseApdu.of(Bytes.concat(c.data(), c.data().slice(0, Math.min(c.nc(), c.p1()))), 0x9000);
        default:
          return ResponseApdu.of(0x9000);
      }
    }

    @Override
    public Bytes reset() {
      return ATR;
    }
  }

  @Provide
  Arbitrary<CommandApdu> t0Apdus() {
    Arbitrary<Integer> kind = Arbitraries.integers().between(1, 4);
    Arbitrary<Integer> n = Arbitraries.integers().between(1, 255);
    Arbitrary<Integer> le = Arbitraries.integers().between(1, 256);
    Arbitrary<Integer> p = Arbitraries.integers().between(0, 255);
    return Combinators.combine(kind, n, le, p, p).as((k, len, e, p1, p2) -> {
      byte[] data = new byte[len];
      new java.util.Random(len * 31L + p1).nextBytes(data);
      switch (k) {
        case 1:
          return CommandApdu.of(0x00, 0x20, p1, p2);
        case 2:
          return CommandApdu.of(0x00, 0xB0, p1, p2, Bytes.empty(), e);
        case 3:
          return CommandApdu.of(0x00, 0xD6, p1, p2, OwnedBytes.wrap(data));
        default:
          return CommandApdu.of(0x00, 0xA4, p1, p2, OwnedBytes.wrap(data), 256);
      }
    });
  }

  @Property(tries = 200)
  void t0HostAndCardAgree(@ForAll("t0Apdus") CommandApdu command, @ForAll long chatterSeed) {
    T0StyleCard card = new T0StyleCard();
    ResponseApdu expected = card.process(command);
    try (MemoryLink.Pair pair = MemoryLink.pair();
        T0Card side = T0Card.builder(card).chatter(chatterSeed).serve(pair.card())) {
      T0Protocol host = T0Protocol.builder(Atr.parse(card.atr())).wwt(Duration.ofSeconds(2)).build(pair.host());
      assertThat(host.transmit(command)).isEqualTo(expected);
    }
  }
}
