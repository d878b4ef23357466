package dev.perso.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import dev.perso.core.MalformedDataException;
import dev.perso.core.PersoException;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/** ISO 9564-1 PIN block codec: round trips, and malformed input gives our typed exceptions only. */
class PinBlockProperties {

  @Property
  void roundTrip(@ForAll PinBlock.Format format, @ForAll @NumericChars @StringLength(min = 4, max = 12) String pin,
      @ForAll @NumericChars @StringLength(min = 13, max = 19) String pan, @ForAll long seed) {
    Bytes block = PinBlock.encode(format, pin, pan, new Random(seed));
    assertThat(block.length()).isEqualTo(8);
    assertThat(block.isSecret()).isTrue();
    assertThat(block.toString()).doesNotContain(pin);
    assertThat(PinBlock.decode(format, block, pan)).isEqualTo(pin);
    if (format != PinBlock.Format.ISO_0) {
      assertThat(PinBlock.formatOf(block)).isEqualTo(format);
    }
  }

  @Property
  void malformedBlocksGiveTypedExceptions(@ForAll PinBlock.Format format, @ForAll @Size(max = 12) byte[] raw,
      @ForAll @NumericChars @StringLength(min = 13, max = 19) String pan) {
    try {
      String pin = PinBlock.decode(format, Bytes.of(raw), pan);
      assertThat(pin).matches("[0-9]{4,12}");
    } catch (MalformedDataException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  @Property
  void badPinsAndPansAreValidationErrors(@ForAll PinBlock.Format format, @ForAll String pin, @ForAll String pan) {
    try {
      PinBlock.encode(format, pin, pan);
    } catch (PersoException e) {
      assertThat(e).isNotInstanceOf(MalformedDataException.class);
      if (pin != null && pin.length() >= 4) {
        assertThat(e.getMessage()).doesNotContain(pin);
      }
    }
  }

  @Example
  void format0ByHand() {
    // ISO 9564-1 format 0 definition, computed by hand: PIN field 041234FFFFFFFFFF
    // XOR PAN field 0000111111111111 (12 digits left of the check digit of 4111111111111111)
    Bytes block = PinBlock.encode(PinBlock.Format.ISO_0, "1234", "4111111111111111");
    assertThat(block.toHex()).isEqualTo("041225EEEEEEEEEE");
    // format 2: control 2, length 4, fill F
    assertThat(PinBlock.encode(PinBlock.Format.ISO_2, "1234", null).toHex()).isEqualTo("241234FFFFFFFFFF");
  }

  @Example
  void wrongPanIsDetectedByFill() {
    Bytes block = PinBlock.encode(PinBlock.Format.ISO_0, "1234", "4111111111111111");
    assertThatThrownBy(() -> PinBlock.decode(PinBlock.Format.ISO_0, block, "4111111111111129"))
        .isInstanceOf(MalformedDataException.class).hasMessageNotContaining("1234");
  }
}
