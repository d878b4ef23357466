package dev.perso.core.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * Gate for tests that need a real OS component (pcscd + vpcd, SoftHSM2, socat, libccidtwin).
 *
 * <p>On a bare machine the test is skipped with the reason; with {@code PERSO_REQUIRE_IT=1} (set by
 * {@code .ci/run}) a missing component fails the test instead, so CI can never go green by skipping.
 *
 * <pre>{@code
 * RealComponent.require("softhsm2", Files.exists(Path.of("/usr/lib/softhsm/libsofthsm2.so")),
 *     "install the Debian package softhsm2");
 * }</pre>
 */
public final class RealComponent {
  private RealComponent() {}

  /** @return true when {@code PERSO_REQUIRE_IT=1}: real-stack tests must run, not skip */
  public static boolean required() {
    return "1".equals(System.getenv("PERSO_REQUIRE_IT")) || Boolean.getBoolean("perso.requireIt");
  }

  /**
   * Skips (bare machine) or fails ({@code PERSO_REQUIRE_IT=1}) the current test when a component is absent.
   *
   * @param component what is needed, e.g. {@code "pcscd"}
   * @param present whether it was found
   * @param howToGetIt what to install or start, e.g. {@code "apt-get install pcscd vsmartcard-vpcd"}
   */
  public static void require(String component, boolean present, String howToGetIt) {
    if (present) {
      return;
    }
    String reason = component + " not available: " + howToGetIt;
    if (required()) {
      fail("PERSO_REQUIRE_IT=1 but " + reason);
    }
    abort(reason);
  }
}
