package dev.perso.core;

import dev.perso.core.internal.Hex;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * An immutable sequence of bytes with hex in and out, slicing, concatenation and XOR.
 *
 * <p>A value can be <em>marked secret</em> ({@link #secret(byte[])}, {@link #asSecret()}); its
 * {@link #toString()} then prints only its length. Marking is sticky: slices, concatenations and XORs
 * involving a secret value are secret too. For key material that must be wiped, use
 * {@link SecretBytes}.
 *
 * <pre>{@code
 * Bytes aid = Bytes.fromHex("A0000000041010");
 * Bytes select = Bytes.fromHex("00A40400").concat(Bytes.of(aid.length())).concat(aid);
 * select.toHex();          // "00A4040007A0000000041010"
 * aid.slice(0, 5);         // RID A000000004
 * }</pre>
 */
public final class Bytes implements Comparable<Bytes> {
  private static final Bytes EMPTY = new Bytes(new byte[0], false);

  static {
    dev.perso.core.internal.OwnedBytes.install(owned -> new Bytes(owned, false));
  }

  private final byte[] data;
  private final boolean secret;
  private int hash;

  private Bytes(byte[] data, boolean secret) {
    this.data = data;
    this.secret = secret;
  }

  /** @return the empty value */
  public static Bytes empty() {
    return EMPTY;
  }

  /**
   * Copies the given bytes.
   *
   * @param bytes the bytes (copied)
   * @return an immutable value
   */
  public static Bytes of(byte... bytes) {
    if (bytes == null) {
      throw new ValidationException("bytes", "must not be null");
    }
    return bytes.length == 0 ? EMPTY : new Bytes(bytes.clone(), false);
  }

  /**
   * Builds a value from unsigned ints, one per byte, for readable literals.
   *
   * @param values each 0..255
   * @return an immutable value
   * @throws ValidationException if a value is out of range
   */
  public static Bytes ofUnsigned(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      if (values[i] < 0 || values[i] > 0xFF) {
        throw new ValidationException("values[" + i + "]", "must be 0..255, was " + values[i]);
      }
      out[i] = (byte) values[i];
    }
    return new Bytes(out, false);
  }

  /**
   * Copies a range of an array.
   *
   * @param bytes the array
   * @param offset first byte
   * @param length number of bytes
   * @return an immutable value
   */
  public static Bytes of(byte[] bytes, int offset, int length) {
    if (offset < 0 || length < 0 || offset > bytes.length - length) {
      throw new ValidationException("range", "offset " + offset + " length " + length + " outside array of " + bytes.length);
    }
    return new Bytes(Arrays.copyOfRange(bytes, offset, offset + length), false);
  }

  /**
   * Parses hex text; whitespace and colons between pairs are ignored.
   *
   * @param hex the text
   * @return the bytes
   * @throws MalformedDataException naming the offset of the first bad character
   */
  public static Bytes fromHex(CharSequence hex) {
    byte[] b = Hex.decode(hex);
    return b.length == 0 ? EMPTY : new Bytes(b, false);
  }

  /**
   * Copies the given bytes into a value marked secret: its {@code toString} prints only the length.
   *
   * @param bytes the bytes (copied)
   * @return a secret-marked value
   */
  public static Bytes secret(byte[] bytes) {
    return new Bytes(bytes.clone(), true);
  }

  /**
   * Wraps an array the caller gives up; no copy is made. For use on hot paths where the caller has
   * just created the array.
   *
   * @param owned an array nobody else will write to again
   * @return an immutable value over that array
   */
  static Bytes wrapOwned(byte[] owned) {
    return new Bytes(owned, false);
  }

  /**
   * Concatenates values.
   *
   * @param parts values to join in order
   * @return the concatenation; secret if any part is secret
   */
  public static Bytes concat(Bytes... parts) {
    int n = 0;
    boolean anySecret = false;
    for (Bytes p : parts) {
      n += p.data.length;
      anySecret |= p.secret;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (Bytes p : parts) {
      System.arraycopy(p.data, 0, out, at, p.data.length);
      at += p.data.length;
    }
    return new Bytes(out, anySecret);
  }

  /** @return a copy of this value marked secret */
  public Bytes asSecret() {
    return secret ? this : new Bytes(data, true);
  }

  /** @return true if this value is marked secret and prints without its content */
  public boolean isSecret() {
    return secret;
  }

  /** @return number of bytes */
  public int length() {
    return data.length;
  }

  /** @return true if there are no bytes */
  public boolean isEmpty() {
    return data.length == 0;
  }

  /**
   * @param index 0..length-1
   * @return the byte at {@code index}, signed
   */
  public byte get(int index) {
    checkIndex(index);
    return data[index];
  }

  /**
   * @param index 0..length-1
   * @return the byte at {@code index} as 0..255
   */
  public int getUnsigned(int index) {
    checkIndex(index);
    return data[index] & 0xFF;
  }

  private void checkIndex(int index) {
    if (index < 0 || index >= data.length) {
      throw new ValidationException("index", "must be 0.." + (data.length - 1) + ", was " + index);
    }
  }

  /**
   * @param from first index, inclusive
   * @param to last index, exclusive
   * @return the bytes in {@code [from, to)}
   */
  public Bytes slice(int from, int to) {
    if (from < 0 || to > data.length || from > to) {
      throw new ValidationException("slice", "[" + from + ", " + to + ") outside 0.." + data.length);
    }
    if (from == 0 && to == data.length) {
      return this;
    }
    return new Bytes(Arrays.copyOfRange(data, from, to), secret);
  }

  /**
   * @param from first index, inclusive
   * @return the bytes from {@code from} to the end
   */
  public Bytes slice(int from) {
    return slice(from, data.length);
  }

  /**
   * @param other bytes to append
   * @return this followed by {@code other}
   */
  public Bytes concat(Bytes other) {
    return concat(this, other);
  }

  /**
   * @param other a value of the same length
   * @return the byte-wise XOR
   * @throws ValidationException if lengths differ
   */
  public Bytes xor(Bytes other) {
    if (other.data.length != data.length) {
      throw new ValidationException("xor", "lengths differ: " + data.length + " and " + other.data.length);
    }
    byte[] out = new byte[data.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) (data[i] ^ other.data[i]);
    }
    return new Bytes(out, secret || other.secret);
  }

  /**
   * @param prefix candidate prefix
   * @return true if this value starts with {@code prefix}
   */
  public boolean startsWith(Bytes prefix) {
    return prefix.data.length <= data.length
        && Arrays.equals(data, 0, prefix.data.length, prefix.data, 0, prefix.data.length);
  }

  /** @return a fresh copy of the bytes */
  public byte[] toByteArray() {
    return data.clone();
  }

  /**
   * Copies the bytes into a caller buffer.
   *
   * @param dest destination
   * @param offset where to start writing
   */
  public void copyTo(byte[] dest, int offset) {
    System.arraycopy(data, 0, dest, offset, data.length);
  }

  /** @return upper-case hex, even for secret-marked values (the caller asked explicitly) */
  public String toHex() {
    return Hex.encode(data);
  }

  /**
   * Compares contents in time that does not depend on where they differ. Use for MACs and
   * cryptograms.
   *
   * @param other the other value
   * @return true if lengths and contents are equal
   */
  public boolean constantTimeEquals(Bytes other) {
    return other != null && MessageDigest.isEqual(data, other.data);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bytes && Arrays.equals(data, ((Bytes) o).data);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0 && data.length > 0) {
      h = Arrays.hashCode(data);
      hash = h;
    }
    return h;
  }

  /** Unsigned lexicographic order. */
  @Override
  public int compareTo(Bytes o) {
    return Arrays.compareUnsigned(data, o.data);
  }

  /** @return {@code Bytes[3: A0B1C2]}, or {@code Bytes[16: secret]} when marked secret */
  @Override
  public String toString() {
    return secret ? "Bytes[" + data.length + ": secret]" : "Bytes[" + data.length + ": " + Hex.encode(data) + "]";
  }
}
