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
 * The SQL journals' {@link Journal#stageRecords()} and {@link Journal#stageRecord}, from the rows of three
 * queries (each backend runs them and reads its own time column): the job's stage, the outputs of its DONE
 * records, and its records (all of them, or one).
 */
final class StageRecordRows {
  /** The job's stage name. */
  static final String STAGE = "SELECT stage FROM job WHERE job_id = ?";
  /** {@code record id, name, value} of the stage outputs of DONE records. */
  static final String OUTPUTS = "SELECT o.record_id, o.name, o.value FROM stage_outputs o JOIN records r"
      + " ON r.job_id = o.job_id AND r.record_id = o.record_id WHERE o.job_id = ? AND r.state = 'DONE'";

  /** {@link #OUTPUTS} of one record: parameters job id, record id. */
  static final String OUTPUTS_OF_RECORD = OUTPUTS + " AND o.record_id = ?";
  /** The {@link #records} columns of one record: parameters job id, record id. */
  static final String RECORD = select() + " FROM records r WHERE r.job_id = ? AND r.record_id = ?";

  /** Reads a time column as the backend stores it. */
  @FunctionalInterface
  interface TimeColumn {
    Instant read(ResultSet rs, int column) throws SQLException;
  }

  private String stage = "";
  private final Map<String, Map<String, String>> outputs = new HashMap<>();

  /**
   * @param order the column that keeps the input order ({@code seq}, {@code rowid})
   * @return {@code record id, state, machine, station, last issue time} of the job's records, in input order
   */
  static String records(String order) {
    return select() + " FROM records r WHERE r.job_id = ? ORDER BY r." + order;
  }

  private static String select() {
    return "SELECT r.record_id, r.state, r.machine, r.station, (SELECT max(c.ended_at) FROM cards c"
        + " WHERE c.job_id = r.job_id AND c.record_id = r.record_id AND c.outcome = 'ISSUED')";
  }

  /** @param rs the row of {@link #STAGE} */
  void stage(ResultSet rs) throws SQLException {
    stage = rs.next() ? rs.getString(1) : "";
  }

  /** @param rs rows of {@link #OUTPUTS} */
  void outputs(ResultSet rs) throws SQLException {
    while (rs.next()) {
      outputs.computeIfAbsent(rs.getString(1), k -> new TreeMap<>()).put(rs.getString(2), rs.getString(3));
    }
  }

  /**
   * @param rs rows of {@link #records}
   * @param time how the backend reads the issue time
   * @return the stage records
   */
  List<StageRecord> records(ResultSet rs, TimeColumn time) throws SQLException {
    List<StageRecord> out = new ArrayList<>();
    while (rs.next()) {
      RecordState state = RecordState.valueOf(rs.getString(2));
      Instant finished = time.read(rs, 5);
      out.add(new StageRecord(rs.getString(1), stage, state, rs.getString(3), rs.getString(4),
          Optional.ofNullable(state == RecordState.DONE ? finished : null),
          outputs.getOrDefault(rs.getString(1), Map.of())));
    }
    return out;
  }
}
