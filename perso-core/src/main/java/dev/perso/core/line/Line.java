package dev.perso.core.line;

import dev.perso.core.ValidationException;
import dev.perso.core.event.PersoEvents;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A line: several machines of different kinds run from one job. A dispatcher gives each record to a
 * machine that has every role its card type needs, keeping every machine busy. The line runs on an
 * injectable {@link LineClock}: virtual in tests (a 64-station line with second-long operations runs in
 * seconds), the system clock in production and in the demo.
 *
 * <pre>{@code
 * try (Line line = Line.builder().machine(mx1).machine(desk1).clock(LineClock.system()).build();
 *      Journal journal = Journal.sqlite(Path.of("job-42.db"));
 *      RecordSource records = JsonLinesRecords.open(Path.of("batch.jsonl"))) {
 *   JobReport report = line.run(Job.of("job-42", records, debit, journal), events);  // resumes if the journal has state
 * }
 * }</pre>
 */
public final class Line implements AutoCloseable {
  private final String name;
  private final List<Machine> machines;
  private final LineClock clock;
  private final RetryPolicy retry;

  private Line(Builder b) {
    this.name = b.name;
    this.machines = List.copyOf(b.machines);
    this.clock = b.clock;
    this.retry = b.retry;
  }

  /** @return a builder */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the line's name */
  public String name() {
    return name;
  }

  /** @return the machines */
  public List<Machine> machines() {
    return machines;
  }

  /** @return the clock */
  public LineClock clock() {
    return clock;
  }

  /** @return the retry policy */
  public RetryPolicy retry() {
    return retry;
  }

  /**
   * Runs a job to its end: every record is issued, rejected with a reason, or left QUEUED in the journal
   * if every machine able to take it went down. Resumes a job the journal already holds: cards a crash
   * left inside the machines are purged to the reject bin (or ejected, if journaled issued) and their
   * records remade.
   *
   * @param job the job
   * @param events the listener
   * @return what the run did, with the journal's reconciliation
   * @throws ValidationException if no machine can run the card type
   * @throws dev.perso.core.journal.JournalException if the journal fails (the run stops; resume later)
   */
  public JobReport run(Job job, PersoEvents events) {
    return new LineRun(this, job, Objects.requireNonNull(events, "events")).run();
  }

  /** Closes every machine's devices. */
  @Override
  public void close() {
    RuntimeException first = null;
    for (Machine m : machines) {
      try {
        m.close();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  @Override
  public String toString() {
    return "line " + name + " " + machines;
  }

  /** Builds a {@link Line}. */
  public static final class Builder {
    private String name = "line";
    private final List<Machine> machines = new ArrayList<>();
    private LineClock clock = LineClock.system();
    private RetryPolicy retry = RetryPolicy.DEFAULT;

    private Builder() {}

    /**
     * @param name the line's name
     * @return this
     */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * @param machine a machine
     * @return this
     */
    public Builder machine(Machine machine) {
      machines.add(Objects.requireNonNull(machine, "machine"));
      return this;
    }

    /**
     * @param clock the clock the line runs on (its devices should take their time on the same clock)
     * @return this
     */
    public Builder clock(LineClock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * @param retry station retries and remakes
     * @return this
     */
    public Builder retry(RetryPolicy retry) {
      this.retry = Objects.requireNonNull(retry, "retry");
      return this;
    }

    /** @return the line, with at least one machine and unique machine ids */
    public Line build() {
      if (machines.isEmpty()) {
        throw new ValidationException("line " + name, "has no machine");
      }
      Set<String> ids = new HashSet<>();
      for (Machine m : machines) {
        if (!ids.add(m.id())) {
          throw new ValidationException("line " + name, "two machines are named " + m.id());
        }
      }
      return new Line(this);
    }
  }
}
