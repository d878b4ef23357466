package dev.perso.core.journal;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteJournalFullTest extends JournalContract {
  @TempDir
  Path dir;

  @Override
  Journal newJournal() {
    return Journal.sqlite(dir.resolve("job.db"), Durability.FULL);
  }
}
