package dev.perso.samples.line;

import dev.perso.core.journal.Reconciliation;
import dev.perso.core.journal.RecordState;
import dev.perso.core.journal.StageRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The reconciliation as text for a person and as JSON for scripts.
 *
 * <pre>{@code
 * System.out.println(ReportText.text(journal.reconcile()));
 * }</pre>
 */
public final class ReportText {
  private ReportText() {}

  /**
   * @param r a reconciliation
   * @return its JSON form (maps and lists)
   */
  public static Map<String, Object> json(Reconciliation r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("job", r.jobId());
    m.put("cardType", r.cardType());
    m.put("started", r.started().toString());
    m.put("ended", r.ended().map(Object::toString).orElse(null));
    m.put("addsUp", r.addsUp());
    m.put("total", counts(r.total()));
    Map<String, Object> machines = new LinkedHashMap<>();
    r.byMachine().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> machines.put(e.getKey(), counts(e.getValue())));
    m.put("machines", machines);
    Map<String, Object> stations = new LinkedHashMap<>();
    r.byStation().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> stations.put(e.getKey(), counts(e.getValue())));
    m.put("stations", stations);
    Map<String, Long> records = new LinkedHashMap<>();
    for (RecordState s : RecordState.values()) {
      records.put(s.name(), r.records().getOrDefault(s, 0L));
    }
    m.put("records", records);
    m.put("rejectedOnRead", r.rejectedOnRead());
    m.put("discrepancies", r.discrepancies());
    return m;
  }

  private static Map<String, Object> counts(Reconciliation.Counts c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("fed", c.fed());
    m.put("issued", c.issued());
    m.put("rejected", c.rejected());
    m.put("rejectedByReason", c.rejectedByReason());
    m.put("purged", c.purged());
    m.put("inside", c.inside());
    return m;
  }

  /**
   * @param r a reconciliation
   * @return a table per machine and station, the record states and whether it adds up
   */
  public static String text(Reconciliation r) {
    StringBuilder sb = new StringBuilder();
    sb.append("job ").append(r.jobId()).append(" (card type ").append(r.cardType()).append(")  started ")
        .append(r.started()).append(r.ended().map(e -> "  ended " + e).orElse("  (not ended)")).append('\n');
    sb.append(String.format("%-22s %7s %7s %8s %7s %7s  %s%n", "", "fed", "issued", "rejected", "purged", "inside",
        "rejected by reason"));
    row(sb, "total", r.total());
    r.byMachine().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> row(sb, e.getKey(), e.getValue()));
    r.byStation().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> row(sb, "  " + e.getKey(), e.getValue()));
    sb.append("records:");
    for (RecordState s : RecordState.values()) {
      sb.append(' ').append(s).append(' ').append(r.records().getOrDefault(s, 0L));
    }
    sb.append('\n');
    if (!r.rejectedOnRead().isEmpty()) {
      sb.append("records rejected before a card was used: ").append(r.rejectedOnRead()).append('\n');
    }
    if (r.addsUp()) {
      sb.append("reconciliation: adds up (fed = issued + rejected + purged + inside; every DONE record has one issued card)");
    } else {
      sb.append("reconciliation: DOES NOT ADD UP\n");
      r.discrepancies().forEach(d -> sb.append("  ").append(d).append('\n'));
    }
    return sb.toString();
  }

  /**
   * @param records a stage's records ({@link dev.perso.core.journal.Journal#stageRecords()})
   * @return one line per record: id, state, machine, station, when its card was issued, its stage outputs
   *     (identifiers only)
   */
  public static String records(List<StageRecord> records) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("%-16s %-11s %-10s %-16s %-24s %s%n", "record", "state", "machine", "station", "issued",
        "outputs"));
    for (StageRecord r : records) {
      sb.append(String.format("%-16s %-11s %-10s %-16s %-24s %s%n", r.recordId(), r.state(), dash(r.machine()),
          dash(r.station()), r.finished().map(Object::toString).orElse("-"),
          r.outputs().isEmpty() ? "" : new TreeMap<>(r.outputs())));
    }
    return sb.toString();
  }

  private static String dash(String s) {
    return s.isEmpty() ? "-" : s;
  }

  private static void row(StringBuilder sb, String name, Reconciliation.Counts c) {
    sb.append(String.format("%-22s %7d %7d %8d %7d %7d  %s%n", name, c.fed(), c.issued(), c.rejected(), c.purged(),
        c.inside(), c.rejectedByReason().isEmpty() ? "" : c.rejectedByReason()));
  }
}
