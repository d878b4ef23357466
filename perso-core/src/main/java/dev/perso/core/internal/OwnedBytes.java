package dev.perso.core.internal;

import dev.perso.core.Bytes;
import java.util.Objects;
import java.util.function.Function;

/**
 * For the SDK's own modules only (a qualified export): wraps a freshly made array as {@link Bytes}
 * without the defensive copy, when the caller made the array and never touches it again. Not an API: a
 * caller that kept writing to the array would break {@code Bytes}' immutability.
 */
public final class OwnedBytes {
  private static volatile Function<byte[], Bytes> wrapper;

  private OwnedBytes() {}

  /**
   * Called once by {@link Bytes} when it initializes.
   *
   * @param w the wrapping constructor
   */
  public static void install(Function<byte[], Bytes> w) {
    if (wrapper != null) {
      throw new IllegalStateException("already installed");
    }
    wrapper = Objects.requireNonNull(w, "w");
  }

  /**
   * @param owned an array nobody else will write to again
   * @return an immutable value over that array
   */
  public static Bytes wrap(byte[] owned) {
    Function<byte[], Bytes> w = wrapper;
    if (w == null) {
      Bytes.empty();   // initializes Bytes, which installs the wrapper
      w = wrapper;
    }
    return w.apply(Objects.requireNonNull(owned, "owned"));
  }
}
