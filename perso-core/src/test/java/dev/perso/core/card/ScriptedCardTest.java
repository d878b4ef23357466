package dev.perso.core.card;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.channel.CardChannel;
import org.junit.jupiter.api.Test;

class ScriptedCardTest {

  @Test
  void playsTheDialogueInOrder() {
    ScriptedCard card = ScriptedCard.builder()
        .atr(Bytes.fromHex("3B021450"))
        .expect("00A4040007A0000000041010", "6F009000")
        .expectHeader(0x80, 0x50, 0x00, 0x00, c -> ResponseApdu.of(c.data(), 0x9000))
        .build();
    CardChannel ch = VirtualCard.connect(card);
    assertThat(ch.transmit(CommandApdu.parse(Bytes.fromHex("00A4040007A0000000041010"))).data().toHex())
        .isEqualTo("6F00");
    assertThat(ch.transmit(CommandApdu.of(0x80, 0x50, 0, 0, Bytes.fromHex("1122334455667788"), 256)).data())
        .isEqualTo(Bytes.fromHex("1122334455667788"));
    assertThat(card.atr().toHex()).isEqualTo("3B021450");
    card.assertComplete();
  }

  @Test
  void mismatchShowsStepExpectedActualAndFirstDifferingByte() {
    ScriptedCard card = ScriptedCard.builder().expect("00A4040007A0000000041010", "9000").build();
    assertThatThrownBy(() -> card.process(CommandApdu.parse(Bytes.fromHex("00A4040007A0000000031010"))))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("step 1 of 1")
        .hasMessageContaining("expected: 00A4040007A0000000041010")
        .hasMessageContaining("actual:   00A4040007A0000000031010")
        .hasMessageContaining("first difference at byte 9");
  }

  @Test
  void leftoverStepsAreListed() {
    ScriptedCard card = ScriptedCard.builder()
        .expect("00A4040000", "9000")
        .expectHeader(0x80, 0xE2, 0x80, 0x00, c -> ResponseApdu.of(0x9000))
        .build();
    card.process(CommandApdu.parse(Bytes.fromHex("00A4040000")));
    assertThatThrownBy(card::assertComplete)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("1 of 2 steps not played")
        .hasMessageContaining("step 2: header 80 E2 80 00, any data");
  }

  @Test
  void commandAfterLastStepFails() {
    ScriptedCard card = ScriptedCard.builder().build();
    assertThatThrownBy(() -> card.process(CommandApdu.of(0, 0xA4, 4, 0)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("after the last of 0 steps");
  }
}
