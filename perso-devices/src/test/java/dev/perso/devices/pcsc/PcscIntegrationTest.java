package dev.perso.devices.pcsc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import dev.perso.core.TransportException;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.apdu.ResponseApdu;
import dev.perso.core.channel.CardChannel;
import dev.perso.core.channel.GetResponse;
import dev.perso.devices.atr.Protocol;
import dev.perso.devices.testing.Pcscd;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * PcscReaders against a real pcscd with vsmartcard-vpcd readers and our VirtualCards behind VpcdBridge
 * (recipe and JDK behaviour: notes/transports.md §3.2-§3.3).
 */
@Tag("pcscd")
@ExtendWith(Pcscd.class)
@Timeout(60)
class PcscIntegrationTest {
  private static final String T0_ATR = "3B021450";               // notes §1.7 C, Multiflex, T=0 only
  private static final String T1_ATR = "3B951381018073FF01000B"; // notes §1.7 C, vicc default, T=1
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static VpcdBridge insert(RecordingCard card, int port, String reader) {
    VpcdBridge b = VpcdBridge.insert(card, "127.0.0.1", port, WAIT);
    assertThat(PcscReaders.system().waitForCard(reader, WAIT)).as("card appears in %s", reader).isTrue();
    return b;
  }

  private static void remove(VpcdBridge b, String reader) {
    b.close();
    assertThat(PcscReaders.system().waitForRemoval(reader, WAIT)).isTrue();
  }

  @Test
  void listsOurReaders() {
    assertThat(PcscReaders.system().list()).extracting(PcscReaders.Reader::name)
        .anyMatch(n -> PcscReaders.matches(Pcscd.READER_A, n))
        .anyMatch(n -> PcscReaders.matches(Pcscd.READER_B, n));
    assertThatThrownBy(() -> PcscReaders.system().find("No Such Reader*"))
        .isInstanceOf(TransportException.class).hasMessageContaining("readers: [");
  }

  @Test
  void t0CardWithOurGetResponseAnd6Cxx() {
    RecordingCard card = new RecordingCard(T0_ATR);
    VpcdBridge slot = insert(card, Pcscd.PORT_A, Pcscd.READER_A);
    try (PcscCard raw = PcscReaders.system().connect(Pcscd.READER_A, PcscProtocol.ANY, Sharing.SHARED)) {
      assertThat(raw.protocol()).isEqualTo("T=0");
      assertThat(raw.atr().defaultProtocol()).isEqualTo(Protocol.T0);
      // Raw: the JDK's own GET RESPONSE is off, so 61xx reaches us.
      CommandApdu select = CommandApdu.of(0x80, 0xA4, 0x04, 0x00, Bytes.fromHex("A000000003"), 256);
      assertThat(raw.transmit(select).sw().value()).isEqualTo(0x6112);
      CardChannel ch = raw.with(GetResponse.auto());
      ResponseApdu fci = ch.transmit(select);
      assertThat(fci.data()).isEqualTo(RecordingCard.FCI);
      // Our GET RESPONSE carries CLA 00, where the JDK would have kept 80 (notes §1.4, VERIFIED there).
      assertThat(card.seen()).contains(Bytes.fromHex("00C0000012"));
      ResponseApdu rb = ch.transmit(CommandApdu.of(0x00, 0xB0, 0x00, 0x00, Bytes.empty(), 256));
      assertThat(rb.data()).isEqualTo(Bytes.fromHex("0102030405060708090A"));
      assertThat(card.seen()).contains(Bytes.fromHex("00B0000000"), Bytes.fromHex("00B000000A"));
    } finally {
      remove(slot, Pcscd.READER_A);
    }
  }

