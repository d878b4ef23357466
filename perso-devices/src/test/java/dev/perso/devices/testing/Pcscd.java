package dev.perso.devices.testing;

import dev.perso.core.testing.RealComponent;
import dev.perso.devices.pcsc.FakeTwin;
import dev.perso.devices.pcsc.InteropCard;
import dev.perso.devices.pcsc.InteropT0Card;
import dev.perso.devices.pcsc.PcscReaders;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts one pcscd for the whole test JVM, before anything touches PC/SC (the JDK's PC/SC context is
 * JVM-wide and never recovers if pcscd was down when first used). The daemon runs in the foreground
 * with its own reader.conf directory holding two vsmartcard-vpcd entries on the project's ports
 * (notes/transports.md §3.3 recipe), and is stopped by its PID when the test run ends.
 *
 * <p>If a pcscd already owns the default socket (e.g. started by {@code .ci/run} with our config),
 * it is used when our readers are there, and the tests are skipped (or fail under
 * {@code PERSO_REQUIRE_IT=1}) otherwise; it is never stopped.
 *
 * <p>Public, in a package of its own (a test-jar cannot add classes to the named module's
 * {@code dev.perso.devices.pcsc} as other modules' tests see it), and shipped in perso-devices'
 * test-jar so that other modules' PC/SC tests use this one implementation: every test class that
 * touches PC/SC must carry it, so that pcscd is up before the JVM-wide PC/SC context is created.
 *
 * <pre>{@code
 * @ExtendWith(Pcscd.class)
 * class MyPcscTest {
 *   @Test void t() {
 *     try (VpcdBridge slot = VpcdBridge.insert(card, "127.0.0.1", Pcscd.PORT_A, Duration.ofSeconds(10))) {
 *       PcscReaders.system().waitForCard(Pcscd.READER_A, Duration.ofSeconds(10));
 *     }
 *   }
 * }
 * }</pre>
 */
public final class Pcscd implements BeforeAllCallback {
  // One vpcd entry gives two readers (slots 00 and 01) on CHANNELID and CHANNELID + 1. A second entry
  // with the same driver does NOT give two more: Debian's vpcd 3.3 keeps its contexts per slot number, so
  // the second entry's slot 0 takes over the first's and port 40000 is never served (found while writing
  // this test; notes §3.4 item 4 suggests otherwise).
  /** vpcd TCP port of slot 00 (40000); a card bridged there appears in {@link #READER_A}. */
  public static final int PORT_A = 0x9C40;
  /** vpcd TCP port of slot 01 (40001); a card bridged there appears in {@link #READER_B}. */
  public static final int PORT_B = 0x9C41;
  /** Glob of the reader for {@link #PORT_A}. */
  public static final String READER_A = "Perso Virtual Reader ?? 00";
  /** Glob of the reader for {@link #PORT_B}. */
  public static final String READER_B = "Perso Virtual Reader ?? 01";

  private static final Path PCSCD = Path.of("/usr/sbin/pcscd");
  private static final Path VPCD = Path.of("/usr/lib/pcsc/drivers/serial/libifdvpcd.so");
  private static final Path SOCKET = Path.of("/run/pcscd/pcscd.comm");
  private static final Path CCIDTWIN = Path.of("/usr/lib/pcsc/drivers/serial/libccidtwin.so");
  private static final Path SOCAT = Path.of("/usr/bin/socat");
  /** The fake serial GemPC Twin reader (CCID driver over a pty, notes §3.5), when socat and libccid are there. */
  public static final String TWIN_READER = "Fake GemPC Twin T1*";
  /** The same with a T=0 card. */
  public static final String TWIN_T0_READER = "Fake GemPC Twin T0*";
  private static FakeTwin twin;
  private static FakeTwin twinT0;
  private static String twinProblem = "pcscd was not started by this JVM";

  private static boolean ready;
  private static String problem;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    start(context);
    RealComponent.require("pcscd with Perso vpcd readers", problem == null, String.valueOf(problem));
  }

  private static synchronized void start(ExtensionContext context) throws Exception {
    if (ready || problem != null) {
      return;
    }
    if (!Files.isExecutable(PCSCD)) {
      problem = "apt-get install pcscd";
      return;
    }
    if (!Files.exists(VPCD)) {
      problem = "apt-get install vsmartcard-vpcd";
      return;
    }
    if (socketAlive()) {
      // Someone else's pcscd: usable only if it carries our readers. Touching PC/SC is safe: it is up.
      try {
        PcscReaders.system().find(READER_A);
        PcscReaders.system().find(READER_B);
        ready = true;
      } catch (RuntimeException e) {
        problem = "a pcscd without the Perso vpcd readers already owns " + SOCKET + " (" + e.getMessage()
            + "); stop it or start it with our reader.conf (see notes/transports.md §3.3)";
      }
      return;
    }
    Path dir = Files.createTempDirectory("perso-pcscd");
    Path conf = Files.createDirectory(dir.resolve("reader.conf.d"));
    Files.writeString(conf.resolve("perso-vpcd"),
        entry("Perso Virtual Reader", PORT_A));
    List<Process> socat = startTwin(dir, conf);
    Path log = dir.resolve("pcscd.log");
    Process p = new ProcessBuilder(PCSCD.toString(), "--foreground", "--debug", "--config", conf.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!socketAlive()) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        p.destroy();
        stopTwin(socat);
        problem = "pcscd did not start (must run as root; log " + log + ")";
        return;
      }
      Thread.sleep(50);
    }
    context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put("perso-pcscd", new Stopper(p, socat));
    ready = true;
  }

  /** @return the fake twin, or null with {@link #twinProblem()} saying why */
  public static synchronized FakeTwin twin() {
    return twin;
  }

  /** @return the fake twin with a T=0 card, or null with {@link #twinProblem()} saying why */
  public static synchronized FakeTwin twinT0() {
    return twinT0;
  }

  /** @return why the fake twins are not there, or null */
  public static synchronized String twinProblem() {
    return twinProblem;
  }

  /** socat pty pairs + fake GemPC Twins on one end + reader.conf entries for libccidtwin on the other. */
  private static List<Process> startTwin(Path dir, Path conf) throws Exception {
    List<Process> started = new ArrayList<>();
    if (!Files.isExecutable(SOCAT) || !Files.exists(CCIDTWIN)) {
      twinProblem = "apt-get install socat libccid";
      return started;
    }
    StringBuilder entries = new StringBuilder();
    for (String kind : new String[] {"T1", "T0"}) {
      Path host = dir.resolve("tty-host-" + kind);
      Path reader = dir.resolve("tty-reader-" + kind);
      Process socat = new ProcessBuilder(SOCAT.toString(), "-d", "-d", "pty,raw,echo=0,link=" + host,
          "pty,raw,echo=0,link=" + reader).redirectErrorStream(true)
          .redirectOutput(dir.resolve("socat-" + kind + ".log").toFile()).start();
      started.add(socat);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!(Files.exists(host) && Files.exists(reader))) {
        if (!socat.isAlive() || System.nanoTime() > deadline) {
          twinProblem = "socat did not create the pty pair (see " + dir + ")";
          stopTwin(started);
          return new ArrayList<>();
        }
        Thread.sleep(20);
      }
      dev.perso.devices.serial.SerialLink line = dev.perso.devices.serial.SerialLink.open(reader.toString(),
          dev.perso.devices.serial.SerialConfig.builder().baud(115_200)
              .parity(dev.perso.devices.serial.SerialConfig.Parity.NONE)
              .stopBits(dev.perso.devices.serial.SerialConfig.StopBits.ONE).build());
      if (kind.equals("T1")) {
        twin = new FakeTwin(line, new InteropCard(), false);
      } else {
        twinT0 = new FakeTwin(line, new InteropT0Card(), true);
      }
      entries.append("FRIENDLYNAME \"Fake GemPC Twin ").append(kind).append("\"\nDEVICENAME   ").append(host)
          .append(":GemPCTwin\nLIBPATH      ").append(CCIDTWIN).append("\n\n");
    }
    Files.writeString(conf.resolve("perso-twin"), entries.toString());
    twinProblem = null;
    return started;
  }

  private static synchronized void stopTwin(List<Process> socats) throws InterruptedException {
    if (twin != null) {
      twin.close();
      twin = null;
    }
    if (twinT0 != null) {
      twinT0.close();
      twinT0 = null;
    }
    for (Process socat : socats) {
      socat.destroy(); // our socat, by PID
      socat.waitFor(5, TimeUnit.SECONDS);
    }
  }

  private static String entry(String name, int port) {
    return "FRIENDLYNAME \"" + name + "\"\nDEVICENAME   /dev/null:0x" + Integer.toHexString(port).toUpperCase()
        + "\nLIBPATH      " + VPCD + "\nCHANNELID    0x" + Integer.toHexString(port).toUpperCase() + "\n";
  }

  /** Stops our pcscd, by its PID, when the test run ends. */
  private static final class Stopper implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    private final Process p;
    private final List<Process> socat;

    Stopper(Process p, List<Process> socat) {
      this.p = p;
      this.socat = socat;
    }

    @Override
    public void close() throws InterruptedException {
      p.destroy(); // SIGTERM to our pcscd only
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
      }
      stopTwin(socat);
    }
  }

  private static boolean socketAlive() {
    if (!Files.exists(SOCKET)) {
      return false;
    }
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(SOCKET));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
