package dev.perso.core.journal;

/**
 * What became of one physical card.
 *
 * <pre>{@code
 * report.cards(CardOutcome.ISSUED);
 * }</pre>
 */
public enum CardOutcome {
  /** Fed and not finished yet (inside a machine). */
  INSIDE,
  /** Reached the output hopper personalized. */
  ISSUED,
  /** Dropped in the reject bin, with a reason. */
  REJECTED,
  /** Found inside a machine after a crash and dropped in the reject bin. */
  PURGED,
  /** Journaled as fed, but the machine never took it (the controller stopped in between): not a card. */
  VOID
}
