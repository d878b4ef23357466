package dev.perso.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import dev.perso.core.ValidationException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The one-copy padding the MAC paths use gives exactly the bytes of {@link Padding#apply}. */
class PaddingProperties {

  @Property(tries = 500)
  void theArrayFormIsTheSameBytesAsApply(@ForAll Padding padding, @ForAll @Size(max = 300) byte[] data,
      @ForAll @IntRange(min = 0, max = 1) int wide) {
    int blockSize = wide == 1 ? 16 : 8;
    Bytes in = Bytes.of(data);
    Bytes expected;
    try {
      expected = padding.apply(in, blockSize);
    } catch (ValidationException e) {
      assertThatThrownBy(() -> padding.applyToArray(in, blockSize)).isInstanceOf(ValidationException.class)
          .hasMessage(e.getMessage());
      return;
    }
    assertThat(Bytes.of(padding.applyToArray(in, blockSize))).isEqualTo(expected);
  }
}
