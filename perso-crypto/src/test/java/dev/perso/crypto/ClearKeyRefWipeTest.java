package dev.perso.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.Bytes;
import dev.perso.core.CryptoException;
import dev.perso.core.SecretBytes;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Key material does not survive {@link ClearKeyRef#close()}: not in the reference, not in cached engines. */
class ClearKeyRefWipeTest {
  static final String KEY = "0123456789ABCDEFFEDCBA9876543210";

  @Test
  void afterCloseTheKeyRefusesUseAndNoFieldHoldsKeyBytes() throws Exception {
    SoftwareBackend sw = new SoftwareBackend();
    ClearKeyRef cvk = ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.CVK, KEY);
    ClearKeyRef withKcv = cvk.withKcv(sw.kcv(cvk, KcvMethod.ENCRYPT_ZEROS));
    // C1 ilya-dubinsky/cfpp:c/test/test_magstripe.c: CVV 561 (builds and caches keyed engines)
    assertThat(sw.cvv(withKcv, CvvInput.of("4123456789012345", "8701", "101"))).isEqualTo("561");
    List<Object> engines = new ArrayList<>((Set<?>) field(cvk, "wipers"));
    assertThat(engines).isNotEmpty();

    cvk.close();

    assertThat(withKcv.isDestroyed()).isTrue();
    assertThatThrownBy(() -> sw.cvv(withKcv, CvvInput.of("4123456789012345", "8701", "101")))
        .isInstanceOf(CryptoException.class).hasMessageContaining("closed");
    assertThatThrownBy(() -> withKcv.apply(b -> b)).isInstanceOf(RuntimeException.class);
    SecretBytes value = (SecretBytes) field(cvk, "value");
    assertAllZero((byte[]) field(value, "data"));
    for (Object engine : engines) {
      assertSchedulesZero(field(engine, "des"));   // the engines keep expanded schedules, no key copy
      Object[] halves = (Object[]) field(engine, "halves");   // built only by the CVV's retail MAC
      for (Object half : halves == null ? new Object[0] : halves) {
        assertSchedulesZero(field(half, "des"));
      }
    }
  }

  static void assertSchedulesZero(Object des) throws ReflectiveOperationException {
    for (String direction : new String[] {"encrypt", "decrypt"}) {
      for (int[] roundKeys : (int[][]) field(des, direction)) {
        assertThat(roundKeys).as("wiped " + direction + " schedule").containsOnly(0);
      }
    }
  }

  @Test
  void aBadHexKeyLeavesNothingBehindAndOfCopiesAreOwned() {
    assertThatThrownBy(() -> ClearKeyRef.fromHex(KeyAlgorithm.TDES_2KEY, KeyUsage.CVK, KEY + "00"))
        .hasMessageNotContaining(KEY);
    try (ClearKeyRef k = ClearKeyRef.of(KeyAlgorithm.TDES_2KEY, KeyUsage.CVK, Bytes.fromHex(KEY))) {
      assertThat(k.toSecretBytes()).isEqualTo(Bytes.fromHex(KEY));
    }
  }

  static void assertAllZero(byte[] b) {
    assertThat(b).as("wiped").containsOnly((byte) 0);
  }

  static Object field(Object o, String name) throws ReflectiveOperationException {
    for (Class<?> c = o.getClass(); c != null; c = c.getSuperclass()) {
      try {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(o);
      } catch (NoSuchFieldException next) {
        // look in the superclass
      }
    }
    throw new NoSuchFieldException(name);
  }
}
