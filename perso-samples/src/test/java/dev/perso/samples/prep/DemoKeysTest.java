package dev.perso.samples.prep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perso.core.CryptoException;
import dev.perso.crypto.ClearKeyRef;
import dev.perso.crypto.KcvMethod;
import dev.perso.crypto.SoftwareBackend;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DemoKeysTest {
  @Test
  void theThreeIssuerMasterKeysAreDistinct() {
    SoftwareBackend sw = new SoftwareBackend();
    DemoKeys keys = DemoKeys.lookup();
    Set<String> kcvs = Set.of(sw.kcv(keys.key(DemoKeys.IMK_AC), KcvMethod.ENCRYPT_ZEROS).hex(),
        sw.kcv(keys.key(DemoKeys.IMK_SMI), KcvMethod.ENCRYPT_ZEROS).hex(),
        sw.kcv(keys.key(DemoKeys.IMK_SMC), KcvMethod.ENCRYPT_ZEROS).hex());
    assertThat(kcvs).hasSize(3);
    // IMK-AC stays the pyemv tools.py doctest key (KCV 08D7B4)
    assertThat(sw.kcv(keys.key(DemoKeys.IMK_AC), KcvMethod.ENCRYPT_ZEROS).hex()).isEqualTo("08D7B4");
  }

  @Test
  void anOpenedSetIsWipedOnCloseAndTheSharedSetIsNot() {
    SoftwareBackend sw = new SoftwareBackend();
    DemoKeys opened = DemoKeys.open();
    ClearKeyRef kmc = (ClearKeyRef) opened.key(DemoKeys.KMC);
    sw.kcv(kmc, KcvMethod.ENCRYPT_ZEROS);
    opened.close();
    assertThat(kmc.isDestroyed()).isTrue();
    assertThatThrownBy(() -> sw.kcv(kmc, KcvMethod.ENCRYPT_ZEROS)).isInstanceOf(CryptoException.class);
    DemoKeys.lookup().close();
    assertThat(((ClearKeyRef) DemoKeys.lookup().key(DemoKeys.KMC)).isDestroyed()).isFalse();
  }
}
