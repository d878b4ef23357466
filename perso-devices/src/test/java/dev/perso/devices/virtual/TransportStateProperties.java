package dev.perso.devices.virtual;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perso.core.device.CardTag;
import dev.perso.core.device.CardTransport;
import dev.perso.core.device.DeviceContext;
import dev.perso.core.device.Devices;
import dev.perso.core.line.LineClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The transport's state log: whatever the operations, and whatever torn tail a kill left, a reopen finds the same cards. */
class TransportStateProperties {

  private static CardTransport open(DeviceContext ctx, Path state) {
    return (CardTransport) Devices.open("virtual:transport?id=t&state=" + state, ctx);
  }

  private static DeviceContext context() {
    return DeviceContext.builder().clock(LineClock.virtual()).build();
  }

  @Property(tries = 60)
  void reopenFindsTheSameCards(@ForAll @Size(max = 40) List<@IntRange(min = 0, max = 3) Integer> ops,
      @ForAll @Size(max = 30) List<@IntRange(min = 0, max = 255) Integer> tornTail) throws Exception {
    Path state = Files.createTempFile("perso-transport", ".state");
    try {
      DeviceContext first = context();
      List<CardTag> inside;
      List<PhysicalCard> out;
      List<PhysicalCard> bin;
      try (CardTransport t = open(first, state)) {
        long serial = 0;
        for (int op : ops) {
          List<CardTag> now = t.cardsInside();
          if (op == 0 || now.isEmpty()) {
            t.feed(new CardTag(++serial, "r\"" + serial + "\\\n"));
          } else if (op == 1) {
            t.moveTo(now.get(0), "chip-" + serial);
          } else if (op == 2) {
            t.eject(now.get(0));
          } else {
            t.reject(now.get(now.size() - 1));
          }
        }
        inside = t.cardsInside();
        out = VirtualWorld.of(first).outputHopper();
        bin = VirtualWorld.of(first).rejectBin();
      }
      byte[] tail = new byte[tornTail.size()];
      for (int i = 0; i < tail.length; i++) {
        tail[i] = (byte) (tornTail.get(i) == '\n' ? ' ' : tornTail.get(i));
      }
      Files.write(state, tail, StandardOpenOption.APPEND);
      DeviceContext second = context();
      try (CardTransport t = open(second, state)) {
        assertThat(t.cardsInside()).isEqualTo(inside);
        assertThat(VirtualWorld.of(second).outputHopper()).extracting(PhysicalCard::tag)
            .isEqualTo(out.stream().map(PhysicalCard::tag).toList());
        assertThat(VirtualWorld.of(second).rejectBin()).extracting(PhysicalCard::tag)
            .isEqualTo(bin.stream().map(PhysicalCard::tag).toList());
        for (CardTag c : inside) {
          assertThat(VirtualWorld.of(second).card(c).orElseThrow().positions())
              .isEqualTo(VirtualWorld.of(first).card(c).orElseThrow().positions());
        }
      }
      assertThat(new String(Files.readAllBytes(state), StandardCharsets.UTF_8)).matches("(?s)(.*\n)?");
    } finally {
      Files.deleteIfExists(state);
    }
  }
}
