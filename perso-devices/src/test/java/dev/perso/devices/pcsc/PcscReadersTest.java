package dev.perso.devices.pcsc;

import static org.assertj.core.api.Assertions.assertThat;

import javax.smartcardio.CardException;
import org.junit.jupiter.api.Test;

/** Parts of PcscReaders that do not touch the PC/SC service. */
class PcscReadersTest {

  @Test
  void prefixAndGlob() {
    assertThat(PcscReaders.matches("ACS ACR39U", "ACS ACR39U ICC Reader 00 00")).isTrue();
    assertThat(PcscReaders.matches("ACS ACR39U*", "ACS ACR39U ICC Reader 00 00")).isTrue();
    assertThat(PcscReaders.matches("*ACR39U*", "ACS ACR39U ICC Reader 00 00")).isTrue();
    assertThat(PcscReaders.matches("Virtual PCD ?? 01", "Virtual PCD 00 01")).isTrue();
    assertThat(PcscReaders.matches("Virtual PCD ?? 01", "Virtual PCD 00 00")).isFalse();
    assertThat(PcscReaders.matches("Gemalto", "ACS ACR39U ICC Reader 00 00")).isFalse();
    assertThat(PcscReaders.matches("[x]*", "[x] reader")).isTrue();
  }

  @Test
  void errorsSayWhatIsWrong() {
    // Messages as the JDK reports them (notes §3.2: SCARD_E_NO_SERVICE when pcscd is down, etc.).
    assertThat(PcscReaders.translate("open PC/SC", new java.security.NoSuchAlgorithmException("x",
        new CardException("SCardEstablishContext() failed", new RuntimeException("SCARD_E_NO_SERVICE")))))
        .hasMessageContaining("not running").hasMessageContaining("pcscd");
    assertThat(PcscReaders.translate("list readers", new CardException("list() failed",
        new RuntimeException("SCARD_E_NO_READERS_AVAILABLE")))).hasMessageContaining("no PC/SC reader");
    assertThat(PcscReaders.translate("transmit", new CardException("sun.security.smartcardio.PCSCException: "
        + "SCARD_W_REMOVED_CARD"))).hasMessageContaining("removed");
    assertThat(PcscReaders.translate("transmit", new IllegalStateException("Card has been removed")))
        .hasMessageContaining("removed");
    assertThat(PcscReaders.translate("transmit", new CardException("SCARD_E_INSUFFICIENT_BUFFER")))
        .hasMessageContaining("8192");
    assertThat(PcscReaders.controlCode(3400)).isEqualTo(0x42000D48);
  }
}
