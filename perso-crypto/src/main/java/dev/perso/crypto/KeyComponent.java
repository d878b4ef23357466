package dev.perso.crypto;

import dev.perso.core.Bytes;
import dev.perso.core.ValidationException;

/**
 * One clear key component as a key custodian enters it, with the KCV printed on its form.
 *
 * <pre>{@code
 * KeyComponent c1 = KeyComponent.of(Bytes.fromHex("...32 hex..."), Bytes.fromHex("A1B2C3"));
 * }</pre>
 *
 * @param value the component bytes (printed masked)
 * @param kcv the component's expected check value (template's KCV method)
 */
public record KeyComponent(Bytes value, Bytes kcv) {
  /** Checks and marks the value secret. */
  public KeyComponent {
    if (value == null || value.isEmpty()) {
      throw new ValidationException("component", "must not be empty");
    }
    if (kcv == null || kcv.isEmpty()) {
      throw new ValidationException("kcv", "each component needs its check value");
    }
    value = value.asSecret();
  }

  /**
   * @param value component bytes
   * @param kcv expected check value
   * @return the component
   */
  public static KeyComponent of(Bytes value, Bytes kcv) {
    return new KeyComponent(value, kcv);
  }

  @Override
  public String toString() {
    return "KeyComponent[" + value.length() + " bytes, kcv=" + kcv.toHex() + "]";
  }
}
