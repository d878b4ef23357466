package dev.perso.core.journal;

/**
 * How hard the journal's store pushes each update to disk.
 *
 * <pre>{@code
 * Journal.sqlite(path, Durability.FULL);
 * }</pre>
 */
public enum Durability {
  /** Every acknowledged update survives a process crash and a power loss (SQLite WAL, synchronous=FULL). */
  FULL,
  /** Every acknowledged update survives a process crash; a power loss may lose the newest (WAL, synchronous=NORMAL). */
  PROCESS_CRASH_SAFE
}
