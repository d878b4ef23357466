package dev.perso.core.line;

import dev.perso.core.ValidationException;

/**
 * How a line retries. A card that fails at a station before anything was written to it moves to another
 * station of the same module, up to {@code stationRetries} times; a card that fails after a write is
 * rejected, and its record is remade on a new card up to {@code remakes} times, then rejected for good.
 *
 * <pre>{@code
 * Line.builder().retry(new RetryPolicy(2, 1)) ...
 * }</pre>
 *
 * @param stationRetries moves to another station per card, 0 or more
 * @param remakes new cards per record after the first, 0 or more
 */
public record RetryPolicy(int stationRetries, int remakes) {
  /** Two station retries, one remake. */
  public static final RetryPolicy DEFAULT = new RetryPolicy(2, 1);

  /** Checks the values. */
  public RetryPolicy {
    if (stationRetries < 0 || remakes < 0) {
      throw new ValidationException("retry", "counts must be 0 or more");
    }
  }

  /**
   * @param attempts cards already used for a record, this one included
   * @return whether the record may have another card
   */
  public boolean mayRemake(int attempts) {
    return attempts <= remakes;
  }
}
