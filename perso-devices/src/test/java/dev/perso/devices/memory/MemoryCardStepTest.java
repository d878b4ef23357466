package dev.perso.devices.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perso.core.Bytes;
import dev.perso.core.DeviceException;
import dev.perso.core.DeviceFault;
import dev.perso.core.ValidationException;
import dev.perso.core.card.VirtualCard;
import dev.perso.core.channel.CardChannel;
import dev.perso.core.device.CardTag;
import dev.perso.core.device.ChipSession;
import dev.perso.core.device.ChipStation;
import dev.perso.core.device.DeviceRole;
import dev.perso.core.device.DeviceStatus;
import dev.perso.core.record.CardRecord;
import dev.perso.core.step.CardType;
import dev.perso.core.step.CardTypes;
import dev.perso.core.step.StepEnvironment;
import dev.perso.core.testing.TestStepContext;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MemoryCardStepTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String LOYALTY = """
      {"name": "loyalty-sle4442", "steps": [
        {"type": "memory-card", "chip": "sle4442", "transportCode": "FFFFFF",
         "constants": [{"address": 32, "text": "PERSO LOYALTY"}],
         "protect": [{"address": 0, "length": 32}], "changeCode": true}]}
      """;

  /** A chip station holding one card, reached in-process. */
  static final class OneCardStation implements ChipStation {
    final VirtualCard card;

    OneCardStation(VirtualCard card) {
      this.card = card;
    }

    @Override
    public ChipSession power(CardTag tag) {
      CardChannel ch = VirtualCard.connect(card);
      return new ChipSession() {
        @Override
        public Bytes atr() {
          return card.atr();
        }

        @Override
        public CardChannel channel() {
          return ch;
        }

        @Override
        public void close() {}
      };
    }

    @Override
    public String id() {
      return "test-chip";
    }

    @Override
    public DeviceStatus status() {
      return DeviceStatus.ready();
    }

    @Override
    public void close() {}
  }

  static CardRecord record(String memoryJson) throws Exception {
    return CardRecord.builder("0001").section("memory", JSON.readTree(memoryJson)).build();
  }

  static CardType loyalty() {
    return CardTypes.parse(LOYALTY, "loyalty.json", StepEnvironment.builder(Path.of(".")).build());
  }

  @Test
  void personalizesImageProtectionAndPerCardCode() throws Exception {
    CardType type = loyalty();
    MemoryCardStep step = (MemoryCardStep) type.steps().get(0);
    CardRecord r = record("{\"data\": [{\"address\": 64, \"text\": \"0001 LOVELACE\"}], \"code\": \"4711AB\"}");
    type.validate(r);
    VirtualMemoryCard card = (VirtualMemoryCard) type.virtualCardStock().orElseThrow().apply(new CardTag(1, "0001"));
    TestStepContext ctx = new TestStepContext(r).device(DeviceRole.CHIP_STATION, new OneCardStation(card));
    step.run(ctx);
    assertThat(ctx.markWrittenCalls()).isEqualTo(1);
    assertThat(card.memory().slice(32, 45)).isEqualTo(Bytes.of("PERSO LOYALTY".getBytes()));
    assertThat(card.memory().slice(64, 77)).isEqualTo(Bytes.of("0001 LOVELACE".getBytes()));
    for (int a = 0; a < 32; a++) {
      assertThat(card.isProtected(a)).isTrue();
    }
    MemoryCard again = MemoryCard.builder(VirtualCard.connect(card), MemoryChip.SLE4442).build();
    assertThat(again.presentCode(dev.perso.core.SecretBytes.fromHex("4711AB"))).isEqualTo(3);
    assertThat(step.toString()).doesNotContain("FFFFFF").doesNotContain("4711AB");
  }

  @Test
  void aWrongTransportCodeRejectsTheCardAfterOneTry() throws Exception {
    MemoryCardStep step = MemoryCardStep.builder(MemoryChip.SLE4442).transportCode(Bytes.fromHex("FFFFFF")).build();
    VirtualMemoryCard card = VirtualMemoryCard.builder(MemoryChip.SLE4442).code(Bytes.fromHex("123456")).build();
    CardRecord r = record("{\"data\": [{\"address\": 64, \"hex\": \"01\"}]}");
    TestStepContext ctx = new TestStepContext(r).device(DeviceRole.CHIP_STATION, new OneCardStation(card));
    assertThatThrownBy(() -> step.run(ctx)).isInstanceOf(MemoryCardException.class)
        .hasMessageContaining("2 tries left").hasMessageNotContaining("FFFFFF");
    assertThat(ctx.written()).isTrue();     // rejected, never retried elsewhere
    assertThat(card.presentations()).isEqualTo(1);
  }

  @Test
  void aCardBelowTheFloorIsRefusedWithoutAPresentation() throws Exception {
    MemoryCardStep step = MemoryCardStep.builder(MemoryChip.SLE4428).transportCode(Bytes.fromHex("FFFF"))
        .tryFloor(3).build();
    VirtualMemoryCard card = VirtualMemoryCard.builder(MemoryChip.SLE4428).triesLeft(2).build();
    TestStepContext ctx = new TestStepContext(record("{\"data\": []}")).device(DeviceRole.CHIP_STATION,
        new OneCardStation(card));
    assertThatThrownBy(() -> step.run(ctx)).isInstanceOf(MemoryCardException.class)
        .satisfies(e -> assertThat(((MemoryCardException) e).reason()).isEqualTo(MemoryCardException.Reason.TRY_FLOOR));
    assertThat(card.presentations()).isZero();
  }

  @Test
  void aChipThatIgnoresWritesIsAReadBackMismatch() throws Exception {
    // An I2C card in a reader that answers 90 00 to writes it never makes (a card with its WP pin tied high).
    VirtualMemoryCard inner = VirtualMemoryCard.builder(MemoryChip.AT24C02).build();
    VirtualCard writeProtected = new VirtualCard() {
      @Override
      public Bytes atr() {
        return inner.atr();
      }

      @Override
      public dev.perso.core.apdu.ResponseApdu process(dev.perso.core.apdu.CommandApdu c) {
        return c.ins() == 0xD0 ? dev.perso.core.apdu.ResponseApdu.of(0x9000) : inner.process(c);
      }

      @Override
      public Bytes reset() {
        return inner.reset();
      }
    };
    MemoryCardStep step = MemoryCardStep.builder(MemoryChip.AT24C02).build();
    TestStepContext ctx = new TestStepContext(record("{\"data\": [{\"address\": 8, \"hex\": \"0102\"}]}"))
        .device(DeviceRole.CHIP_STATION, new OneCardStation(writeProtected));
    assertThatThrownBy(() -> step.run(ctx)).isInstanceOf(DeviceException.class)
        .satisfies(e -> assertThat(((DeviceException) e).fault()).isEqualTo(DeviceFault.READ_BACK_MISMATCH));
  }

  @Test
  void recordsAreCheckedBeforeACardIsUsed() throws Exception {
    CardType type = loyalty();
    assertThatThrownBy(() -> type.validate(record("{\"data\": [{\"address\": 40, \"hex\": \"00\"}], \"code\": \"010203\"}")))
        .isInstanceOf(ValidationException.class).hasMessageContaining("overlap");
    assertThatThrownBy(() -> type.validate(record("{\"data\": [{\"address\": 250, \"hex\": \"0011223344556677\"}], "
        + "\"code\": \"010203\"}"))).hasMessageContaining("outside sle4442");
    assertThatThrownBy(() -> type.validate(record("{\"data\": []}"))).hasMessageContaining("memory.code")
        .hasMessageContaining("is required");
    assertThatThrownBy(() -> type.validate(record("{\"data\": [], \"code\": \"0102\"}")))
        .hasMessageContaining("3 bytes").hasMessageNotContaining("0102");
    assertThatThrownBy(() -> type.validate(record("{\"data\": [], \"code\": \"ZZZZZZ\", \"x\": 1}")))
        .isInstanceOf(ValidationException.class);
  }

  @Test
  void cardTypeFileErrorsNameTheMember() {
    StepEnvironment env = StepEnvironment.builder(Path.of(".")).build();
    assertThatThrownBy(() -> CardTypes.parse("{\"name\":\"x\",\"steps\":[{\"type\":\"memory-card\",\"chip\":\"sle4442\"}]}",
        "x.json", env)).hasMessageContaining("x.json $.steps[0].transportCode");
    assertThatThrownBy(() -> CardTypes.parse("{\"name\":\"x\",\"steps\":[{\"type\":\"memory-card\",\"chip\":\"sle4442\","
        + "\"transportCode\":\"FFFFFF\",\"protect\":[{\"address\":30,\"length\":4}]}]}", "x.json", env))
        .hasMessageContaining("$.steps[0].protect").hasMessageContaining("only 0..31");
    assertThatThrownBy(() -> CardTypes.parse("{\"name\":\"x\",\"steps\":[{\"type\":\"memory-card\",\"chip\":\"at24c02\","
        + "\"dialect\":\"omnikey\"}]}", "x.json", env)).hasMessageContaining("$.steps[0].dialect");
    assertThatThrownBy(() -> CardTypes.parse("{\"name\":\"x\",\"steps\":[{\"type\":\"memory-card\",\"chip\":\"sle9\"}]}",
        "x.json", env)).hasMessageContaining("$.steps[0].chip");
  }
}
