package dev.perso.devices.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perso.core.Bytes;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class MemoryAtrTest {

  @Test
  void sle4442AtrDecodesTo256Bytes() {
    // notes §5.1 / §1.7 C: raw A2 13 10 91 -> PC/SC 3B 04 A2 13 10 91; H1 structure 2, protocol A; 256 x 8 bits
    MemoryAtr a = MemoryAtr.decode(Bytes.fromHex("3B04A2131091")).orElseThrow();
    assertThat(a.protocolType()).isEqualTo(0xA);
    assertThat(a.structure()).isEqualTo(2);
    assertThat(a.bitsPerUnit()).isEqualTo(8);
    assertThat(a.units()).isEqualTo(256);
    assertThat(a.definedLength()).isFalse();
    assertThat(a.family()).contains(MemoryChip.Family.SLE44X2);
    assertThat(MemoryAtr.decode(Bytes.fromHex("A2131091"))).contains(a);
  }

  @Test
  void h2Of23DecodesTo1024Units() {
    // notes §1.7 C: 3B 04 92 23 10 91, H2 = 23 -> 1024 x 8-bit units (a hint, smartcard_list says SLE4432/42)
    MemoryAtr a = MemoryAtr.decode(Bytes.fromHex("3B04922310 91".replace(" ", ""))).orElseThrow();
    assertThat(a.units()).isEqualTo(1024);
    assertThat(a.family()).contains(MemoryChip.Family.SLE44X8);
  }

  @Test
  void part3StandardByte() {
    // notes §5.2: 3B 8F 80 01 80 4F 0C A0 00 00 03 06 SS ..., SS 0D I2C, 0E extended I2C, 0F 2WBP, 10 3WBP
    String prefix = "3B8F8001804F0CA000000306";
    assertThat(MemoryAtr.decode(Bytes.fromHex(prefix + "0D000000000000")).orElseThrow().family())
        .contains(MemoryChip.Family.I2C);
    assertThat(MemoryAtr.decode(Bytes.fromHex(prefix + "0F000000000000")).orElseThrow().family())
        .contains(MemoryChip.Family.SLE44X2);
    assertThat(MemoryAtr.decode(Bytes.fromHex(prefix + "10000000000000")).orElseThrow().part3Standard())
        .isEqualTo(0x10);
    assertThat(MemoryAtr.decode(Bytes.fromHex("3B021450"))).isEmpty(); // a processor card (Multiflex)
  }

  @Property(tries = 500)
  void anyBytesGiveAHintOrNothing(@ForAll @Size(max = 24) byte[] raw) {
    Optional<MemoryAtr> a = MemoryAtr.decode(Bytes.of(raw));
    a.ifPresent(x -> assertThat(x.units() == 0 || Integer.bitCount(x.units()) == 1).isTrue());
  }
}
