package dev.perso.devices.pcsc;

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
import dev.perso.devices.testing.Pcscd;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The pcsc: chip station against a real pcscd with a vpcd reader and our card behind VpcdBridge. */
@Tag("pcscd")
@ExtendWith(Pcscd.class)
@Timeout(60)
class PcscChipStationTest {
  private static final String T1_ATR = "3B951381018073FF01000B"; // notes §1.7 C, vicc default, T=1
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final CardTag CARD = new CardTag(1, "0001");
  // "?" starts the address parameters: the glob uses "*" (or %3F).
  private static final String ADDRESS = "pcsc:Perso Virtual Reader * 00?protocol=t1";

  @Test
  void powersTheCardInTheMatchingReader() {
    RecordingCard card = new RecordingCard(T1_ATR);
    try (ChipStation station = (ChipStation) Devices.open(ADDRESS)) {
      assertThat(station.status()).isEqualTo(DeviceStatus.ready());
      VpcdBridge slot = VpcdBridge.insert(card, "127.0.0.1", Pcscd.PORT_A, WAIT);
      try {
        assertThat(PcscReaders.system().waitForCard(Pcscd.READER_A, WAIT)).isTrue();
        try (ChipSession s = station.power(CARD)) {
          assertThat(s.atr()).isEqualTo(Bytes.fromHex(T1_ATR));
          assertThat(station.status().state()).isEqualTo(DeviceStatus.State.BUSY);
          CommandApdu getData = CommandApdu.of(0x80, 0xCA, 0x00, 0x08, Bytes.empty(), 256);
          assertThat(s.channel().transmit(getData).data()).isEqualTo(card.process(getData).data());
        }
      } finally {
        slot.close();
        assertThat(PcscReaders.system().waitForRemoval(Pcscd.READER_A, WAIT)).isTrue();
      }
      assertThatThrownBy(() -> station.power(CARD)).isInstanceOfSatisfying(DeviceException.class,
          e -> assertThat(e.fault()).isEqualTo(DeviceFault.CHIP_CONTACT_ERROR));
    }
  }

  @Test
  void noMatchingReaderIsOfflineAndACommunicationError() {
    try (ChipStation station = (ChipStation) Devices.open("pcsc:No Such Reader*")) {
      assertThat(station.status().state()).isEqualTo(DeviceStatus.State.OFFLINE);
      assertThatThrownBy(() -> station.power(CARD)).isInstanceOfSatisfying(DeviceException.class,
          e -> assertThat(e.fault()).isEqualTo(DeviceFault.COMMUNICATION_ERROR));
    }
  }
}
