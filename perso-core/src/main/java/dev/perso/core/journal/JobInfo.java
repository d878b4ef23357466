package dev.perso.core.journal;

import java.time.Instant;
import java.util.Objects;

/**
 * A job (or one stage of a job) as the journal knows it.
 *
 * <pre>{@code
 * JobInfo job = journal.begin("job-42", "debit-example", "batch.jsonl", clock.now());
 * if (job.runs() > 1) log.info("resuming {}", job.jobId());
 * }</pre>
 *
 * @param jobId the job's id
 * @param cardType the card type's name
 * @param input the input's name
 * @param started when the job's first run started
 * @param runs how many runs, this one included
 * @param stage the stage this journal keeps, {@code ""} for a job without declared stages
 */
public record JobInfo(String jobId, String cardType, String input, Instant started, int runs, String stage) {
  /** Normalises a null stage to {@code ""}. */
  public JobInfo {
    stage = stage == null ? "" : stage;
    Objects.requireNonNull(jobId, "jobId");
  }

  /**
   * A job without declared stages.
   *
   * @param jobId the job's id
   * @param cardType the card type's name
   * @param input the input's name
   * @param started when the job's first run started
   * @param runs how many runs, this one included
   */
  public JobInfo(String jobId, String cardType, String input, Instant started, int runs) {
    this(jobId, cardType, input, started, runs, "");
  }

  /** @return true if an earlier run of this job exists */
  public boolean resumed() {
    return runs > 1;
  }
}
