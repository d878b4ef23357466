package dev.perso.devices.cups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.DeviceFault;
import dev.perso.core.ValidationException;
import dev.perso.core.device.Devices;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a stopped job's state reasons (RFC 8011 §5.4.12, PWG 5100.9 keywords) become the fault a line acts on. */
class CupsFaultsTest {

  @Test
  void stateReasonsMapToFaultsWithTheirSeveritySuffixes() {
    assertThat(CupsPrinter.faultFor(List.of("job-stopped", "media-jam-error"))).isEqualTo(DeviceFault.JAM);
    assertThat(CupsPrinter.faultFor(List.of("cover-open-report"))).isEqualTo(DeviceFault.COVER_OPEN);
    assertThat(CupsPrinter.faultFor(List.of("marker-supply-empty-error"))).isEqualTo(DeviceFault.RIBBON_OUT);
    assertThat(CupsPrinter.faultFor(List.of("media-empty-warning"))).isEqualTo(DeviceFault.HOPPER_EMPTY);
    assertThat(CupsPrinter.faultFor(List.of("job-completed-with-errors", "processing-to-stop-point")))
        .isEqualTo(DeviceFault.WRITE_ERROR);
  }

  @Test
  void addressesAreChecked() {
    assertThatThrownBy(() -> CupsPrinter.builder(URI.create("http://127.0.0.1/printers/CARD")))
        .isInstanceOf(ValidationException.class).hasMessageContaining("ipp://");
    assertThatThrownBy(() -> Devices.open("ipp://127.0.0.1:631/printers/CARD?colour=yes"))
        .isInstanceOf(ValidationException.class).hasMessageContaining("allowed");
    assertThatThrownBy(() -> Devices.open("ipp://127.0.0.1:631/printers/CARD?tracks=raw"))
        .isInstanceOf(ValidationException.class).hasMessageContaining("none or escapes");
    assertThat(Devices.open("ipps://printer.example:443/printers/CARD?id=desk-cups").id()).isEqualTo("desk-cups");
  }
}
