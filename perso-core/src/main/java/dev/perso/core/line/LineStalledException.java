package dev.perso.core.line;

import dev.perso.core.PersoException;

/**
 * Every thread of a line waits for another and none can move: on a virtual clock this is found at once
 * and reported instead of hanging.
 *
 * <pre>{@code
 * catch (LineStalledException e) { log.error("line stalled: {}", e.getMessage()); }
 * }</pre>
 */
public class LineStalledException extends PersoException {
  private static final long serialVersionUID = 1L;

  /** @param message what is waiting for what */
  public LineStalledException(String message) {
    super(message);
  }
}
