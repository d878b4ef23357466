package dev.perso.gp;

import dev.perso.core.MalformedDataException;

/**
 * A CAP file that cannot be loaded: not a ZIP, a component missing, or a component whose content breaks
 * the Java Card VM specification (§6); the message names the component and the rule.
 *
 * <pre>{@code
 * try { CapFile.read(path); } catch (CapFormatException e) { System.err.println(e.component() + ": " + e.reason()); }
 * }</pre>
 */
public class CapFormatException extends MalformedDataException {
  private static final long serialVersionUID = 1L;

  private final String component;

  /**
   * @param component the component (Header, Directory...) or "ZIP" for the container
   * @param offset the offset inside the component, or -1
   * @param reason the rule broken
   */
  public CapFormatException(String component, int offset, String reason) {
    super(offset, reason, "CAP file " + component + " component" + (offset >= 0 ? " at offset " + offset : "") + ": "
        + reason);
    this.component = component;
  }

  /** @return the component at fault, or "ZIP" */
  public String component() {
    return component;
  }
}
