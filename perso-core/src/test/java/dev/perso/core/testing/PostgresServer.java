package dev.perso.core.testing;

import dev.perso.core.journal.JournalServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for one test class: Debian's server binaries, {@code initdb} into a temp dir,
 * listening on a free loopback port, run as the {@code postgres} user when the tests run as root (initdb
 * refuses root), stopped by its PID ({@code SIGINT}, a fast shutdown) and its files removed. The recipe is
 * the shared note on the job journal (section 1): a fresh cluster is ready in about 2 s.
 *
 * <p>Durability: {@code fsync=off} (a test cannot lose power) but {@code synchronous_commit=on}: with it off
 * a server crash loses acknowledged commits, and the crash tests assert that none are lost.
 *
 * <pre>{@code
 * try (PostgresServer pg = PostgresServer.start()) {      // skips, or fails under PERSO_REQUIRE_IT=1
 *   Journal journal = Journal.postgresql(pg.newDatabase().controller("ctl-1"));
 * }
 * }</pre>
 */
public final class PostgresServer implements AutoCloseable {
  /** The role the journal databases belong to. */
  public static final String USER = "journal";

  private static final AtomicInteger DATABASES = new AtomicInteger();

  private final Path dir;
  private final int port;
  private final Process postmaster;
  private final String superPassword;
  private final String password;

  private PostgresServer(Path dir, int port, Process postmaster, String superPassword, String password) {
    this.dir = dir;
    this.port = port;
    this.postmaster = postmaster;
    this.superPassword = superPassword;
    this.password = password;
  }

