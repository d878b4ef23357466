package dev.perso.crypto.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perso.core.Bytes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Internal helpers with public vectors. */
class AlgorithmsTest {

  @ParameterizedTest(name = "#2 parity")
  @CsvSource({
    // #2 knovichikhin/pyemv tools.adjust_key_parity doctest (cf6b82d7)
    "1A2B3C4D5F0A1B2C4D5F6A7B8C9D0F1A, 1A2A3D4C5E0B1A2C4C5E6B7A8C9D0E1A",
  })
  void parity(String in, String expected) {
    assertThat(Bytes.of(Algorithms.adjustParity(Bytes.fromHex(in).toByteArray())).toHex()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "decimalize {0}")
  @CsvSource({
    // magstripe-surface.md §2.2 C1: 3DES output 5B614982E03C97DD -> CVV 561 (digits first)
    "5B614982E03C97DD, 3, 561",
    // second pass: A..F -> 0..5 once the digits run out (jPOS decimalizeVisa, cfpp)
    "ABCDEFABCDEFAB1C, 3, 101",
  })
  void decimalize(String block, int n, String expected) {
    assertThat(Digits.decimalize(Bytes.fromHex(block).toByteArray(), n)).isEqualTo(expected);
  }
}
