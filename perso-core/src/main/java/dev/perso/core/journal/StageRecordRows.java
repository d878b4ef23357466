package dev.perso.core.journal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The SQL journals' {@link Journal#stageRecords()} and {@link Journal#stageRecord}: the same three queries
 * (the job's stage, the outputs of its DONE records, its records) on either backend, which runs them and
 * reads its own time column.
 */
final class StageRecordRows {
  private static final String STAGE = "SELECT stage FROM job WHERE job_id = ?";
  private static final String OUTPUTS = "SELECT o.record_id, o.name, o.value FROM stage_outputs o JOIN records r"
      + " ON r.job_id = o.job_id AND r.record_id = o.record_id WHERE o.job_id = ? AND r.state = 'DONE'";
  private static final String RECORDS = "SELECT r.record_id, r.state, r.machine, r.station,"
      + " (SELECT max(c.ended_at) FROM cards c WHERE c.job_id = r.job_id AND c.record_id = r.record_id"
      + " AND c.outcome = 'ISSUED') FROM records r WHERE r.job_id = ?";

  /** Runs a query of the backend (its cached statements): the caller closes the result. */
  @FunctionalInterface
  interface Query {
    ResultSet run(String sql, Object... args) throws SQLException;
  }

  /** Reads a time column as the backend stores it. */
  @FunctionalInterface
  interface TimeColumn {
    Instant read(ResultSet rs, int column) throws SQLException;
  }

  private StageRecordRows() {}

  /**
   * @param query the backend's query
   * @param job the job id
   * @param order the column that keeps the input order ({@code seq}, {@code rowid})
   * @param time how the backend reads the issue time
   * @return every record of the job's stage, in input order
   */
  static List<StageRecord> all(Query query, String job, String order, TimeColumn time) throws SQLException {
    return read(query, time, STAGE, OUTPUTS, RECORDS + " ORDER BY r." + order, job);
  }

  /**
   * @param query the backend's query
   * @param job the job id
   * @param recordId the record
   * @param time how the backend reads the issue time
   * @return the record in the job's stage, if the job has it
   */
  static Optional<StageRecord> one(Query query, String job, String recordId, TimeColumn time) throws SQLException {
    return read(query, time, STAGE, OUTPUTS + " AND o.record_id = ?", RECORDS + " AND r.record_id = ?", job,
        recordId).stream().findFirst();
  }

  private static List<StageRecord> read(Query query, TimeColumn time, String stageSql, String outputsSql,
      String recordsSql, String job, Object... more) throws SQLException {
    Object[] args = new Object[1 + more.length];
    args[0] = job;
    System.arraycopy(more, 0, args, 1, more.length);
    String stage;
    try (ResultSet rs = query.run(stageSql, job)) {
      stage = rs.next() ? rs.getString(1) : "";
    }
    Map<String, Map<String, String>> outputs = new HashMap<>();
    try (ResultSet rs = query.run(outputsSql, args)) {
      while (rs.next()) {
        outputs.computeIfAbsent(rs.getString(1), k -> new TreeMap<>()).put(rs.getString(2), rs.getString(3));
      }
    }
    List<StageRecord> out = new ArrayList<>();
    try (ResultSet rs = query.run(recordsSql, args)) {
      while (rs.next()) {
        RecordState state = RecordState.valueOf(rs.getString(2));
        Instant finished = time.read(rs, 5);
        out.add(new StageRecord(rs.getString(1), stage, state, rs.getString(3), rs.getString(4),
            Optional.ofNullable(state == RecordState.DONE ? finished : null),
            outputs.getOrDefault(rs.getString(1), Map.of())));
      }
    }
    return out;
  }
}
