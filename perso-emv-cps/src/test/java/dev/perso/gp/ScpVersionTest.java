package dev.perso.gp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.ValidationException;
import org.junit.jupiter.api.Test;

/**
 * The protocol as one typed value. Lengths from GP Card Specification 2.3.1 Appendix E (SCP02: 8-byte
 * host challenge, 6-byte card challenge, 3DES) and Amendment D §6.2 (SCP03: 8 or 16 bytes by i b1, AES,
 * pseudo-random card challenge by i b5).
 */
class ScpVersionTest {
  @Test
  void eachProtocolKnowsItsBlockSizeChallengesAndOptions() {
    ScpVersion scp02 = ScpVersion.of(2, 0x55);
    assertThat(scp02).isInstanceOf(ScpVersion.Scp02Protocol.class);
    assertThat(scp02.blockSize()).isEqualTo(8);
    assertThat(scp02.cardChallengeLength()).isEqualTo(6);
    assertThat(scp02.pseudoRandomChallenge()).isTrue();
    assertThat(ScpVersion.of(2, 0x15).pseudoRandomChallenge()).isFalse();
    assertThat(scp02.aes()).isFalse();

    ScpVersion.Scp03Protocol s16 = (ScpVersion.Scp03Protocol) ScpVersion.of(3, 0x71);
    assertThat(s16.s16()).isTrue();
    assertThat(s16.cardChallengeLength()).isEqualTo(16);
    assertThat(s16.hostChallengeLength()).isEqualTo(16);
    assertThat(s16.pseudoRandomChallenge()).isTrue();
    assertThat(ScpVersion.of(3, 0x00).cardChallengeLength()).isEqualTo(8);
    assertThat(s16.blockSize()).isEqualTo(16);
    assertThat(s16.aes()).isTrue();

    GpOptions o = s16.configure(GpOptions.builder(new dev.perso.crypto.SoftwareBackend())).build();
    assertThat(o.scp03Mode()).isEqualTo(GpOptions.Scp03Mode.S16);
    GpOptions o2 = scp02.configure(GpOptions.builder(new dev.perso.crypto.SoftwareBackend())).build();
    assertThat(o2.scp02Variant()).isEqualTo(Scp02Variant.of(0x55));
    assertThat(scp02.toString()).isEqualTo("SCP02 i=55");
  }

  @Test
  void otherProtocolsAreTypedErrors() {
    assertThatThrownBy(() -> ScpVersion.of(1, 0x05)).isInstanceOf(ValidationException.class).hasMessageContaining("02 or 03");
    assertThatThrownBy(() -> ScpVersion.of(3, 0x100)).isInstanceOf(ValidationException.class);
  }
}
