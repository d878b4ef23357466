package dev.perso.core.journal;

class InMemoryJournalTest extends JournalContract {
  @Override
  Journal newJournal() {
    return Journal.inMemory();
  }
}
