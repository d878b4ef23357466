package dev.perso.devices.surface;

import dev.perso.core.ValidationException;
import java.util.List;

/**
 * A surface layout or a record's surface breaks a rule: the field names the record (or layout) and the
 * first element, the rule says what; {@link #checks()} lists every error found.
 *
 * <pre>{@code
 * try { layout.plan(record); } catch (SurfaceValidationException e) { e.checks().forEach(System.err::println); }
 * }</pre>
 */
public final class SurfaceValidationException extends ValidationException {
  private static final long serialVersionUID = 1L;

  private final transient List<SurfaceCheck> checks;

  /**
   * @param where the record's location (or the layout's name)
   * @param checks the errors, at least one
   */
  public SurfaceValidationException(String where, List<SurfaceCheck> checks) {
    super(where + " surface." + checks.get(0).element(), checks.get(0).rule() + ": " + checks.get(0).detail()
        + (checks.size() > 1 ? " (and " + (checks.size() - 1) + " more)" : ""));
    this.checks = List.copyOf(checks);
  }

  /** @return every error found */
  public List<SurfaceCheck> checks() {
    return checks;
  }
}
