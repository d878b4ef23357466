package dev.perso.crypto;

import dev.perso.core.Bytes;
import dev.perso.core.ValidationException;
import java.util.Objects;

/**
 * A key check value together with the convention it was computed with. Not secret.
 *
 * <pre>{@code
 * Kcv expected = Kcv.of(KcvMethod.ENCRYPT_ZEROS, "08D7B4");
 * expected.matches(backend.kcv(key, KcvMethod.ENCRYPT_ZEROS));   // true
 * }</pre>
 *
 * @param method the convention
 * @param value the check value bytes (1..16)
 */
public record Kcv(KcvMethod method, Bytes value) {
  /** Checks the components. */
  public Kcv {
    Objects.requireNonNull(method, "method");
    if (value == null || value.isEmpty() || value.length() > 16) {
      throw new ValidationException("kcv", "must be 1..16 bytes");
    }
  }

  /**
   * @param method the convention
   * @param hex the value in hex
   * @return a check value
   */
  public static Kcv of(KcvMethod method, String hex) {
    return new Kcv(method, Bytes.fromHex(hex));
  }

  /**
   * Compares with another KCV in constant time: same method, and the shorter value is a prefix of the
   * longer one (a 3-byte KCV matches the first 3 bytes of a 5-byte one).
   *
   * @param other the other KCV
   * @return true if they agree
   */
  public boolean matches(Kcv other) {
    if (other == null || other.method != method) {
      return false;
    }
    int n = Math.min(value.length(), other.value.length());
    return value.slice(0, n).constantTimeEquals(other.value.slice(0, n));
  }

  /** @return the value as upper-case hex */
  public String hex() {
    return value.toHex();
  }

  @Override
  public String toString() {
    return "Kcv[" + method + " " + value.toHex() + "]";
  }
}
