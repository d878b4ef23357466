package dev.perso.core.journal;

import dev.perso.core.testing.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The journal contract on a real PostgreSQL server (one fresh database per test). */
class PostgresJournalTest extends JournalContract {
  static PostgresServer pg;

  @BeforeAll
  static void startServer() {
    pg = PostgresServer.start();
  }

  @AfterAll
  static void stopServer() {
    if (pg != null) {
      pg.close();
    }
  }

  @Override
  Journal newJournal() {
    return Journal.postgresql(pg.newDatabase().controller("ctl-1"));
  }
}
