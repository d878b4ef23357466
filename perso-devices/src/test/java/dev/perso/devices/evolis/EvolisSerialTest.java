package dev.perso.devices.evolis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perso.core.device.CardTag;
import dev.perso.core.device.Devices;
import dev.perso.core.surface.Panel;
import dev.perso.core.surface.PrintJob;
import dev.perso.core.surface.Side;
import dev.perso.devices.testing.PtyPair;
import dev.perso.devices.serial.SerialConfig;
import dev.perso.devices.serial.SerialLink;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** The Evolis driver over a serial port (jSerialComm) through a socat pty pair, the emulator on the other end. */
class EvolisSerialTest {

  @Test
  void aCardIsEncodedAndPrintedOverASerialPort() throws Exception {
    try (PtyPair pty = PtyPair.start();
        EvolisEmulator emulator = EvolisEmulator.serve(SerialLink.open(pty.card(), SerialConfig.builder()
            .baud(9600).parity(SerialConfig.Parity.NONE).stopBits(SerialConfig.StopBits.ONE).build()))) {
      try (EvolisPrinter p = (EvolisPrinter) Devices.open("evolis:" + pty.host() + "?ribbon=k&baud=9600")) {
        assertThat(p.model()).contains("Evolis");
        CardTag card = new CardTag(1, "rec-1");
        p.feed(card);
        p.write(card, EvolisPrinterTest.stripe());
        assertThat(EvolisPrinterTest.stripe().sameAs(p.read(card))).isTrue();
        p.print(card, PrintJob.builder().face(Side.FRONT, EvolisPrinterTest.png(EvolisPrinterTest.face()),
            EnumSet.of(Panel.K)).build());
      }
      assertThat(emulator.protocolErrors()).isEmpty();
      assertThat(emulator.delivered()).hasSize(1);
      assertThat(emulator.delivered().get(0).stripe()).containsEntry(2, "4000001234567899=3012101");
    }
  }
}
