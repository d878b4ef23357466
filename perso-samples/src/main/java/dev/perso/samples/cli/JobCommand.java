package dev.perso.samples.cli;

import dev.perso.core.journal.CardOutcome;
import dev.perso.core.journal.JobStatus;
import dev.perso.core.journal.Journal;
import dev.perso.core.journal.Reconciliation;
import dev.perso.samples.line.ReportText;
import dev.perso.core.journal.RecordState;
import dev.perso.core.journal.StageRecord;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code perso job status|report}: reads a job's journal.
 *
 * <pre>
 * perso job status --journal job.db
 * perso job report --journal job.db --json
 * perso job report --journal job-42.chip.db --journal job-42.finish.db --records
 * </pre>
 */
@Command(name = "job", description = "Read a job's journal: where it stands, and the reconciliation of its cards.",
    subcommands = {JobCommand.Status.class, JobCommand.Report.class})
final class JobCommand extends CommandGroup {

  static Journal open(String journal) {
    return JournalAddress.of(journal).openExisting(System.getenv());
  }

  /** {@code perso job status}. */
  @Command(name = "status", description = "Records per state and cards per outcome.")
  static final class Status implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Option(names = "--journal", required = true, paramLabel = "FILE|postgresql://HOST:PORT/DB",
        description = "The job's journal: a file, or a shared PostgreSQL database (credentials from "
            + "PERSO_JOURNAL_USER and PERSO_JOURNAL_PASSWORD or PERSO_JOURNAL_PASSWORD_FILE).")
    String journal;

    @Override
    public void run() {
      try (Journal j = open(journal)) {
        JobStatus s = j.status();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("job", s.jobId());
        json.put("cardType", s.cardType());
        if (!s.stage().isEmpty()) {
          json.put("stage", s.stage());
        }
        json.put("records", s.records());
        json.put("cards", s.cards());
        StringBuilder text = new StringBuilder("job " + s.jobId() + (s.stage().isEmpty() ? "" : " stage " + s.stage())
            + " (card type " + s.cardType() + ")\n");
        text.append("records:");
        for (RecordState st : RecordState.values()) {
          text.append(' ').append(st).append(' ').append(s.count(st));
        }
        text.append("\ncards:  ");
        for (CardOutcome c : CardOutcome.values()) {
          text.append(' ').append(c).append(' ').append(s.cards().getOrDefault(c, 0L));
        }
        output.print(spec.commandLine().getOut(), json, text.toString());
      }
    }
  }

  /** {@code perso job report}. */
  @Command(name = "report", description = "The reconciliation: cards fed = issued + rejected (by reason) + purged, "
      + "per machine and station; exit code 1 when it does not add up. Give each stage's journal for a job made in "
      + "stages.")
  static final class Report implements java.util.concurrent.Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Option(names = "--journal", required = true, paramLabel = "FILE|postgresql://HOST:PORT/DB",
        description = "The job's journal: a file, or a shared PostgreSQL database (credentials from "
            + "PERSO_JOURNAL_USER and PERSO_JOURNAL_PASSWORD or PERSO_JOURNAL_PASSWORD_FILE). Repeat it for each "
            + "stage's journal, in stage order; JSON is then {\"stages\": [...], \"addsUp\": ...}.")
    java.util.List<String> journals;

    @Option(names = "--records", description = "List every record of each stage: its state, machine, station, "
        + "when its card was issued, and its stage outputs (identifiers only).")
    boolean records;

    @Override
    public Integer call() {
      StringBuilder text = new StringBuilder();
      java.util.List<Map<String, Object>> stages = new java.util.ArrayList<>();
      boolean addsUp = true;
      for (String journal : journals) {
        try (Journal j = open(journal)) {
          Reconciliation r = j.reconcile();
          addsUp &= r.addsUp();
          String stage = j.status().stage();
          Map<String, Object> json = new LinkedHashMap<>();
          if (!stage.isEmpty()) {
            json.put("stage", stage);
          }
          json.putAll(ReportText.json(r));
          if (!stage.isEmpty() || journals.size() > 1) {
            text.append("stage ").append(stage.isEmpty() ? "(none)" : stage).append(" (").append(journal)
                .append(")\n");
          }
          String table = ReportText.text(r);
          text.append(table).append(table.endsWith("\n") ? "" : "\n");
          if (records) {
            java.util.List<StageRecord> list = j.stageRecords();
            json.put("recordList", list.stream().map(Report::json).toList());
            text.append(ReportText.records(list));
          }
          stages.add(json);
        }
      }
      Map<String, Object> json = stages.size() == 1 ? stages.get(0) : new LinkedHashMap<>();
      if (stages.size() > 1) {
        json.put("stages", stages);
        json.put("addsUp", addsUp);
      }
      output.print(spec.commandLine().getOut(), json, text.toString());
      return addsUp ? 0 : PersoCli.EXIT_FAILURE;
    }

    private static Map<String, Object> json(StageRecord r) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("record", r.recordId());
      m.put("state", r.state().name());
      m.put("machine", r.machine());
      m.put("station", r.station());
      m.put("issued", r.finished().map(Object::toString).orElse(null));
      m.put("outputs", new java.util.TreeMap<>(r.outputs()));
      return m;
    }
  }
}
