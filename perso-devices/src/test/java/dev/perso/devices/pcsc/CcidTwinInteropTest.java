package dev.perso.devices.pcsc;

import dev.perso.core.internal.OwnedBytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.perso.core.Bytes;
import dev.perso.core.apdu.CommandApdu;
import dev.perso.core.testing.RealComponent;
import dev.perso.devices.testing.Pcscd;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The CCID driver's own T=1 (libccidtwin.so, LudovicRousseau/CCID openct/proto-t1.c) as the reference
 * peer of our card-side T=1 engine: pcscd + a socat pty + our fake GemPC Twin (notes/transports.md
 * §3.5), driven through javax.smartcardio with injected EDC errors and WTX.
 */
@Tag("pcscd")
@ExtendWith(Pcscd.class)
@Timeout(180)
class CcidTwinInteropTest {

  static CommandApdu random(Random r) {
    int nc = r.nextInt(4) == 0 ? 0 : r.nextInt(r.nextInt(5) == 0 ? 400 : 60);
    byte[] data = new byte[nc];
    r.nextBytes(data);
    int p1 = r.nextInt(10) == 0 ? 0x80 : r.nextInt(4);
    int p2 = r.nextInt(256);
    int ne = r.nextInt(3) == 0 ? 0 : (r.nextInt(4) == 0 ? 65536 : 256);
    if (ne == 256 && ((p1 & 3) << 8 | p2) > 256) {
      ne = 65536;
    }
    return CommandApdu.of(0x80, 0x10 + r.nextInt(0x40), p1, p2, OwnedBytes.wrap(data), ne);
  }

  @Test
  void driverT0CompletesThousandRandomApdusThroughOurT0Card() {
    FakeTwin twin = Pcscd.twinT0();
    RealComponent.require("libccidtwin + socat harness", twin != null, String.valueOf(Pcscd.twinProblem()));
    PcscReaders readers = PcscReaders.system();
    RealComponent.require("CCID driver reader", readers.list().stream()
        .anyMatch(x -> PcscReaders.matches(Pcscd.TWIN_T0_READER, x.name())), "libccidtwin did not take the reader");
    assertThat(readers.waitForCard(Pcscd.TWIN_T0_READER, Duration.ofSeconds(10))).isTrue();
    InteropT0Card reference = new InteropT0Card();
    Random r = new Random(7_0000);
    try (PcscCard card = readers.connect(Pcscd.TWIN_T0_READER, PcscProtocol.T0, Sharing.SHARED)) {
      assertThat(card.protocol()).isEqualTo("T=0");
      dev.perso.core.channel.CardChannel ch = card.with(dev.perso.core.channel.GetResponse.auto());
      for (int i = 0; i < 1000; i++) {
        byte[] data = new byte[1 + r.nextInt(255)];
        r.nextBytes(data);
        int p1 = r.nextInt(256);
        int p2 = r.nextInt(20) == 0 ? 0xFF : r.nextInt(255);
        CommandApdu c;
        switch (r.nextInt(4)) {
          case 0:
            c = CommandApdu.of(0x00, 0x20, p1, p2);
            break;
          case 1:
            c = CommandApdu.of(0x00, 0xB0, p1, p2, Bytes.empty(), 1 + r.nextInt(256));
            break;
          case 2:
            c = CommandApdu.of(0x00, 0xD6, p1, p2, OwnedBytes.wrap(data));
            break;
          default:
            c = CommandApdu.of(0x00, 0xA4, p1, p2, OwnedBytes.wrap(data), 256);
        }
        assertThat(ch.transmit(c)).as("APDU #%d %s; last TPDUs:%n%s", i, c, twin.recent())
            .isEqualTo(reference.process(c));
      }
    }
  }

  @Test
  void driverT1CompletesThousandRandomApdusWithEdcErrorsAndWtx() {
    FakeTwin twin = Pcscd.twin();
    RealComponent.require("libccidtwin + socat harness", twin != null, String.valueOf(Pcscd.twinProblem()));
    PcscReaders readers = PcscReaders.system();
    RealComponent.require("CCID driver reader", readers.list().stream()
        .anyMatch(x -> PcscReaders.matches(Pcscd.TWIN_READER, x.name())), "libccidtwin did not take the fake reader");
    assertThat(readers.waitForCard(Pcscd.TWIN_READER, Duration.ofSeconds(10))).isTrue();
    twin.faults(0.03, 0.05);
    InteropCard reference = new InteropCard();
    Random r = new Random(20261124);
    try (PcscCard card = readers.connect(Pcscd.TWIN_READER, PcscProtocol.T1, Sharing.EXCLUSIVE)) {
      assertThat(card.protocol()).isEqualTo("T=1");
      // Reader control through the CCID driver: CM_IOCTL_GET_FEATURE_REQUEST = SCARD_CTL_CODE(3400) answers
      // tag, 04, 4-byte ioctl (PC/SC part 10); FEATURE_GET_TLV_PROPERTIES (12) then gives the properties.
      Bytes features = card.control(PcscReaders.controlCode(3400), Bytes.empty());
      assertThat(features.length() % 6).isZero();
      int tlvProperties = -1;
      for (int i = 0; i + 6 <= features.length(); i += 6) {
        if (features.getUnsigned(i) == 0x12) {
          tlvProperties = (features.getUnsigned(i + 2) << 24) | (features.getUnsigned(i + 3) << 16)
              | (features.getUnsigned(i + 4) << 8) | features.getUnsigned(i + 5);
        }
      }
      assertThat(tlvProperties).isNotEqualTo(-1);
      assertThat(card.control(tlvProperties, Bytes.empty()).isEmpty()).isFalse();
      for (int i = 0; i < 1000; i++) {
        CommandApdu c = random(r);
        assertThat(card.transmit(c)).as("APDU #%d %s; last blocks:%n%s", i, c, twin.recent())
            .isEqualTo(reference.process(c));
      }
    } finally {
      twin.faults(0, 0);
    }
    assertThat(twin.edcErrorsInjected.get()).isGreaterThan(10);
    assertThat(twin.wtxRequested.get()).isGreaterThan(10);
  }
}
