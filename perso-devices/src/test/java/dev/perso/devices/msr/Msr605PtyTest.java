package dev.perso.devices.msr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.DeviceException;
import dev.perso.core.DeviceFault;
import dev.perso.core.ValidationException;
import dev.perso.core.device.Devices;
import dev.perso.core.device.MagStripeEncoder;
import dev.perso.devices.testing.PtyPair;
import dev.perso.devices.serial.SerialLink;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The msr605: driver opened by address through jSerialComm on a socat pty pair, the emulator on the other end. */
@Tag("socat")
@Timeout(60)
class Msr605PtyTest {
  private static final String PARAMS = "?baud=9600&commandTimeoutMs=500&swipeTimeoutMs=1000&byteTimeoutMs=300";

  @Test
  void writesVerifiesReadsAndErasesThroughARealPtyByAddress() throws Exception {
    try (PtyPair pty = PtyPair.start();
        Msr605Emulator emu = Msr605Emulator.builder().build()
            .serve(SerialLink.open(pty.card(), Msr605Encoder.serialConfig(9600)));
        MagStripeEncoder msr = (MagStripeEncoder) Devices.open("msr605:" + pty.host() + PARAMS + "&coercivity=hi")) {
      assertThat(msr).isInstanceOf(Msr605Encoder.class);
      Msr605Encoder m = (Msr605Encoder) msr;
      assertThat(m.model()).isEqualTo("3");
      assertThat(m.firmware()).isEqualTo("REVU3.01");
      m.writeAndVerify(Msr605EncoderTest.CARD, Msr605EncoderTest.TRACKS);
      assertThat(Msr605EncoderTest.TRACKS.sameAs(msr.read(Msr605EncoderTest.CARD))).isTrue();
      msr.erase(Msr605EncoderTest.CARD, Set.of(1, 2));
      assertThat(msr.read(Msr605EncoderTest.CARD).tracks()).isEmpty();
      emu.failNext(MsrStatus.CARD_MOVING_ERROR);
      assertThatThrownBy(() -> msr.write(Msr605EncoderTest.CARD, Msr605EncoderTest.TRACKS))
          .isInstanceOfSatisfying(MsrException.class, e -> assertThat(e.status()).contains(MsrStatus.CARD_MOVING_ERROR));
    }
  }

  @Test
  void aSilentPortIsATimeoutWhenOpening() throws Exception {
    try (PtyPair pty = PtyPair.start()) {
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> Devices.open("msr206:" + pty.host() + PARAMS)).isInstanceOfSatisfying(
          DeviceException.class, e -> assertThat(e.fault()).isEqualTo(DeviceFault.TIMEOUT));
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
    }
  }

  @Test
  void unpluggedMidWriteIsATypedFaultNeverAGoodCard() throws Exception {
    PtyPair pty = PtyPair.start();
    try (Msr605Emulator emu = Msr605Emulator.builder().swipeTime(Duration.ofMillis(300)).build()
            .serve(SerialLink.open(pty.card(), Msr605Encoder.serialConfig(9600)));
        MagStripeEncoder msr = (MagStripeEncoder) Devices.open("msr605:" + pty.host() + PARAMS)) {
      Thread unplug = new Thread(() -> {
        try {
          Thread.sleep(100);
          pty.close();   // socat gone while the device works on the write
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      unplug.start();
      assertThatThrownBy(() -> msr.write(Msr605EncoderTest.CARD, Msr605EncoderTest.TRACKS))
          .isInstanceOfSatisfying(MsrException.class, e -> assertThat(e.fault())
              .isIn(DeviceFault.TIMEOUT, DeviceFault.COMMUNICATION_ERROR, DeviceFault.NO_CARD));
      unplug.join();
    } finally {
      pty.close();
    }
  }

  @Test
  void aMissingPortOrBadParameterIsTyped() {
    assertThatThrownBy(() -> Devices.open("msr605:/dev/perso-no-such-tty")).isInstanceOfSatisfying(
        DeviceException.class, e -> assertThat(e.fault()).isEqualTo(DeviceFault.COMMUNICATION_ERROR));
    assertThatThrownBy(() -> Devices.open("msr605:/dev/ttyUSB0?erase=both")).isInstanceOfSatisfying(
        ValidationException.class, e -> assertThat(e.getMessage()).contains("erase"));
    assertThatThrownBy(() -> Devices.open("msr605:/dev/ttyUSB0?speed=1")).isInstanceOf(ValidationException.class);
  }
}
