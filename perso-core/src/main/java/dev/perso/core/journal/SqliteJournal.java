package dev.perso.core.journal;

import java.nio.file.Path;

/** PLACEHOLDER: being written (SQLite journal). */
final class SqliteJournal {
  private SqliteJournal() {}

  static Journal open(Path file, Durability durability) {
    throw new UnsupportedOperationException("not yet");
  }
}
