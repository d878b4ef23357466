package dev.perso.samples.cli;

import dev.perso.core.TransportException;
import dev.perso.core.device.DeviceContext;
import dev.perso.core.event.PersoEvents;
import dev.perso.core.journal.Journal;
import dev.perso.core.line.Job;
import dev.perso.core.line.JobReport;
import dev.perso.core.line.Line;
import dev.perso.core.line.LineClock;
import dev.perso.core.record.JsonLinesRecords;
import dev.perso.core.record.RecordSource;
import dev.perso.core.step.CardType;
import dev.perso.core.step.StepEnvironment;
import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.KeyLookup;
import dev.perso.crypto.SoftwareBackend;
import dev.perso.emv.cps.ExampleCardTypes;
import dev.perso.samples.line.ExampleLines;
import dev.perso.samples.line.ReportText;
import dev.perso.samples.line.ProgressPrinter;
import dev.perso.samples.prep.DemoKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code perso run}: runs a batch of card records through a line, journaled, exactly once and resumable:
 * running it again with the same journal continues where it stopped.
 *
 * <pre>
 * perso run --line virtual-conveyor --card-type debit-example --input batch.jsonl --journal job.db
 * perso run --line line.json --card-type type.json --input batch.jsonl --journal job.db --json
 * </pre>
 */
@Command(name = "run", description = "Personalize a batch of records on a line of machines, journaled: every card "
    + "issued exactly once, resumable by running the same command again.")
final class RunCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Mixin
  OutputOptions output;

  @Option(names = "--line", required = true, paramLabel = "FILE|NAME",
      description = "The line: a JSON file, or a shipped example (virtual-conveyor, virtual-desktop).")
  String line;

  @Option(names = "--card-type", required = true, paramLabel = "FILE|NAME",
      description = "The card type: a JSON file, or a shipped example (debit-example, chip-example).")
  String cardType;

  @Option(names = "--input", required = true, paramLabel = "FILE", description = "The records (JSON Lines).")
  Path input;

  @Option(names = "--journal", required = true, paramLabel = "FILE|postgresql://HOST:PORT/DB",
      description = "The job's journal: an SQLite file (created if absent, resumed if present), or a shared "
          + "PostgreSQL database that several perso run processes take the job's records from (credentials from "
          + "PERSO_JOURNAL_USER and PERSO_JOURNAL_PASSWORD or PERSO_JOURNAL_PASSWORD_FILE).")
  String journal;

  @Option(names = "--controller", paramLabel = "ID",
      description = "This controller's id on a shared journal: the same on every restart of this controller, "
          + "unique among those sharing the job (default: the host name).")
  String controller;

  @Mixin
  CpsCommand.LineLimit limit;

  @Option(names = "--job", paramLabel = "ID", description = "The job's id (default: the journal's file name).")
  String job;

  @Option(names = "--virtual-clock", description = "Run the line on a virtual clock: device times pass at once "
      + "(for trying a line's throughput; the cards are still personalized for real).")
  boolean virtualClock;

  @Option(names = "--durability", defaultValue = "FULL", paramLabel = "FULL|PROCESS_CRASH_SAFE",
      description = "How hard the journal syncs: FULL (default) survives power loss; PROCESS_CRASH_SAFE survives "
          + "a crash of the process.")
  dev.perso.core.journal.Durability durability;

  @Override
  public void run() {
    PrintWriter out = spec.commandLine().getOut();
    try (CryptoBackend crypto = new SoftwareBackend(); DemoKeys keys = DemoKeys.open()) {
      StepEnvironment env = StepEnvironment.builder(Path.of("."))
          .service(CryptoBackend.class, crypto).service(KeyLookup.class, keys).build();
      // Everything that can be wrong with the files is found before a device opens or the journal is touched.
      CardType type = ExampleCardTypes.load(cardType, env);
      int maxLine = limit.bytes();
      long expected = countRecords(input);
      LineClock clock = virtualClock ? LineClock.virtual() : LineClock.system();
      DeviceContext.Builder ctx = DeviceContext.builder().clock(clock);
      type.virtualCardStock().ifPresent(ctx::cardStock);
      boolean terminal = !output.json && System.console() != null;
      ProgressPrinter progress = new ProgressPrinter(output.json ? new PrintWriter(PrintWriter.nullWriter()) : out,
          clock, expected, terminal);
      JournalAddress address = JournalAddress.of(journal);
      String jobId = job != null ? job : address.defaultJobId();
      JobReport report;
      try (Line l = ExampleLines.load(line, ctx.build());
           RecordSource records = JsonLinesRecords.open(input, maxLine);
           Journal j = address.openForRun(durability, controller, System.getenv())) {
        if (!output.json) {
          out.println("perso run: " + type + " on " + l + ", " + expected + " records from " + input
              + ", journal " + journal + (virtualClock ? " (virtual clock)" : ""));
          out.flush();
        }
        report = l.run(Job.of(jobId, records, type, j).expecting(expected), PersoEvents.composite(progress));
      }
      progress.finish();
      output.print(out, json(report), text(report));
    }
  }

  /** Counts the non-blank lines, for progress and ETA; checks the file can be read. */
  static long countRecords(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new TransportException("cannot open records " + file + ": "
          + (Files.isDirectory(file) ? "it is a directory" : "no such file"));
    }
    long n = 0;
    boolean content = false;
    byte[] chunk = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int got = in.read(chunk); got >= 0; got = in.read(chunk)) {
        for (int i = 0; i < got; i++) {
          byte b = chunk[i];
          if (b == '\n') {
            n += content ? 1 : 0;
            content = false;
          } else if (b != ' ' && b != '\r' && b != '\t') {
            content = true;
          }
        }
      }
    } catch (IOException e) {
      throw new TransportException("cannot read records " + file + ": " + e.getMessage(), e);
    }
    return n + (content ? 1 : 0);
  }

  static Map<String, Object> json(JobReport r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("job", r.jobId());
    m.put("resumed", r.resumed());
    m.put("started", r.started().toString());
    m.put("ended", r.ended().toString());
    m.put("seconds", r.elapsed().toMillis() / 1000.0);
    m.put("recordsRead", r.recordsRead());
    m.put("alreadyFinished", r.alreadyFinished());
    m.put("issued", r.issued());
    m.put("rejectedCards", r.rejectedCards());
    m.put("remade", r.remade());
    m.put("recordsRejected", r.recordsRejected());
    m.put("purged", r.purged());
    m.put("cardsPerHour", Math.round(r.cardsPerHour()));
    Map<String, Object> machines = new LinkedHashMap<>();
    r.byMachine().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> machines.put(e.getKey(), Map.of("issued", e.getValue().issued(), "rejected", e.getValue().rejected())));
    m.put("machines", machines);
    m.put("reconciliation", ReportText.json(r.reconciliation()));
    return m;
  }

  static String text(JobReport r) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "job %s%s: %d records read (%d already finished), %d issued, %d rejected "
        + "cards (%d remade), %d records rejected, %d purged, in %.1f s (%,.0f cards/hour)%n", r.jobId(),
        r.resumed() ? " (resumed)" : "", r.recordsRead(), r.alreadyFinished(), r.issued(), r.rejectedCards(), r.remade(),
        r.recordsRejected(), r.purged(), r.elapsed().toMillis() / 1000.0, r.cardsPerHour()));
    r.byMachine().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> sb.append("  ")
        .append(e.getKey()).append(": ").append(e.getValue().issued()).append(" issued, ")
        .append(e.getValue().rejected()).append(" rejected\n"));
    sb.append(ReportText.text(r.reconciliation()));
    return sb.toString();
  }
}
