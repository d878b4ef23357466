package dev.perso.crypto;

import dev.perso.core.testing.RealComponent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A fresh SoftHSM2 token for the PKCS#11 tests, one per test JVM.
 *
 * <p>SoftHSM reads {@code SOFTHSM2_CONF} from the process environment when SunPKCS11 first loads it,
 * and a library cannot be re-initialized in the same JVM. So the surefire configuration sets
 * {@code SOFTHSM2_CONF} to a fixed path under {@code target/}, and this fixture writes that file, once,
 * pointing at a token directory in a new temp directory (deleted at JVM exit), initializes a token with
 * {@code softhsm2-util} and logs in through {@link Pkcs11Backend}. Tests use unique labels.
 *
 * <pre>{@code
 * Pkcs11Backend hsm = SoftHsm.backend();   // skips (or fails under PERSO_REQUIRE_IT=1) without softhsm2
 * }</pre>
 */
final class SoftHsm {
  static final Path LIBRARY = Path.of(System.getProperty("perso.softhsm.library", "/usr/lib/softhsm/libsofthsm2.so"));
  static final String PIN = "1234";
  private static final AtomicInteger LABELS = new AtomicInteger();
  private static Pkcs11Backend backend;
  private static Pkcs11Backend withHalves;
  private static RuntimeException failure;

  private SoftHsm() {}

  static boolean present() {
    return Files.isReadable(LIBRARY) && Files.isExecutable(Path.of("/usr/bin/softhsm2-util"));
  }

  static synchronized Pkcs11Backend backend() {
    RealComponent.require("softhsm2", present(), "apt-get install softhsm2 opensc");
    String conf = System.getenv("SOFTHSM2_CONF");
    RealComponent.require("SOFTHSM2_CONF", conf != null,
        "run the tests through Maven: perso-crypto/pom.xml sets SOFTHSM2_CONF for surefire");
    if (failure != null) {
      throw failure;
    }
    if (backend == null) {
      try {
        backend = start(Path.of(conf));
      } catch (IOException | InterruptedException | RuntimeException e) {
        failure = new IllegalStateException("cannot start SoftHSM2 token: " + e, e);
        throw failure;
      }
    }
    return backend;
  }

  /**
   * A second backend on the same token, built with the opt-in key-halves policy for ISO 9797-1 alg 3,
   * ARQC and CVV (see {@link Pkcs11Backend.Builder#allowKeyHalvesInJvm}).
   */
  static synchronized Pkcs11Backend backendWithHalves() {
    backend();
    if (withHalves == null) {
      withHalves = Pkcs11Backend.builder().name("SoftHSM-halves").library(LIBRARY).slotListIndex(0)
          .pin(PIN::toCharArray).allowKeyHalvesInJvm(java.util.EnumSet.of(Operation.MAC_ISO9797_1_ALG3,
              Operation.ARQC, Operation.CVV)).build();
    }
    return withHalves;
  }

  static String label(String prefix) {
    return prefix + "-" + LABELS.incrementAndGet();
  }

  private static Pkcs11Backend start(Path conf) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("perso-softhsm");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
    Path tokens = Files.createDirectories(dir.resolve("tokens"));
    Files.createDirectories(conf.getParent());
    Files.writeString(conf, "directories.tokendir = " + tokens + "\n"
        + "objectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n"
        + "slots.mechanisms = ALL\nlibrary.reset_on_fork = false\n", StandardCharsets.UTF_8);
    ProcessBuilder pb = new ProcessBuilder("softhsm2-util", "--init-token", "--free", "--label", "perso-test",
        "--so-pin", "12345678", "--pin", PIN).redirectErrorStream(true);
    pb.environment().put("SOFTHSM2_CONF", conf.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("softhsm2-util --init-token failed: " + out);
    }
    return Pkcs11Backend.builder().name("SoftHSM-test").library(LIBRARY).slotListIndex(0)
        .pin(PIN::toCharArray).build();
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort at exit
    }
  }

  /** jqwik hook: skip a property container without SoftHSM2, unless PERSO_REQUIRE_IT=1 (then it fails). */
  static final class Required implements net.jqwik.api.lifecycle.SkipExecutionHook {
    @Override
    public net.jqwik.api.lifecycle.SkipExecutionHook.SkipResult shouldBeSkipped(
        net.jqwik.api.lifecycle.LifecycleContext context) {
      if (present() || RealComponent.required()) {
        return SkipResult.doNotSkip();
      }
      return SkipResult.skip("softhsm2 not available: apt-get install softhsm2 opensc");
    }
  }
}
