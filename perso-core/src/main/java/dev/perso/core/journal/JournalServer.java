package dev.perso.core.journal;

import dev.perso.core.ValidationException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a shared journal lives (a PostgreSQL database, one job per database), who logs in, and which
 * controller this process is. Credentials never come from the address: they come from the caller, from
 * the environment ({@code PERSO_JOURNAL_USER} and {@code PERSO_JOURNAL_PASSWORD}) or from a file named by
 * {@code PERSO_JOURNAL_PASSWORD_FILE}; {@link #toString()} never shows the password.
 *
 * <pre>{@code
 * JournalServer server = JournalServer.parse("postgresql://127.0.0.1:5432/job42")
 *     .credentialsFrom(System.getenv())
 *     .controller("ctl-1");
 * try (Journal journal = Journal.postgresql(server)) { ... }
 * }</pre>
 */
public final class JournalServer {
  /** The environment variable holding the user name. */
  public static final String ENV_USER = "PERSO_JOURNAL_USER";
  /** The environment variable holding the password. */
  public static final String ENV_PASSWORD = "PERSO_JOURNAL_PASSWORD";
  /** The environment variable naming a file whose first line is the password. */
  public static final String ENV_PASSWORD_FILE = "PERSO_JOURNAL_PASSWORD_FILE";
  /** The lease a controller holds unless told otherwise. */
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,63}");

  private final String host;
  private final int port;
  private final String database;
  private final String user;
  private final char[] password;
  private final String controller;
  private final Duration lease;

  private JournalServer(String host, int port, String database, String user, char[] password, String controller,
      Duration lease) {
    this.host = host;
    this.port = port;
    this.database = database;
    this.user = user;
    this.password = password;
    this.controller = controller;
    this.lease = lease;
  }

  /**
   * @param address {@code postgresql://HOST[:PORT]/DATABASE}, without user, password or parameters
   * @return the server, no credentials yet, controller named after this host
   * @throws ValidationException if the address is malformed or carries credentials or parameters
   */
  public static JournalServer parse(String address) {
    Objects.requireNonNull(address, "address");
    URI uri;
    try {
      uri = new URI(address);
    } catch (URISyntaxException e) {
      throw new ValidationException("journal", "address must be postgresql://HOST:PORT/DATABASE ("
          + e.getReason() + ")");
    }
    if (!"postgresql".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new ValidationException("journal", "address must be postgresql://HOST:PORT/DATABASE");
    }
    if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new ValidationException("journal", "address must not carry a user, password or parameters:"
          + " credentials come from " + ENV_USER + " and " + ENV_PASSWORD + " or " + ENV_PASSWORD_FILE);
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    String db = path.startsWith("/") ? path.substring(1) : path;
    if (!NAME.matcher(db).matches()) {
      throw new ValidationException("journal", "address must name a database: postgresql://HOST:PORT/DATABASE");
    }
    int port = uri.getPort() < 0 ? 5432 : uri.getPort();
    return new JournalServer(uri.getHost(), port, db, null, null, defaultController(), DEFAULT_LEASE);
  }

  private static String defaultController() {
    String host = System.getenv("HOSTNAME");
    if (host == null || !NAME.matcher(host).matches()) {
      host = "controller";
    }
    return host;
  }

  /**
   * @param user the database user
   * @param password the password (copied; wipe yours)
   * @return a copy with these credentials
   */
  public JournalServer credentials(String user, char[] password) {
    if (user == null || user.isBlank()) {
      throw new ValidationException("journal", "user must not be blank");
    }
    Objects.requireNonNull(password, "password");
    return new JournalServer(host, port, database, user, password.clone(), controller, lease);
  }

  /**
   * Takes the credentials from an environment: {@value #ENV_USER}, and {@value #ENV_PASSWORD} or the first
   * line of the file named by {@value #ENV_PASSWORD_FILE}.
   *
   * @param env the environment, e.g. {@code System.getenv()}
   * @return a copy with these credentials
   * @throws ValidationException if the user or the password is missing, or the file cannot be read
   */
  public JournalServer credentialsFrom(Map<String, String> env) {
    String u = env.get(ENV_USER);
    if (u == null || u.isBlank()) {
      throw new ValidationException("journal", ENV_USER + " must name the database user");
    }
    String file = env.get(ENV_PASSWORD_FILE);
    String pw = env.get(ENV_PASSWORD);
    if (file != null && !file.isBlank()) {
      try {
        String text = Files.readString(Path.of(file), StandardCharsets.UTF_8);
        int nl = text.indexOf('\n');
        pw = (nl < 0 ? text : text.substring(0, nl)).strip();
      } catch (IOException | RuntimeException e) {
        throw new ValidationException("journal", ENV_PASSWORD_FILE + " names a file that cannot be read ("
            + e.getClass().getSimpleName() + ")");
      }
    }
    if (pw == null || pw.isEmpty()) {
      throw new ValidationException("journal", ENV_PASSWORD + " or " + ENV_PASSWORD_FILE + " must give the password");
    }
    char[] chars = pw.toCharArray();
    try {
      return credentials(u, chars);
    } finally {
      Arrays.fill(chars, '\0');
    }
  }

  /**
   * @param id this controller's id: stable across restarts of the same controller (its cards inside its
   *     machines are recovered under it), unique among the controllers sharing the job
   * @return a copy with this controller id
   */
  public JournalServer controller(String id) {
    if (id == null || !NAME.matcher(id).matches()) {
      throw new ValidationException("journal", "controller id must be 1..64 letters, digits or ._:@-");
    }
    return new JournalServer(host, port, database, user, password, id, lease);
  }

  /**
   * @param lease how long this controller's claim on its records lasts without renewal (renewed every
   *     third of it); once it has expired, the other controllers mark its open records UNCERTAIN
   * @return a copy with this lease
   */
  public JournalServer lease(Duration lease) {
    if (lease == null || lease.toMillis() < 300 || lease.toMinutes() > 60) {
      throw new ValidationException("journal", "lease must be between 300 ms and 60 minutes");
    }
    return new JournalServer(host, port, database, user, password, controller, lease);
  }

  /** @return the JDBC URL (no credentials) */
  String jdbcUrl() {
    String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    return "jdbc:postgresql://" + h + ":" + port + "/" + database;
  }

  String user() {
    return user;
  }

  char[] password() {
    return password == null ? null : password.clone();
  }

  /** @return this controller's id */
  public String controllerId() {
    return controller;
  }

  /** @return the lease */
  public Duration leaseDuration() {
    return lease;
  }

  /** @return the address, {@code postgresql://HOST:PORT/DATABASE} */
  public String address() {
    return "postgresql://" + host + ":" + port + "/" + database;
  }

  @Override
  public String toString() {
    return address() + " (user " + (user == null ? "-" : user) + ", controller " + controller + ")";
  }
}
