package dev.perso.devices.cups;

import dev.perso.core.testing.RealComponent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private cupsd for one test class, per the verified recipe in shared notes printing.md §2: its own
 * ServerRoot, spool, state and logs in a temp dir (mode 755: filters run as lp), listening on a free
 * loopback port, {@code FileDevice Yes}, a {@code Printcap} of its own; queues are {@code file:} devices with
 * our ID-1 PPD (one page size, CR80 = 242.65 x 153.01 pt, PDF passed through). Started and stopped by PID.
 * Skips without cups (fails under PERSO_REQUIRE_IT=1).
 */
final class Cupsd implements AutoCloseable {
  private static final Path CUPSD = Path.of("/usr/sbin/cupsd");
  private static final Path LPADMIN = Path.of("/usr/sbin/lpadmin");
  private final Path dir;
  private final Process process;
  private final int port;

  private Cupsd(Path dir, Process process, int port) {
    this.dir = dir;
    this.process = process;
    this.port = port;
  }

  static Cupsd start() throws Exception {
    RealComponent.require("cupsd", Files.isExecutable(CUPSD) && Files.isExecutable(LPADMIN),
        "apt-get install cups (cupsd, lpadmin)");
    for (String tool : List.of("pdfinfo", "pdftoppm", "pdftotext")) {
      RealComponent.require(tool, Files.isExecutable(Path.of("/usr/bin", tool)), "apt-get install poppler-utils");
    }
    Path dir = Files.createTempDirectory("perso-cups");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x")); // notes: filters run as lp
    for (String sub : List.of("etc/ppd", "spool/tmp", "log", "state", "cache", "out")) {
      Files.createDirectories(dir.resolve(sub));
    }
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Files.writeString(dir.resolve("etc/cups-files.conf"), String.join("\n",
        "ServerRoot " + dir.resolve("etc"), "RequestRoot " + dir.resolve("spool"), "TempDir " + dir.resolve("spool/tmp"),
        "StateDir " + dir.resolve("state"), "CacheDir " + dir.resolve("cache"), "AccessLog " + dir.resolve("log/access_log"),
        "ErrorLog " + dir.resolve("log/error_log"), "PageLog " + dir.resolve("log/page_log"),
        "Printcap " + dir.resolve("state/printcap"), "FileDevice Yes", "SystemGroup root", ""));
    Files.writeString(dir.resolve("etc/cupsd.conf"), String.join("\n",
        "LogLevel info", "MaxLogSize 0", "Listen 127.0.0.1:" + port, "Browsing No", "BrowseLocalProtocols none",
        "DefaultAuthType None", "WebInterface No", "<Location />", "  Order allow,deny", "  Allow 127.0.0.1",
        "</Location>", "<Policy default>", "  <Limit All>", "    Order deny,allow", "  </Limit>", "</Policy>", ""));
    Process p = new ProcessBuilder(CUPSD.toString(), "-f", "-c", dir.resolve("etc/cupsd.conf").toString(), "-s",
        dir.resolve("etc/cups-files.conf").toString()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("log/cupsd.out").toFile()).start();
    Cupsd c = new Cupsd(dir, p, port);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        break;
      } catch (IOException e) {
        if (!p.isAlive() || System.nanoTime() > deadline) {
          String log = Files.readString(dir.resolve("log/cupsd.out"));
          c.close();
          RealComponent.require("cupsd", false, "it did not start: " + log);
        }
        Thread.sleep(50);
      }
    }
    return c;
  }

  int port() {
    return port;
  }

  Path dir() {
    return dir;
  }

  /**
   * Adds a {@code file:} queue with the ID-1 PPD and the given cupsFilter line.
   *
   * @return the output file (emptied; empty it again before each job: the file device neither creates nor
   *     truncates, notes printing.md Pitfalls)
   */
  Path addQueue(String name, String cupsFilter) throws Exception {
    Path ppd = dir.resolve("etc/ppd/" + name + "-src.ppd");
    Files.writeString(ppd, idCardPpd(cupsFilter), StandardCharsets.ISO_8859_1);
    Path out = dir.resolve("out/" + name + ".pdf");
    Files.write(out, new byte[0]);
    run(LPADMIN.toString(), "-h", "127.0.0.1:" + port, "-p", name, "-v", "file://" + out, "-P", ppd.toString(), "-E");
    return out;
  }

  /** The ID-1 PPD of shared notes printing.md §2 (cupstestppd PASS there); one page size, CR80. */
  private static String idCardPpd(String cupsFilter) {
    return String.join("\n", "*PPD-Adobe: \"4.3\"", "*FormatVersion: \"4.3\"", "*FileVersion: \"1.0\"",
        "*LanguageVersion: English", "*LanguageEncoding: ISOLatin1", "*PCFileName: \"IDCARD.PPD\"",
        "*Manufacturer: \"Test\"", "*Product: \"(ID-1 Card PDF)\"", "*ModelName: \"Test ID-1 Card PDF\"",
        "*ShortNickName: \"Test ID-1 Card PDF\"", "*NickName: \"Test ID-1 Card PDF\"", "*PSVersion: \"(3010.000) 0\"",
        "*LanguageLevel: \"3\"", "*ColorDevice: True", "*DefaultColorSpace: RGB", "*FileSystem: False",
        "*Throughput: \"1\"", "*LandscapeOrientation: Plus90", "*TTRasterizer: Type42",
        "*cupsFilter: \"" + cupsFilter + "\"",
        "*OpenUI *PageSize/Media Size: PickOne", "*OrderDependency: 10 AnySetup *PageSize", "*DefaultPageSize: CR80",
        "*PageSize CR80/ID-1 Card: \"<</PageSize[242.65 153.01]/ImagingBBox null>>setpagedevice\"",
        "*CloseUI: *PageSize", "*OpenUI *PageRegion: PickOne", "*OrderDependency: 10 AnySetup *PageRegion",
        "*DefaultPageRegion: CR80",
        "*PageRegion CR80/ID-1 Card: \"<</PageSize[242.65 153.01]/ImagingBBox null>>setpagedevice\"",
        "*CloseUI: *PageRegion", "*DefaultImageableArea: CR80", "*ImageableArea CR80/ID-1 Card: \"0 0 242.65 153.01\"",
        "*DefaultPaperDimension: CR80", "*PaperDimension CR80/ID-1 Card: \"242.65 153.01\"", "");
  }

  /** Runs a tool to completion; fails with its output when it exits non-zero. */
  static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish: " + out);
    }
    if (p.exitValue() != 0) {
      throw new AssertionError(String.join(" ", command) + " exited " + p.exitValue() + ": " + out);
    }
    return out;
  }

  String errorLog() {
    try {
      return Files.readString(dir.resolve("log/error_log"));
    } catch (IOException e) {
      return "(no error_log: " + e + ")";
    }
  }

  @Override
  public void close() throws Exception {
    process.destroy(); // SIGTERM to our cupsd, by PID
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
    }
    try (Stream<Path> files = Files.walk(dir)) {
      List<Path> all = new ArrayList<>(files.sorted(Comparator.reverseOrder()).toList());
      for (Path f : all) {
        Files.deleteIfExists(f);
      }
    }
  }
}
