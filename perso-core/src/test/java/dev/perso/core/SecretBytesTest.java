package dev.perso.core;

import dev.perso.core.internal.Hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SecretBytesTest {

  @Test
  void neverPrintsContent() {
    SecretBytes s = SecretBytes.fromHex("404142434445464748494A4B4C4D4E4F");
    assertThat(s.toString()).isEqualTo("SecretBytes[16 bytes]").doesNotContain("40");
  }

  @Test
  void closeWipesTheArrayItWasGiven() {
    byte[] owned = Hex.decode("0123456789ABCDEF");
    SecretBytes s = SecretBytes.takeOwnership(owned);
    s.close();
    assertThat(owned).containsOnly(0);
    assertThat(s.isDestroyed()).isTrue();
    assertThat(s.toString()).isEqualTo("SecretBytes[wiped]");
    assertThatThrownBy(s::length).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void copyOfIsIndependentAndApplySeesContent() {
    byte[] src = {1, 2, 3};
    try (SecretBytes s = SecretBytes.copyOf(src)) {
      src[0] = 0;
      byte first = s.apply(b -> b[0]);
      assertThat(first).isEqualTo((byte) 1);
      byte[] copy = s.copy();
      assertThat(copy).containsExactly(1, 2, 3);
      assertThat(s.constantTimeEquals(SecretBytes.copyOf(new byte[] {1, 2, 3}))).isTrue();
    }
  }

  @Test
  void badHexMessageNamesOffsetNotContent() {
    assertThatThrownBy(() -> SecretBytes.fromHex("4041XZ"))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageContaining("offset 4")
        .hasMessageNotContaining("4041");
  }
}
