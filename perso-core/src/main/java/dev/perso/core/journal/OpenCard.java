package dev.perso.core.journal;

/**
 * A card the journal saw fed and not finished: after a crash, the cards to look for inside the machines.
 *
 * <pre>{@code
 * for (OpenCard c : journal.recover()) { ... }
 * }</pre>
 *
 * @param serial the card's serial
 * @param recordId its record
 * @param recordState the record's state (UNCERTAIN once recovered)
 * @param machine the machine it was fed into
 * @param station the station it was last at
 */
public record OpenCard(long serial, String recordId, RecordState recordState, String machine, String station) {}
