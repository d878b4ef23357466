package dev.perso.core.line;

import dev.perso.core.ValidationException;
import dev.perso.core.journal.Journal;
import dev.perso.core.record.RecordSource;
import dev.perso.core.step.CardType;
import java.util.Objects;

/**
 * A batch to run: its id, the records (streamed), the card type and the journal. Running a job again with
 * the same journal resumes it: DONE records are skipped, the rest continue.
 *
 * <pre>{@code
 * try (Journal journal = Journal.sqlite(Path.of("job-42.db"));
 *      RecordSource records = JsonLinesRecords.open(Path.of("batch.jsonl"))) {
 *   JobReport report = line.run(Job.of("job-42", records, debit, journal), events);
 * }
 * }</pre>
 *
 * @param id the job's id
 * @param records the records; read once, one at a time
 * @param cardType the card type every record is personalized as
 * @param journal the journal
 * @param expectedRecords how many records the input holds, for progress and ETA, or -1 if unknown
 */
public record Job(String id, RecordSource records, CardType cardType, Journal journal, long expectedRecords) {
  /** Checks the values. */
  public Job {
    if (id == null || id.isBlank()) {
      throw new ValidationException("job", "id must not be blank");
    }
    Objects.requireNonNull(records, "records");
    Objects.requireNonNull(cardType, "cardType");
    Objects.requireNonNull(journal, "journal");
  }

  /**
   * @param id the job's id
   * @param records the records
   * @param cardType the card type
   * @param journal the journal
   * @return the job, record count unknown
   */
  public static Job of(String id, RecordSource records, CardType cardType, Journal journal) {
    return new Job(id, records, cardType, journal, -1);
  }

  /**
   * @param n how many records the input holds
   * @return this job with the count known
   */
  public Job expecting(long n) {
    return new Job(id, records, cardType, journal, n);
  }
}
