package dev.perso.emv.cps;

import java.util.Iterator;

/**
 * A stream of card records, one at a time so memory stays flat for million-card files. Vendor
 * data-preparation formats plug in by implementing this interface.
 *
 * <pre>{@code
 * try (PersoDataSource source = JsonLinesPersoData.open(Path.of("cards.jsonl"))) {
 *   while (source.hasNext()) {
 *     PersoInput next = source.next();
 *     ...
 *   }
 * }
 * }</pre>
 */
public interface PersoDataSource extends Iterator<PersoInput>, AutoCloseable {
  /** Releases the underlying file or stream. */
  @Override
  void close();
}
