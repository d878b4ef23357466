package dev.perso.core.journal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The SQL journals' reconciliation, from the rows of their three queries (each backend keeps its own SQL
 * dialect): cards by machine, station, outcome and reject code; read rejects by code; records whose issued
 * cards do not match their state.
 */
final class ReconciliationRows {
  /** {@code machine, station, outcome, reject code, count} of the job's cards (VOID ones left out). */
  static final String CARDS = "SELECT machine, station, outcome,"
      + " CASE WHEN outcome = 'REJECTED' THEN reason_code ELSE '' END AS code, count(*)"
      + " FROM cards WHERE job_id = ? AND outcome <> 'VOID' GROUP BY machine, station, outcome, code";

  private final CardTally total = new CardTally();
  private final Map<String, CardTally> byMachine = new TreeMap<>();
  private final Map<String, CardTally> byStation = new TreeMap<>();
  private final Map<String, Long> onRead = new TreeMap<>();
  private final List<String> problems = new ArrayList<>();

  /** @param rs rows of {@link #CARDS} */
  void cards(ResultSet rs) throws SQLException {
    while (rs.next()) {
      CardOutcome outcome = CardOutcome.valueOf(rs.getString(3));
      String code = rs.getString(4);
      long n = rs.getLong(5);
      total.add(outcome, code, n);
      byMachine.computeIfAbsent(rs.getString(1), k -> new CardTally()).add(outcome, code, n);
      byStation.computeIfAbsent(rs.getString(2), k -> new CardTally()).add(outcome, code, n);
    }
  }

  /** @param rs rows of {@code reason code, count} of the records rejected on read */
  void readRejects(ResultSet rs) throws SQLException {
    while (rs.next()) {
      onRead.put(rs.getString(1), rs.getLong(2));
    }
  }

  /** @param rs rows of {@code record id, state, issued cards} whose issued cards do not match the state */
  void recordProblems(ResultSet rs) throws SQLException {
    while (rs.next()) {
      problems.add(CardTally.recordProblem(rs.getString(1), RecordState.valueOf(rs.getString(2)), rs.getLong(3)));
    }
  }

  Reconciliation build(String jobId, String cardType, Instant started, Optional<Instant> ended,
      Map<RecordState, Long> records) {
    Reconciliation.Counts t = total.counts();
    List<String> all = new ArrayList<>(problems);
    if (!t.addsUp()) {
      all.add(0, CardTally.totalProblem(t));
    }
    Map<String, Reconciliation.Counts> m = new LinkedHashMap<>();
    byMachine.forEach((k, v) -> m.put(k, v.counts()));
    Map<String, Reconciliation.Counts> s = new LinkedHashMap<>();
    byStation.forEach((k, v) -> s.put(k, v.counts()));
    return new Reconciliation(jobId, cardType, started, ended, t, m, s, records, onRead, all);
  }
}
