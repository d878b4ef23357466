package dev.perso.samples.cli;

import dev.perso.core.ValidationException;
import dev.perso.core.journal.Durability;
import dev.perso.core.journal.Journal;
import dev.perso.core.journal.JournalServer;
import dev.perso.samples.io.PrivateFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The {@code --journal} option's value: an SQLite file, or a shared PostgreSQL journal
 * {@code postgresql://HOST:PORT/DATABASE} whose credentials come from {@code PERSO_JOURNAL_USER} and
 * {@code PERSO_JOURNAL_PASSWORD} or {@code PERSO_JOURNAL_PASSWORD_FILE}, never from the command line.
 */
final class JournalAddress {
  private final String option;
  private final String value;

  private JournalAddress(String option, String value) {
    this.option = option;
    this.value = value;
  }

  static JournalAddress of(String value) {
    return of("--journal", value);
  }

  /**
   * @param option the option the value came with, for errors ({@code --journal}, {@code --previous-journal})
   * @param value a file or {@code postgresql://HOST:PORT/DATABASE}
   * @return the address
   */
  static JournalAddress of(String option, String value) {
    if (value == null || value.isBlank()) {
      throw new ValidationException(option, "must name a file or postgresql://HOST:PORT/DATABASE");
    }
    return new JournalAddress(option, value);
  }

  boolean shared() {
    return value.startsWith("postgresql:");
  }

  Path file() {
    return Path.of(value);
  }

  /** @return the default job id: the file name without extension, or the database name */
  String defaultJobId() {
    String name = shared() ? value.substring(value.lastIndexOf('/') + 1) : file().getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 && !shared() ? name.substring(0, dot) : name;
  }

  /**
   * @param stage the stage a run keeps in this journal, or {@code ""}
   * @return {@link #defaultJobId()} without a trailing {@code .STAGE} or {@code -STAGE} or {@code _STAGE}: a
   *     stage's journal {@code job-42.chip.db} (or database {@code job_42_chip}) keeps job {@code job-42}
   */
  String defaultJobId(String stage) {
    String id = defaultJobId();
    for (String sep : new String[] {".", "-", "_"}) {
      if (!stage.isEmpty() && id.endsWith(sep + stage) && id.length() > stage.length() + 1) {
        return id.substring(0, id.length() - stage.length() - 1);
      }
    }
    return id;
  }

  private JournalServer server(Map<String, String> env) {
    try {
      return JournalServer.parse(value).credentialsFrom(env);
    } catch (ValidationException e) {
      throw new ValidationException(option, e.getMessage());
    }
  }

  /** Opens the journal a run writes: the file is created owner-only if absent. */
  Journal openForRun(Durability durability, String controller, Map<String, String> env) {
    if (shared()) {
      JournalServer s = server(env);
      return Journal.postgresql(controller == null ? s : s.controller(controller));
    }
    if (controller != null) {
      throw new ValidationException("--controller", "names a controller of a shared journal (postgresql://...)");
    }
    // Created owner-only before SQLite opens it: SQLite gives -wal and -shm the journal's mode.
    return Journal.sqlite(PrivateFiles.journal(option, file()), durability);
  }

  /** Opens an existing journal to read it. */
  Journal openExisting(Map<String, String> env) {
    if (shared()) {
      // a reader registers no lease: it never fences a running controller
      return Journal.postgresql(server(env).controller("perso-job-reader"));
    }
    if (!Files.isRegularFile(file())) {
      throw new ValidationException(option, "no journal at " + file());
    }
    return Journal.sqlite(file());
  }

  @Override
  public String toString() {
    return value;
  }
}
