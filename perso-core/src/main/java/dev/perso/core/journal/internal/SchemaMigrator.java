package dev.perso.core.journal.internal;

import dev.perso.core.journal.JournalException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Brings a journal database to the newest schema: plain versioned SQL files per backend
 * ({@code dev/perso/core/journal/sql/<backend>/V<n>__<name>.sql}, listed in {@code index.txt}), applied in
 * version order inside one write transaction ({@code BEGIN IMMEDIATE} on SQLite, an advisory lock on
 * PostgreSQL), each recorded in {@code schema_version} with its SHA-256. A file edited after it was applied,
 * or a database newer than this SDK, is an error.
 *
 * <pre>{@code
 * SchemaMigrator.migrate(connection, Backend.SQLITE, SchemaMigrator.bundled(Backend.SQLITE));
 * }</pre>
 */
public final class SchemaMigrator {
  private static final Pattern FILE = Pattern.compile("V([1-9][0-9]{0,8})__([A-Za-z0-9_]+)\\.sql");
  private static final long PG_LOCK = 0x7065_7273_6f4aL; // "persoJ"

  private SchemaMigrator() {}

  /** The journal's database backends. */
  public enum Backend {
    /** The embedded journal. */
    SQLITE("sqlite"),
    /** The shared journal. */
    POSTGRESQL("postgresql");

    private final String dir;

    Backend(String dir) {
      this.dir = dir;
    }

    /** @return the resource folder of its SQL files */
    public String resourceDir() {
      return "/dev/perso/core/journal/sql/" + dir + "/";
    }
  }

  /**
   * One schema version.
   *
   * @param version its version, from 1
   * @param name its name (file name without version and extension)
   * @param sql the statements
   */
  public record Migration(int version, String name, String sql) {
    /** @return the SHA-256 of the statements (UTF-8), in hex */
    public String sha256() {
      try {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
            .digest(sql.getBytes(StandardCharsets.UTF_8)));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is missing from this JDK", e);
      }
    }

    /**
     * @param fileName a file name {@code V<n>__<name>.sql}
     * @param sql its statements
     * @return the migration
     * @throws JournalException if the name does not follow the pattern
     */
    public static Migration of(String fileName, String sql) {
      Matcher m = FILE.matcher(fileName);
      if (!m.matches()) {
        throw new JournalException("journal schema file " + fileName + " is not named V<version>__<name>.sql");
      }
      return new Migration(Integer.parseInt(m.group(1)), m.group(2), sql);
    }
  }

  /**
   * @param backend a backend
   * @return the migrations shipped with this SDK, by version
   * @throws JournalException if a listed file is missing or two share a version
   */
  public static List<Migration> bundled(Backend backend) {
    String index = resource(backend.resourceDir() + "index.txt");
    List<Migration> out = new ArrayList<>();
    for (String line : index.split("\n")) {
      String name = line.strip();
      if (!name.isEmpty() && !name.startsWith("#")) {
        out.add(Migration.of(name, resource(backend.resourceDir() + name)));
      }
    }
    return sorted(out);
  }

  private static List<Migration> sorted(List<Migration> migrations) {
    List<Migration> out = new ArrayList<>(migrations);
    out.sort(Comparator.comparingInt(Migration::version));
    for (int i = 1; i < out.size(); i++) {
      if (out.get(i).version() == out.get(i - 1).version()) {
        throw new JournalException("two journal schema files have version " + out.get(i).version());
      }
    }
    return out;
  }

  private static String resource(String path) {
    try (InputStream in = SchemaMigrator.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new JournalException("journal schema resource " + path + " is missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new JournalException("journal schema resource " + path + " cannot be read", e);
    }
  }

  /**
   * Applies the migrations the database lacks, in one transaction; a no-op when it is up to date.
   *
   * @param connection an open connection, in autocommit mode
   * @param backend its backend
   * @param migrations the migrations, any order
   * @return how many were applied
   * @throws JournalException if an applied file was edited, the database is newer than the files, or the
   *     database fails
   */
  public static int migrate(Connection connection, Backend backend, List<Migration> migrations) {
    List<Migration> todo = sorted(migrations);
    try (Statement st = connection.createStatement()) {
      boolean pg = backend == Backend.POSTGRESQL;
      if (pg) {
        connection.setAutoCommit(false);
        st.execute("SELECT pg_advisory_xact_lock(" + PG_LOCK + ")");
      } else {
        st.executeUpdate("BEGIN IMMEDIATE");
      }
      try {
        int applied = apply(connection, st, todo);
        if (pg) {
          connection.commit();
        } else {
          st.executeUpdate("COMMIT");
        }
        return applied;
      } catch (SQLException | RuntimeException e) {
        if (pg) {
          connection.rollback();
        } else {
          st.executeUpdate("ROLLBACK");
        }
        throw e;
      } finally {
        if (pg) {
          connection.setAutoCommit(true);
        }
      }
    } catch (SQLException e) {
      throw new JournalException("journal schema migration failed: " + e.getMessage(), e);
    }
  }

  private static int apply(Connection connection, Statement st, List<Migration> todo) throws SQLException {
    st.executeUpdate("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY,"
        + " name TEXT NOT NULL, sha256 TEXT NOT NULL)");
    Map<Integer, String> done = new HashMap<>();
    try (ResultSet rs = st.executeQuery("SELECT version, sha256 FROM schema_version")) {
      while (rs.next()) {
        done.put(rs.getInt(1), rs.getString(2));
      }
    }
    int newest = todo.isEmpty() ? 0 : todo.get(todo.size() - 1).version();
    for (int v : done.keySet()) {
      if (v > newest) {
        throw new JournalException("the journal's schema version " + v + " is newer than this SDK knows ("
            + newest + ")");
      }
    }
    int applied = 0;
    for (Migration m : todo) {
      String sha = done.get(m.version());
      if (sha == null) {
        st.executeUpdate(m.sql());
        try (PreparedStatement ps = connection.prepareStatement(
            "INSERT INTO schema_version (version, name, sha256) VALUES (?, ?, ?)")) {
          ps.setInt(1, m.version());
          ps.setString(2, m.name());
          ps.setString(3, m.sha256());
          ps.executeUpdate();
        }
        applied++;
      } else if (!sha.equals(m.sha256())) {
        throw new JournalException("journal schema V" + m.version() + "__" + m.name()
            + ".sql was edited after it was applied (sha256 differs): add a new version instead");
      }
    }
    return applied;
  }
}
