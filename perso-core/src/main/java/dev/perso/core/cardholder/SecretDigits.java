package dev.perso.core.cardholder;

import dev.perso.core.SecretBytes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Decimal digits held as {@link SecretBytes} (ASCII), shared by {@link Pin} and {@link Cvv}: printed as
 * their length only, wiped by {@link #close()}, compared in constant time.
 */
abstract class SecretDigits implements AutoCloseable {
  private final SecretBytes digits;

  SecretDigits(String field, String text, int min, int max) {
    Pan.requireDigits(field, text, min, max);
    this.digits = SecretBytes.takeOwnership(text.getBytes(StandardCharsets.US_ASCII));
  }

  /** @return the number of digits */
  public int length() {
    return digits.length();
  }

  /**
   * The digits as text, for the one call that needs them (a PIN block, a PVV); the string cannot be
   * wiped, so keep it short-lived.
   *
   * @return the digits
   */
  public String reveal() {
    return digits.apply(b -> new String(b, StandardCharsets.US_ASCII));
  }

  /**
   * @param other digits of the same kind
   * @return true when equal, in time independent of where they differ
   */
  public boolean matches(SecretDigits other) {
    return other != null && other.getClass() == getClass() && digits.constantTimeEquals(other.digits);
  }

  /** Wipes the digits; later use throws. */
  @Override
  public void close() {
    digits.close();
  }

  /** @return true once wiped */
  public boolean isWiped() {
    return digits.isDestroyed();
  }

  /** Value equality would invite non-constant-time comparison: use {@link #matches}. */
  @Override
  public final boolean equals(Object o) {
    return this == o;
  }

  @Override
  public final int hashCode() {
    return System.identityHashCode(this);
  }

  @Override
  public String toString() {
    char[] stars = new char[digits.isDestroyed() ? 0 : digits.length()];
    Arrays.fill(stars, '*');
    return getClass().getSimpleName() + "[" + (digits.isDestroyed() ? "wiped" : new String(stars)) + "]";
  }
}
