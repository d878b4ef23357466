package dev.perso.devices.evolis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perso.core.Bytes;
import dev.perso.core.DeviceException;
import dev.perso.core.MalformedDataException;
import dev.perso.core.device.CardTag;
import dev.perso.core.device.StripeData;
import dev.perso.devices.evolis.internal.EvolisPanels;
import dev.perso.devices.evolis.internal.EvolisProtocol;
import dev.perso.devices.link.simulator.MemoryLink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Evolis frames, K/O compression (notes magstripe-surface §4.3) and replies, as properties. */
class EvolisCodecProperties {

  /** A 2-level panel whose lines are empty, full, or a random prefix of bytes (zeros inside too). */
  static byte[] panel(long seed, int fillPercent) {
    Random r = new Random(seed);
    byte[] p = new byte[EvolisPanels.MONO_BYTES];
    for (int j = 0; j < EvolisPanels.LINES; j++) {
      int kind = r.nextInt(100);
      int from = j * EvolisPanels.MONO_LINE_BYTES;
      if (kind < fillPercent / 4) {
        java.util.Arrays.fill(p, from, from + EvolisPanels.MONO_LINE_BYTES, (byte) 0xFF);
      } else if (kind < fillPercent) {
        int n = 1 + r.nextInt(EvolisPanels.MONO_LINE_BYTES);
        for (int k = 0; k < n; k++) {
          p[from + k] = r.nextInt(3) == 0 ? 0 : (byte) r.nextInt(256);
        }
      }
    }
    return p;
  }

  @Property(tries = 200)
  void koCompressionRoundTrips(@ForAll long seed, @ForAll @IntRange(max = 100) int fill) {
    byte[] p = panel(seed, fill);
    byte[] c = EvolisPanels.compress(p);
    byte[] back = new byte[EvolisPanels.MONO_BYTES];
    assertThat(EvolisPanels.decompress(c, 0, back)).isEqualTo(c.length);
    assertThat(back).isEqualTo(p);
    assertThat(c.length).isLessThanOrEqualTo(EvolisPanels.MONO_BYTES + EvolisPanels.LINES);
  }

  @Property(tries = 1000)
  void malformedCompressedPanelsGiveOnlyOurException(@ForAll @Size(max = 3000) byte[] raw, @ForAll @IntRange(max = 5) int offset) {
    try {
      EvolisPanels.decompress(raw, Math.min(offset, raw.length), new byte[EvolisPanels.MONO_BYTES]);
    } catch (MalformedDataException expected) {
      // the only acceptable failure
    }
  }

  @Property(tries = 1000)
  void garbageRepliesGiveOnlyOurException(@ForAll @Size(max = 600) byte[] raw) {
    try {
      EvolisProtocol.Reply r = EvolisProtocol.reply(raw);
      if (r.nack() != 0) {
        assertThat(EvolisProtocol.faultOf(r.nack())).isNotNull();
      }
    } catch (MalformedDataException expected) {
      // the only acceptable failure
    }
  }

  @Provide
  Arbitrary<String> track1() {
    // ISO 7813 track 1 characters 0x20..0x5F without the sentinels % and ? (notes §1.1, §0)
    return Arbitraries.strings().withCharRange(' ', '_').excludeChars('%', '?').ofMinLength(1).ofMaxLength(76);
  }

  @Provide
  Arbitrary<String> track2() {
    return Arbitraries.strings().withCharRange('0', '?').excludeChars(';', '?').ofMinLength(1).ofMaxLength(37);
  }

  /** What the driver downloads with Dm and writes with Smw, the emulator decodes and Smr gives back unchanged. */
  @Property(tries = 30)
  void tracksRoundTripThroughTheEmulator(@ForAll("track1") String t1, @ForAll("track2") String t2) throws Exception {
    StripeData stripe = StripeData.of(Map.of(1, Bytes.of(t1.getBytes(StandardCharsets.US_ASCII)),
        2, Bytes.of(t2.getBytes(StandardCharsets.US_ASCII))));
    try (MemoryLink.Pair pair = MemoryLink.pair(); EvolisEmulator em = EvolisEmulator.serve(pair.card());
        EvolisPrinter p = EvolisPrinter.builder().open(pair.host())) {
      CardTag card = new CardTag(1, "r");
      p.feed(card);
      p.write(card, stripe);
      assertThat(stripe.sameAs(p.read(card))).isTrue();
      p.eject(card);
      assertThat(em.protocolErrors()).isEmpty();
      assertThat(em.delivered().get(0).stripe()).containsEntry(1, t1).containsEntry(2, t2);
    }
  }

  /** Whatever the printer answers, the driver throws only DeviceException. */
  @Property(tries = 40)
  void garbageAnswersGiveOnlyDeviceException(@ForAll @Size(max = 40) byte[] garbage, @ForAll boolean endWithCr)
      throws Exception {
    byte[] answer = java.util.Arrays.copyOf(garbage, garbage.length + (endWithCr ? 1 : 0));
    if (endWithCr) {
      answer[garbage.length] = 0x0D;
    }
    try (MemoryLink.Pair pair = MemoryLink.pair(); EvolisEmulator em = EvolisEmulator.serve(pair.card());
        EvolisPrinter p = EvolisPrinter.builder().replyTimeout(Duration.ofMillis(60)).open(pair.host())) {
      em.answerNextWith(answer);
      try {
        p.feed(new CardTag(2, "r"));
      } catch (DeviceException expected) {
        // typed: COMMUNICATION_ERROR, TIMEOUT or a NACK's fault
      }
    }
  }
}
