package dev.perso.devices.virtual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.MalformedDataException;
import dev.perso.core.card.ScriptedCard;
import dev.perso.core.device.CardTag;
import dev.perso.core.device.CardTransport;
import dev.perso.core.device.DeviceContext;
import dev.perso.core.device.Devices;
import dev.perso.core.line.LineClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransportStateTest {
  @TempDir
  Path dir;

  private static CardTag tag(long n) {
    return new CardTag(n, "r" + n);
  }

  /** A new controller: a new context (and world), as in a new JVM. */
  private static DeviceContext freshContext() {
    return DeviceContext.builder().clock(LineClock.virtual()).cardStock(t -> ScriptedCard.builder().build()).build();
  }

  private CardTransport open(DeviceContext ctx, Path state) {
    return (CardTransport) Devices.open("virtual:transport?id=mx-1&hopper=10&state=" + state, ctx);
  }

  @Test
  void cardsInsideAndFinishedSurviveAReopen() {
    Path state = dir.resolve("mx-1.state");
    try (CardTransport t = open(freshContext(), state)) {
      for (int i = 1; i <= 4; i++) {
        t.feed(tag(i));
      }
      t.moveTo(tag(3), "chip-2");
      t.eject(tag(1));
      t.reject(tag(2));
    }
    DeviceContext next = freshContext();
    try (CardTransport t = open(next, state)) {
      assertThat(t.cardsInside()).containsExactly(tag(3), tag(4));
      assertThat(t.sensors().cardsInOutputHopper()).isEqualTo(1);
      assertThat(t.sensors().cardsInRejectBin()).isEqualTo(1);
      VirtualWorld world = VirtualWorld.of(next);
      assertThat(world.outputHopper()).extracting(PhysicalCard::tag).containsExactly(tag(1));
      assertThat(world.rejectBin()).extracting(PhysicalCard::tag).containsExactly(tag(2));
      assertThat(world.card(tag(3)).orElseThrow().positions()).containsExactly("chip-2");
      // The new controller purges what it finds inside, then carries on; the hopper count continues.
      t.reject(tag(3));
      t.eject(tag(4));
      for (int i = 5; i <= 10; i++) {
        t.feed(tag(i));
      }
      assertThat(t.sensors().inputHopperEmpty()).isTrue();
    }
    DeviceContext third = freshContext();
    try (CardTransport t = open(third, state)) {
      assertThat(VirtualWorld.of(third).outputHopper()).extracting(PhysicalCard::tag).containsExactly(tag(1), tag(4));
      assertThat(VirtualWorld.of(third).issuedByRecord()).containsOnlyKeys("r1", "r4");
      assertThat(t.cardsInside()).hasSize(6);
    }
  }

  @Test
  void aTornLastLineIsDroppedAndCutOff() throws Exception {
    Path state = dir.resolve("torn.state");
    try (CardTransport t = open(freshContext(), state)) {
      t.feed(tag(1));
      t.feed(tag(2));
    }
    Files.writeString(state, "{\"op\":\"eject\",\"serial\":1,\"rec", StandardOpenOption.APPEND);
    try (CardTransport t = open(freshContext(), state)) {
      assertThat(t.cardsInside()).containsExactly(tag(1), tag(2));
      t.eject(tag(2));
    }
    String text = Files.readString(state, StandardCharsets.UTF_8);
    assertThat(text).doesNotContain("\"rec\n").endsWith("\n");
    assertThat(text.lines()).hasSize(3);
    try (CardTransport t = open(freshContext(), state)) {
      assertThat(t.cardsInside()).containsExactly(tag(1));
    }
  }

  @Test
  void aCorruptCompleteLineIsMalformedData() throws Exception {
    Path state = dir.resolve("bad.state");
    Files.writeString(state, "{\"op\":\"feed\",\"serial\":1,\"record\":\"r1\"}\nnot json\n{\"op\":\"feed\",\"serial\":2,\"record\":\"r2\"}\n");
    assertThatThrownBy(() -> open(freshContext(), state)).isInstanceOf(MalformedDataException.class)
        .hasMessageContaining("line 2");
    Files.writeString(state, "{\"op\":\"teleport\",\"serial\":1,\"record\":\"r1\"}\n");
    assertThatThrownBy(() -> open(freshContext(), state)).isInstanceOf(MalformedDataException.class)
        .hasMessageContaining("teleport");
  }
}
