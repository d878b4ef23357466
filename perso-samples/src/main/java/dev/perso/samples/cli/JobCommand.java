package dev.perso.samples.cli;

import dev.perso.core.journal.CardOutcome;
import dev.perso.core.journal.JobStatus;
import dev.perso.core.journal.Journal;
import dev.perso.core.journal.Reconciliation;
import dev.perso.samples.line.ReportText;
import dev.perso.core.journal.RecordState;
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
        json.put("records", s.records());
        json.put("cards", s.cards());
        StringBuilder text = new StringBuilder("job " + s.jobId() + " (card type " + s.cardType() + ")\n");
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
      + "per machine and station; exit code 1 when it does not add up.")
  static final class Report implements java.util.concurrent.Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Option(names = "--journal", required = true, paramLabel = "FILE|postgresql://HOST:PORT/DB",
        description = "The job's journal: a file, or a shared PostgreSQL database (credentials from "
            + "PERSO_JOURNAL_USER and PERSO_JOURNAL_PASSWORD or PERSO_JOURNAL_PASSWORD_FILE).")
    String journal;

    @Override
    public Integer call() {
      try (Journal j = open(journal)) {
        Reconciliation r = j.reconcile();
        output.print(spec.commandLine().getOut(), ReportText.json(r), ReportText.text(r));
        return r.addsUp() ? 0 : PersoCli.EXIT_FAILURE;
      }
    }
  }
}
