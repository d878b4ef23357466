package dev.perso.core.record;

import java.util.Iterator;

/**
 * A stream of card records, one at a time so memory stays flat for million-card files. Data-preparation
 * formats plug in by implementing it ({@link JsonLinesRecords}, the DGI script of perso-emv-cps).
 *
 * <pre>{@code
 * try (RecordSource source = JsonLinesRecords.open(Path.of("cards.jsonl"))) {
 *   source.forEachRemaining(input -> ...);
 * }
 * }</pre>
 */
public interface RecordSource extends Iterator<RecordInput>, AutoCloseable {

  /** @return the source's name for messages and the journal, e.g. the file name */
  String name();

  /** Releases the underlying file or stream. */
  @Override
  void close();
}
