package dev.perso.crypto.payshield;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perso.core.testing.RealComponent;
import dev.perso.crypto.CvvInput;
import dev.perso.crypto.KeyUsage;
import dev.perso.crypto.payshield.testing.TestPayShield;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host protocol over TLS: a self-signed certificate made by the JDK's keytool for the test HSM. */
class PayShieldTlsTest {
  @Test
  void cvvOverTls(@TempDir Path dir) throws Exception {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    RealComponent.require("keytool", Files.isExecutable(keytool), "a JDK with bin/keytool");
    Path store = dir.resolve("hsm.p12");
    Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "hsm", "-keyalg", "EC", "-groupname",
        "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
        "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true)
        .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext server = SSLContext.getInstance("TLS");
    server.init(kmf.getKeyManagers(), null, null);
    SSLContext client = SSLContext.getInstance("TLS");
    client.init(null, tmf.getTrustManagers(), null);
    try (TestPayShield hsm = TestPayShield.start(0, 4, server.getServerSocketFactory());
         PayShieldBackend b = PayShieldBackend.builder().address("127.0.0.1", hsm.port())
             .tls(client.getSocketFactory()).build()) {
      // thalessimulatorlibrary CW test (notes/payshield.md §4 CW): -> 561
      assertThat(b.cvv(PayShieldBackend.key("U9B4934384B19946B040CD702B4D58145", KeyUsage.CVK),
          CvvInput.of("4123456789012345", "8701", "101"))).isEqualTo("561");
    }
  }
}