  /** @return the newest Debian PostgreSQL server binaries' folder, or null */
  public static Path binaries() {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return null;
    }
    try (Stream<Path> s = Files.list(root)) {
      return s.map(p -> p.resolve("bin"))
          .filter(p -> Files.isExecutable(p.resolve("initdb")) && Files.isExecutable(p.resolve("postgres")))
          .max(Comparator.comparingInt(p -> version(p.getParent().getFileName().toString())))
          .orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  private static int version(String name) {
    try {
      return Integer.parseInt(name.replaceAll("[^0-9]", ""));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static boolean root() {
    return "root".equals(System.getProperty("user.name"));
  }

  /**
   * Starts a fresh server; skips the test (bare machine) or fails it ({@code PERSO_REQUIRE_IT=1}) when the
   * server binaries are missing.
   *
   * @return the running server
   */
  public static PostgresServer start() {
    Path bin = binaries();
    RealComponent.require("PostgreSQL server", bin != null && (!root() || Files.isExecutable(Path.of("/usr/bin/setpriv"))),
        "apt-get install postgresql (Debian's server binaries in /usr/lib/postgresql/*/bin)");
    Path dir = null;
    try {
      // short path: the socket path must stay under 107 bytes; 755 so that the postgres user can enter it
      dir = Files.createTempDirectory(Path.of("/tmp"), "pg");
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      SecureRandom random = new SecureRandom();
      String superPassword = HexFormat.of().formatHex(random.generateSeed(12));
      String password = HexFormat.of().formatHex(random.generateSeed(12));
      Path pwfile = dir.resolve("pw");
      Files.writeString(pwfile, superPassword + "\n", StandardCharsets.UTF_8);
      if (root()) {
        chown(pwfile, dir);
      }
      Path data = dir.resolve("data");
      run(dir, bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "--auth-local=trust",
          "--auth-host=scram-sha-256", "--pwfile=" + pwfile, "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions",
          "--no-sync");
      Files.delete(pwfile);
      int port = freePort();
      // setpriv execs the server: the child's PID is the postmaster's
      Process pm = new ProcessBuilder(asPostgres(bin.resolve("postgres").toString(), "-D", data.toString(),
          "-p", Integer.toString(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=" + dir,
          "-c", "fsync=off", "-c", "full_page_writes=off", "-c", "synchronous_commit=on",
          "-c", "client_connection_check_interval=1000", "-c", "max_connections=60"))
          .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
      PostgresServer server = new PostgresServer(dir, port, pm, superPassword, password);
      server.awaitReady();
      try (Connection c = server.superuser(); Statement st = c.createStatement()) {
        st.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + password + "'");
      }
      return server;
    } catch (IOException | SQLException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      String log = "";
      try {
        if (dir != null && Files.exists(dir.resolve("server.log"))) {
          log = "; server log: " + Files.readString(dir.resolve("server.log"));
        }
      } catch (IOException ignored) {
        // the log is a diagnostic only
      }
      throw new IllegalStateException("PostgreSQL could not be started: " + e.getMessage() + log, e);
    }
  }

  private static void chown(Path... paths) throws IOException {
    for (Path p : paths) {
      Files.setOwner(p, p.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres"));
    }
  }

  private static List<String> asPostgres(String... command) {
    List<String> out = new ArrayList<>();
    if (root()) {
      out.addAll(List.of("/usr/bin/setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"));
    }
    out.addAll(List.of(command));
    return out;
  }

  private static void run(Path dir, String... command) throws IOException, InterruptedException {
    Path log = dir.resolve("initdb.log");
    Process p = new ProcessBuilder(asPostgres(command)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException(command[0] + " failed: " + Files.readString(log));
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private void awaitReady() throws InterruptedException, SQLException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      if (!postmaster.isAlive()) {
        throw new SQLException("the server exited with " + postmaster.exitValue());
      }
      try (Connection c = superuser()) {
        return;
      } catch (SQLException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(50);
      }
    }
  }

  private Connection superuser() throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres",
        superPassword);
  }

  /** @return the loopback port it listens on */
  public int port() {
    return port;
  }

  /** @return the postmaster's PID */
  public long pid() {
    return postmaster.pid();
  }

  /** @return the password of {@link #USER} (tests hand it over through the environment) */
  public String password() {
    return password;
  }

  /**
   * Creates an empty database owned by {@link #USER}.
   *
   * @return its address with the credentials, controller not named yet
   */
  public JournalServer newDatabase() {
    String name = "job" + DATABASES.incrementAndGet();
    try (Connection c = superuser(); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name + " OWNER " + USER);
    } catch (SQLException e) {
      throw new IllegalStateException("database " + name + " could not be created: " + e.getMessage(), e);
    }
    return JournalServer.parse("postgresql://127.0.0.1:" + port + "/" + name)
        .credentials(USER, password.toCharArray());
  }

  /**
   * @param database a database's name
   * @return a connection to it as {@link #USER}, for tests that check the tables themselves
   * @throws SQLException if it fails
   */
  public Connection connect(String database) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, USER, password);
  }

  /**
   * Kills with SIGKILL the server processes (backends) serving the connections of one application name: the
   * postmaster then crash-restarts every backend, as after a server crash, keeping its PID.
   *
   * @param applicationName the connections' {@code application_name}
   * @return how many backends were killed
   * @throws Exception if the lookup or the kill fails
   */
  public int killBackends(String applicationName) throws Exception {
    List<Long> pids = new ArrayList<>();
    try (Connection c = superuser();
         java.sql.PreparedStatement ps = c.prepareStatement(
             "SELECT pid FROM pg_stat_activity WHERE application_name = ?")) {
      ps.setString(1, applicationName);
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          pids.add(rs.getLong(1));
        }
      }
    }
    for (long pid : pids) {
      new ProcessBuilder("kill", "-KILL", Long.toString(pid)).start().waitFor(10, TimeUnit.SECONDS);
    }
    return pids.size();
  }

  /**
   * Waits until the server accepts connections again (after a crash-restart).
   *
   * @throws Exception if it does not within 30 s
   */
  public void awaitAccepting() throws Exception {
    awaitReady();
  }

  /** Stops the server by its PID (fast shutdown) and removes its files. */
  @Override
  public void close() {
    ProcessHandle h = postmaster.toHandle();
    try {
      new ProcessBuilder("kill", "-INT", Long.toString(h.pid())).start().waitFor(10, TimeUnit.SECONDS);
      if (!postmaster.waitFor(30, TimeUnit.SECONDS)) {
        postmaster.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (IOException | InterruptedException e) {
      postmaster.destroyForcibly();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a leftover temp dir is harmless
    }
  }
}
