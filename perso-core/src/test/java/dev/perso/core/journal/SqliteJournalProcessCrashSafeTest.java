package dev.perso.core.journal;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteJournalProcessCrashSafeTest extends JournalContract {
  @TempDir
  Path dir;

  @Override
  Journal newJournal() {
    return Journal.sqlite(dir.resolve("job.db"), Durability.PROCESS_CRASH_SAFE);
  }
}
