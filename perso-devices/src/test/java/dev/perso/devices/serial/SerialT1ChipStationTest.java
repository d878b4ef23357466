package dev.perso.devices.serial;

import dev.perso.devices.testing.PtyPair;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import dev.perso.core.DeviceException;
import dev.perso.core.DeviceFault;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.device.CardTag;
import dev.perso.core.device.ChipSession;
import dev.perso.core.device.ChipStation;
import dev.perso.core.device.DeviceStatus;
import dev.perso.core.device.Devices;
import dev.perso.devices.atr.Atr;
import dev.perso.devices.link.simulator.MemoryLink;
import dev.perso.devices.tpdu.card.T1Card;
import dev.perso.devices.tpdu.T1Protocol;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The serial-t1 chip station: in memory with our T=1 card engine, and through a socat pty pair by address. */
@Timeout(60)
class SerialT1ChipStationTest {
  private static final String ATR = "3B808131FE458B"; // T=1, IFSC 254
  private static final CardTag CARD = new CardTag(1, "0001");
  private static final CommandApdu GET_DATA = CommandApdu.of(0x80, 0xCA, 0x01, 0x20, Bytes.empty(), 65536);

  @Test
  void powersTheCardAtTheOtherEndAndKeepsTheBlockSequenceAcrossCards() {
    SerialLinkTest.Card card = new SerialLinkTest.Card(ATR);
    MemoryLink.Pair pair = MemoryLink.pair();
    try (T1Card side = T1Card.serve(card, pair.card());
        ChipStation station = new SerialT1ChipStation("serial-t1:mem", pair.host(), Bytes.fromHex(ATR),
            link -> T1Protocol.builder(Atr.parse(Bytes.fromHex(ATR))).bwt(Duration.ofSeconds(1)).build(link))) {
      for (int i = 0; i < 3; i++) {
        try (ChipSession s = station.power(CARD)) {
          assertThat(station.status().state()).isEqualTo(DeviceStatus.State.BUSY);
          assertThat(s.atr()).isEqualTo(Bytes.fromHex(ATR));
          assertThat(s.channel().transmit(GET_DATA)).isEqualTo(card.process(GET_DATA));
        }
      }
      assertThat(station.status()).isEqualTo(DeviceStatus.ready());
    }
  }

  @Test
  void noCardAnsweringIsAContactError() {
    MemoryLink.Pair pair = MemoryLink.pair();
    try (ChipStation station = new SerialT1ChipStation("serial-t1:mem", pair.host(), Bytes.fromHex(ATR),
        link -> T1Protocol.builder(Atr.parse(Bytes.fromHex(ATR))).bwt(Duration.ofMillis(20)).cwt(Duration.ofMillis(20))
            .maxRetries(0).maxResyncs(0).build(link))) {
      assertThatThrownBy(() -> station.power(CARD)).isInstanceOfSatisfying(DeviceException.class,
          e -> assertThat(e.fault()).isEqualTo(DeviceFault.CHIP_CONTACT_ERROR));
    }
  }

  @Test
  @Tag("socat")
  void opensByAddressOverAPtyPair() throws Exception {
    SerialLinkTest.Card card = new SerialLinkTest.Card(ATR);
    try (PtyPair pty = PtyPair.start();
        SerialLink cardEnd = SerialLink.open(pty.card(), SerialConfig.builder().baud(115_200)
            .parity(SerialConfig.Parity.NONE).stopBits(SerialConfig.StopBits.ONE).build());
        T1Card side = T1Card.builder(card).cwt(Duration.ofMillis(200)).serve(cardEnd);
        ChipStation station = (ChipStation) Devices.open("serial-t1:" + pty.host()
            + "?baud=115200&parity=none&stopBits=1&bwtMs=1000&cwtMs=200&atr=" + ATR)) {
      try (ChipSession s = station.power(CARD)) {
        assertThat(s.atr()).isEqualTo(Bytes.fromHex(ATR));
        assertThat(s.channel().transmit(GET_DATA)).isEqualTo(card.process(GET_DATA));
      }
    }
  }
}
