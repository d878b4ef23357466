package dev.perso.core;

import java.util.Objects;

/**
 * A value broke a rule when it was built: the field and the rule are named.
 *
 * <pre>{@code
 * throw new ValidationException("p1", "must be 0..255, was 256");
 * }</pre>
 */
public class ValidationException extends PersoException {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final String rule;

  /**
   * @param field the name of the offending field, as the caller knows it
   * @param rule the rule it broke, in words; never the secret value itself
   */
  public ValidationException(String field, String rule) {
    super(Objects.requireNonNull(field, "field") + ": " + Objects.requireNonNull(rule, "rule"));
    this.field = field;
    this.rule = rule;
  }

  /** @return the name of the offending field */
  public String field() {
    return field;
  }

  /** @return the rule the field broke */
  public String rule() {
    return rule;
  }
}
