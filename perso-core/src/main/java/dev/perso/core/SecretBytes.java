package dev.perso.core;

import dev.perso.core.internal.Hex;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.function.Function;
import javax.security.auth.Destroyable;

/**
 * Wipeable secret bytes (keys, PINs, CVVs, track data) that are never printed. {@link #close()}
 * zeroes the content; any later use throws {@link IllegalStateException}. Equality is identity so
 * that no hash of the content is ever computed.
 *
 * <pre>{@code
 * try (SecretBytes key = SecretBytes.fromHex("404142434445464748494A4B4C4D4E4F")) {
 *   byte[] mac = key.apply(k -> macEngine.mac(k, data));   // k is only valid inside the call
 * }                                                          // key is zeroed here
 * }</pre>
 */
public final class SecretBytes implements AutoCloseable, Destroyable {
  private final byte[] data;
  private volatile boolean destroyed;

  private SecretBytes(byte[] data) {
    this.data = data;
  }

  /**
   * Copies the bytes; the caller should wipe its own array afterwards.
   *
   * @param bytes the secret bytes (copied)
   * @return a wipeable holder
   */
  public static SecretBytes copyOf(byte[] bytes) {
    return new SecretBytes(bytes.clone());
  }

  /**
   * Takes ownership of the array without copying; the holder wipes it on {@link #close()}.
   *
   * @param owned an array the caller will not use again
   * @return a wipeable holder over that array
   */
  public static SecretBytes takeOwnership(byte[] owned) {
    return new SecretBytes(owned);
  }

  /**
   * Parses hex into a secret (for test keys and key components typed by an officer).
   *
   * @param hex the hex text
   * @return a wipeable holder
   * @throws MalformedDataException if not hex; the message names the offset, never the content
   */
  public static SecretBytes fromHex(CharSequence hex) {
    return new SecretBytes(Hex.decode(hex));
  }

  /** @return number of bytes */
  public int length() {
    checkAlive();
    return data.length;
  }

  /**
   * Runs {@code use} with the internal array. The array must not be kept or modified past the call.
   *
   * @param use the function to run
   * @param <T> its result
   * @return what {@code use} returns
   */
  public <T> T apply(Function<byte[], T> use) {
    checkAlive();
    return use.apply(data);
  }

  /** @return a copy the caller must wipe ({@code Arrays.fill(copy, (byte) 0)}) after use */
  public byte[] copy() {
    checkAlive();
    return data.clone();
  }

  /** @return an independent secret holding the same bytes */
  public SecretBytes duplicate() {
    checkAlive();
    return new SecretBytes(data.clone());
  }

  /**
   * Compares contents in constant time.
   *
   * @param other the other secret
   * @return true if equal in length and content
   */
  public boolean constantTimeEquals(SecretBytes other) {
    checkAlive();
    other.checkAlive();
    return MessageDigest.isEqual(data, other.data);
  }

  private void checkAlive() {
    if (destroyed) {
      throw new IllegalStateException("secret bytes used after close()");
    }
  }

  /** Zeroes the content. Idempotent. */
  @Override
  public void close() {
    Arrays.fill(data, (byte) 0);
    destroyed = true;
  }

  /** Same as {@link #close()}. */
  @Override
  public void destroy() {
    close();
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  /** @return {@code SecretBytes[16 bytes]} or {@code SecretBytes[wiped]}; never the content */
  @Override
  public String toString() {
    return destroyed ? "SecretBytes[wiped]" : "SecretBytes[" + data.length + " bytes]";
  }
}
