package dev.perso.core.journal;

import java.util.Map;
import java.util.TreeMap;

/** Card counts being summed for a reconciliation, and its discrepancy wording (shared by the journals). */
final class CardTally {
  private long fed;
  private long issued;
  private final Map<String, Long> rejected = new TreeMap<>();
  private long purged;
  private long inside;

  void add(CardOutcome outcome, String reasonCode, long n) {
    fed += n;
    switch (outcome) {
      case ISSUED -> issued += n;
      case REJECTED -> rejected.merge(reasonCode, n, Long::sum);
      case PURGED -> purged += n;
      case INSIDE -> inside += n;
      default -> { }
    }
  }

  Reconciliation.Counts counts() {
    return new Reconciliation.Counts(fed, issued, rejected, purged, inside);
  }

  static String totalProblem(Reconciliation.Counts t) {
    return "cards fed " + t.fed() + " != issued " + t.issued() + " + rejected " + t.rejected()
        + " + purged " + t.purged() + " + inside " + t.inside();
  }

  /** @return the problem with a record that has {@code issued} issued cards, or null if there is none */
  static String recordProblem(String recordId, RecordState state, long issued) {
    if (state == RecordState.DONE && issued != 1) {
      return "record " + recordId + " is DONE with " + issued + " issued cards";
    } else if (state != RecordState.DONE && issued != 0) {
      return "record " + recordId + " is " + state + " but has " + issued + " issued card(s)";
    }
    return null;
  }
}
