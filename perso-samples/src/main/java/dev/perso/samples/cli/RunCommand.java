package dev.perso.samples.cli;

import dev.perso.core.TransportException;
import dev.perso.core.ValidationException;
import dev.perso.core.device.DeviceContext;
import dev.perso.core.event.PersoEvents;
import dev.perso.core.journal.JobStatus;
import dev.perso.core.journal.Journal;
import dev.perso.core.line.Job;
import dev.perso.core.line.JobReport;
import dev.perso.core.line.Line;
import dev.perso.core.line.LineClock;
import dev.perso.core.record.JsonLinesRecords;
import dev.perso.core.record.RecordSource;
import dev.perso.core.step.CardType;
import dev.perso.core.step.IdentifyStep;
import dev.perso.core.step.PersoStep;
import dev.perso.core.step.PreviousStage;
import dev.perso.core.step.Stage;
import dev.perso.core.step.StepEnvironment;
import dev.perso.crypto.CryptoBackend;
import dev.perso.crypto.KeyLookup;
import dev.perso.crypto.SoftwareBackend;
import dev.perso.devices.virtual.PhysicalCard;
import dev.perso.devices.virtual.VirtualWorld;
import dev.perso.samples.line.ExampleLines;
import dev.perso.samples.line.VirtualHopperFile;
import dev.perso.samples.line.ReportText;
import dev.perso.samples.line.ProgressPrinter;
import dev.perso.samples.prep.DemoKeys;
import dev.perso.samples.prep.SampleCardTypes;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
 * perso run --line virtual-conveyor --card-type debit-two-stages --stage chip --input batch.jsonl --journal job-42.chip.db
 * perso run --line virtual-desktop --card-type debit-two-stages --stage finish --input batch.jsonl \
 *     --journal job-42.finish.db --previous-journal job-42.chip.db
 * </pre>
 *
 * <p>Stages: a card type that declares stages runs one stage per {@code perso run}, named with {@code --stage}.
 * Each stage of a job has its own journal (a journal keeps one stage); a later stage whose steps identify the
 * cards by the earlier stage reads that stage's journal, given with {@code --previous-journal}, and keeps the
 * job id it holds.
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
      description = "The card type: a JSON file, or a shipped example (debit-example, chip-example, "
          + "debit-two-stages, loyalty-memory).")
  String cardType;

  @Option(names = "--stage", paramLabel = "NAME",
      description = "Run only this stage of a card type that declares stages (required for such a card type); "
          + "each stage has its own journal.")
  String stage;

  @Option(names = "--previous-journal", paramLabel = "FILE|postgresql://HOST:PORT/DB",
      description = "The journal of the stage before --stage, which this stage's identify steps find each card's "
          + "record in (credentials as for --journal, from the environment or a file). The job id defaults to "
          + "the one it holds.")
  String previousJournal;

  @Option(names = "--virtual-hopper", paramLabel = "FILE",
      description = "Load the cards of a file --virtual-output-hopper wrote (an earlier stage's, possibly reordered or "
          + "with lines deleted) as the virtual line's whole hopper: no blank is fed after them, and the records whose "
          + "cards are missing stay QUEUED. The file keeps each card's chip identity (its CPLC) only.")
  Path virtualHopper;

  @Option(names = "--virtual-output-hopper", paramLabel = "FILE",
      description = "Append the cards this run issued on a virtual line to a file, for a later stage's "
          + "--virtual-hopper (chip identity only: no keys, PINs, stripe or surface).")
  Path virtualOutputHopper;

  @Option(names = "--cards-loaded", paramLabel = "N",
      description = "For a stage that identifies cards by feed order: how many cards the hopper holds (checked "
          + "against the cards the earlier stage issued).")
  Long cardsLoaded;

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
    JournalAddress previousAddress = previousJournal == null ? null
        : JournalAddress.of("--previous-journal", previousJournal);
    try (CryptoBackend crypto = new SoftwareBackend(); DemoKeys keys = DemoKeys.open();
         Journal before = previousAddress == null ? null : previousAddress.openExisting(System.getenv())) {
      StepEnvironment.Builder eb = StepEnvironment.builder(Path.of("."))
          .service(CryptoBackend.class, crypto).service(KeyLookup.class, keys);
      if (before != null) {
        eb.service(PreviousStage.class, cardsLoaded == null ? PreviousStage.of(before)
            : PreviousStage.of(before).cardsLoaded(cardsLoaded));
      }
      StepEnvironment env = eb.build();
      // Everything that can be wrong with the files is found before a device opens or the journal is touched.
      CardType type = stageOf(SampleCardTypes.load(cardType, env));
      JobStatus earlier = checkPrevious(type, before);
      int maxLine = limit.bytes();
      long expected = countRecords(input);
      LineClock clock = virtualClock ? LineClock.virtual() : LineClock.system();
      DeviceContext.Builder ctx = DeviceContext.builder().clock(clock);
      type.virtualCardStock().ifPresent(ctx::cardStock);
      DeviceContext context = ctx.build();
      java.util.List<PhysicalCard> loaded = virtualHopper == null ? java.util.List.of()
          : VirtualHopperFile.read(virtualHopper);
      boolean terminal = !output.json && System.console() != null;
      ProgressPrinter progress = new ProgressPrinter(output.json ? new PrintWriter(PrintWriter.nullWriter()) : out,
          clock, expected, terminal);
      JournalAddress address = JournalAddress.of(journal);
      if (job != null && earlier != null && !job.equals(earlier.jobId())) {
        throw new ValidationException("--job", "the earlier stage's journal keeps job " + earlier.jobId()
            + ", not " + job);
      }
      String jobId = job != null ? job : earlier != null ? earlier.jobId() : address.defaultJobId(type.stageName());
      JobReport report;
      try (Line l = ExampleLines.load(line, context)) {
        if (virtualHopper != null) {
          if (l.machines().size() != 1) {
            throw new ValidationException("--virtual-hopper", "loads the hopper of a line of one machine; line "
                + l.name() + " has " + l.machines().size());
          }
          VirtualWorld.of(context).loadWholeHopper(l.machines().get(0).transport().id(), loaded);
        }
        try (RecordSource records = JsonLinesRecords.open(input, maxLine);
             Journal j = address.openForRun(durability, controller, System.getenv())) {
          if (!output.json) {
            out.println("perso run: " + type + " on " + l + ", " + expected + " records from " + input
                + ", journal " + journal + (virtualClock ? " (virtual clock)" : ""));
            out.flush();
          }
          report = l.run(Job.of(jobId, records, type, j).expecting(expected), PersoEvents.composite(progress));
        }
        if (virtualOutputHopper != null) {
          VirtualHopperFile.append(virtualOutputHopper, VirtualWorld.of(context).outputHopper());
        }
      }
      progress.finish();
      Map<String, Object> json = new LinkedHashMap<>();
      if (!type.stageName().isEmpty()) {
        json.put("stage", type.stageName());
      }
      json.putAll(json(report));
      output.print(out, json, (type.stageName().isEmpty() ? "" : "stage " + type.stageName() + ": ") + text(report));
    }
  }

  /** The stage --stage names, or the whole card type when it declares none. */
  private CardType stageOf(CardType whole) {
    java.util.List<String> names = whole.stages().stream().map(Stage::name).toList();
    if (stage == null) {
      if (whole.hasStages()) {
        throw new ValidationException("--stage", "card type " + whole.name() + " declares stages " + names
            + ": name the one to run");
      }
      return whole;
    }
    if (!whole.hasStages()) {
      throw new ValidationException("--stage", "card type " + whole.name() + " declares no stages");
    }
    try {
      return whole.stage(stage);
    } catch (ValidationException e) {
      throw new ValidationException("--stage", e.rule());
    }
  }

  /**
   * Checks the earlier stage's journal against the stage to run and makes the identify steps ready, before
   * any device opens.
   *
   * @return the earlier stage's status, or null without --previous-journal
   */
  private JobStatus checkPrevious(CardType type, Journal before) {
    Optional<Stage> previous = type.previousStage();
    String what = type.stageName().isEmpty() ? "card type " + type.name()
        : "stage " + type.stageName() + " of card type " + type.name();
    boolean feedOrder = false;
    boolean needs = false;
    for (PersoStep s : type.steps()) {
      if (s instanceof IdentifyStep i && i.needsPreviousStage()) {
        needs = true;
        feedOrder |= i.output().isEmpty();
      }
    }
    if (cardsLoaded != null && !feedOrder) {
      throw new ValidationException("--cards-loaded", what + " does not identify its cards by feed order");
    }
    if (before == null) {
      if (needs) {
        throw new ValidationException("--previous-journal", what + " identifies its cards by the records stage "
            + previous.map(Stage::name).orElse("?") + " issued: give that stage's journal (FILE or postgresql://...)");
      }
      return null;
    }
    if (previous.isEmpty()) {
      throw new ValidationException("--previous-journal", what + " has no earlier stage");
    }
    JobStatus st = before.status();
    if (!st.cardType().equals(type.name()) || !st.stage().equals(previous.get().name())) {
      throw new ValidationException("--previous-journal", "the journal keeps " + (st.jobId().isEmpty() ? "no job"
          : "job " + st.jobId() + (st.stage().isEmpty() ? "" : " stage " + st.stage()) + " of card type "
          + st.cardType()) + ", not stage " + previous.get().name() + " of card type " + type.name());
    }
    for (PersoStep s : type.steps()) {
      if (s instanceof IdentifyStep i) {
        try {
          i.ready();
        } catch (ValidationException e) {
          throw new ValidationException(feedOrder ? "--cards-loaded" : "--previous-journal", e.rule());
        }
      }
    }
    return st;
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
