package dev.perso.devices.serial;

import dev.perso.core.testing.RealComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A socat pseudo-terminal pair (notes/transports.md §3.5): what one end writes, the other reads. Skips without socat. */
public final class PtyPair implements AutoCloseable {
  private static final Path SOCAT = Path.of("/usr/bin/socat");
  private final Process socat;
  private final Path dir;

  private PtyPair(Process socat, Path dir) {
    this.socat = socat;
    this.dir = dir;
  }

  /** Starts socat; skips the test (fails under PERSO_REQUIRE_IT=1) when it is missing or makes no ptys. */
  public static PtyPair start() throws Exception {
    RealComponent.require("socat", Files.isExecutable(SOCAT), "apt-get install socat");
    Path dir = Files.createTempDirectory("perso-pty");
    Process socat = new ProcessBuilder(SOCAT.toString(), "-d", "-d", "pty,raw,echo=0,link=" + dir.resolve("tty-host"),
        "pty,raw,echo=0,link=" + dir.resolve("tty-card")).redirectErrorStream(true)
        .redirectOutput(dir.resolve("socat.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!(Files.exists(dir.resolve("tty-host")) && Files.exists(dir.resolve("tty-card")))) {
      if (!socat.isAlive() || System.nanoTime() > deadline) {
        RealComponent.require("socat pty pair", false, "socat did not create the ptys; see " + dir);
      }
      Thread.sleep(20);
    }
    return new PtyPair(socat, dir);
  }

  /** @return the host end's path */
  public String host() {
    return dir.resolve("tty-host").toString();
  }

  /** @return the card end's path */
  public String card() {
    return dir.resolve("tty-card").toString();
  }

  @Override
  public void close() throws InterruptedException {
    socat.destroy(); // our socat, by PID
    socat.waitFor(5, TimeUnit.SECONDS);
  }
}