  @Test
  void t1CardExtendedApdusAndTheEightKibLimit() {
    RecordingCard card = new RecordingCard(T1_ATR);
    VpcdBridge slot = insert(card, Pcscd.PORT_B, Pcscd.READER_B);
    try (PcscCard raw = PcscReaders.system().connect(Pcscd.READER_B, PcscProtocol.T1, Sharing.EXCLUSIVE)) {
      assertThat(raw.protocol()).isEqualTo("T=1");
      // vpcd implements no reader control: the failure must say so (the CCID reader is used in CcidTwinInteropTest).
      assertThatThrownBy(() -> raw.control(PcscReaders.controlCode(3400), Bytes.empty()))
          .isInstanceOf(TransportException.class).hasMessageContaining("SCARD_E_UNSUPPORTED_FEATURE");
      ResponseApdu big = raw.transmit(CommandApdu.of(0x00, 0xCA, 0x03, 0xE8, Bytes.empty(), 65536));
      assertThat(big.data().length()).isEqualTo(1000);
      ResponseApdu write = raw.transmit(CommandApdu.of(0x00, 0xD6, 0x00, 0x00, Bytes.of(new byte[300])));
      assertThat(write.data()).isEqualTo(Bytes.fromHex("012C"));
      assertThat(raw.transmit(CommandApdu.of(0x00, 0xCA, 0x1F, 0xFE, Bytes.empty(), 65536)).data().length())
          .isEqualTo(8190);
      // 9000 bytes + SW exceed the JDK's 8192-byte receive buffer (notes §3.2): a clear error.
      assertThatThrownBy(() -> raw.transmit(CommandApdu.of(0x00, 0xCA, 0x23, 0x28, Bytes.empty(), 65536)))
          .isInstanceOf(TransportException.class).hasMessageContaining("8192");
    } finally {
      remove(slot, Pcscd.READER_B);
    }
  }

  @Test
  void removalMidSessionThenReinsertion() {
    RecordingCard card = new RecordingCard(T1_ATR);
    VpcdBridge slot = insert(card, Pcscd.PORT_A, Pcscd.READER_A);
    CommandApdu read = CommandApdu.of(0x00, 0xB0, 0x00, 0x00, Bytes.empty(), 10);
    try (PcscCard raw = PcscReaders.system().connect(Pcscd.READER_A, PcscProtocol.ANY, Sharing.SHARED)) {
      assertThat(raw.transmit(read).isSuccess()).isTrue();
      remove(slot, Pcscd.READER_A);
      assertThatThrownBy(() -> raw.transmit(read)).isInstanceOf(TransportException.class)
          .hasMessageContaining("PC/SC");
      slot = insert(card, Pcscd.PORT_A, Pcscd.READER_A);
      raw.reconnect();
      assertThat(raw.transmit(read).isSuccess()).isTrue();
    } finally {
      remove(slot, Pcscd.READER_A);
    }
  }

  @Test
  void twoVirtualReadersAtOnce() {
    RecordingCard a = new RecordingCard(T0_ATR);
    RecordingCard b = new RecordingCard(T1_ATR);
    VpcdBridge slotA = insert(a, Pcscd.PORT_A, Pcscd.READER_A);
    VpcdBridge slotB = insert(b, Pcscd.PORT_B, Pcscd.READER_B);
    try (CardChannel chA = PcscReaders.system().open(Pcscd.READER_A);
        CardChannel chB = PcscReaders.system().open(Pcscd.READER_B)) {
      for (int i = 0; i < 5; i++) {
        assertThat(chA.transmit(CommandApdu.of(0x00, 0xCA, 0x00, i + 1, Bytes.empty(), 256)).data().length())
            .isEqualTo(i + 1);
        assertThat(chB.transmit(CommandApdu.of(0x00, 0xCA, 0x00, i + 10, Bytes.empty(), 256)).data().length())
            .isEqualTo(i + 10);
      }
      assertThat(a.seen()).hasSize(5);
      assertThat(b.seen()).hasSize(5);
    } finally {
      remove(slotA, Pcscd.READER_A);
      remove(slotB, Pcscd.READER_B);
    }
  }
}
