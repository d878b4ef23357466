package dev.perso.core.tlv;

import dev.perso.core.internal.OwnedBytes;
import dev.perso.core.Bytes;
import dev.perso.core.ValidationException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable BER-TLV data object: a {@link Tag} and either a value (primitive) or a list of
 * children (constructed), per ISO/IEC 7816-4 §5.2 and EMV Book 3 Annex B.
 *
 * <p>Whether an object is constructed follows its tag's constructed bit (bit 6 of the first byte);
 * the factories reject a mismatch. {@link #encode()} always writes the minimal length form: short
 * form below 128, otherwise {@code 81}, {@code 82}, {@code 83} or {@code 84} followed by one to four
 * length bytes.
 *
 * <p>Values of tags that {@link EmvTags#isSensitive(Tag)} marks (PAN, track data, cardholder name,
 * PIN data) are stored {@linkplain Bytes#isSecret() secret-marked}: {@link #toString()} and the
 * default {@link TlvPrinter} mask them, and so does {@code Bytes.toString()} of any encoding that
 * contains them.
 *
 * <pre>{@code
 * Tlv record = Tlv.builder(0x70)
 *     .add(0x5A, Bytes.fromHex("4761739001010119"))
 *     .add(0x5F24, Bytes.fromHex("221231"))
 *     .build();
 * record.encode().toHex();                  // "70105A0847617390010101195F2403221231"
 * record.find(Tag.of(0x5F24)).get().value(); // 221231
 * Tlv fci = Tlv.parse(Bytes.fromHex("6F0A8408A000000003101001"));
 * fci.children().get(0).tag();              // 84
 * }</pre>
 */
public final class Tlv {
  private final Tag tag;
  private final Bytes value; // primitive only
  private final List<Tlv> children; // constructed only (unmodifiable)
  private final int valueLength;

  private Tlv(Tag tag, Bytes value, List<Tlv> children, int valueLength) {
    this.tag = tag;
    this.value = value;
    this.children = children;
    this.valueLength = valueLength;
  }

  /**
   * Creates a primitive object.
   *
   * @param tag a primitive tag
   * @param value the value (empty allowed); secret-marked if the tag is sensitive
   * @return the object
   * @throws ValidationException if the tag is constructed or an argument is null
   */
  public static Tlv primitive(Tag tag, Bytes value) {
    requireNonNull("tag", tag);
    requireNonNull("value", value);
    if (tag.isConstructed()) {
      throw new ValidationException("tag", tag.toHex() + " is constructed (bit 6 set); use Tlv.constructed");
    }
    return ofPrimitive(tag, value);
  }

  /**
   * Creates a primitive object.
   *
   * @param tag the tag as a number, e.g. {@code 0x9F36}
   * @param value the value
   * @return the object
   * @throws ValidationException if the tag is invalid or constructed
   */
  public static Tlv primitive(int tag, Bytes value) {
    return primitive(Tag.of(tag), value);
  }

  /** Trusted path for the parser: tag already known primitive. */
  static Tlv ofPrimitive(Tag tag, Bytes value) {
    Bytes v = !value.isSecret() && EmvTags.isSensitive(tag) ? value.asSecret() : value;
    return new Tlv(tag, v, null, v.length());
  }

  /**
   * Creates a constructed object.
   *
   * @param tag a constructed tag
   * @param children the children, in order (copied)
   * @return the object
   * @throws ValidationException if the tag is primitive or an argument is null
   */
  public static Tlv constructed(Tag tag, List<Tlv> children) {
    requireNonNull("tag", tag);
    requireNonNull("children", children);
    if (!tag.isConstructed()) {
      throw new ValidationException("tag", tag.toHex() + " is primitive (bit 6 clear); use Tlv.primitive");
    }
    for (int i = 0; i < children.size(); i++) {
      if (children.get(i) == null) {
        throw new ValidationException("children[" + i + "]", "must not be null");
      }
    }
    return ofConstructed(tag, List.copyOf(children));
  }

  /**
   * Creates a constructed object.
   *
   * @param tag a constructed tag
   * @param children the children, in order
   * @return the object
   * @throws ValidationException if the tag is primitive or an argument is null
   */
  public static Tlv constructed(Tag tag, Tlv... children) {
    requireNonNull("children", children);
    return constructed(tag, java.util.Arrays.asList(children));
  }

  /** Trusted path for the parser: the list is unmodifiable and owned. */
  static Tlv ofConstructed(Tag tag, List<Tlv> children) {
    long n = 0;
    for (Tlv c : children) {
      n += c.encodedLength();
    }
    if (n > Integer.MAX_VALUE - 16) {
      throw new ValidationException("children", "encoded size exceeds 2 GiB");
    }
    return new Tlv(tag, null, children, (int) n);
  }

  /**
   * Starts a fluent builder for a constructed object.
   *
   * @param tag a constructed tag
   * @return the builder
   */
  public static Builder builder(Tag tag) {
    requireNonNull("tag", tag);
    if (!tag.isConstructed()) {
      throw new ValidationException("tag", tag.toHex() + " is primitive (bit 6 clear); builders make constructed objects");
    }
    return new Builder(tag);
  }

  /**
   * Starts a fluent builder for a constructed object.
   *
   * @param tag a constructed tag as a number, e.g. {@code 0x70}
   * @return the builder
   */
  public static Builder builder(int tag) {
    return builder(Tag.of(tag));
  }

  /**
   * Parses exactly one object (with optional {@code 00}/{@code FF} padding around it) using
   * {@link TlvParser#strict()}.
   *
   * @param encoded the encoding
   * @return the object
   * @throws dev.perso.core.MalformedDataException naming the offset of the offending byte
   */
  public static Tlv parse(Bytes encoded) {
    return TlvParser.strict().parseOne(encoded);
  }

  /**
   * Parses a sequence of top-level objects using {@link TlvParser#strict()}.
   *
   * @param encoded the encoding
   * @return the objects in order (unmodifiable)
   * @throws dev.perso.core.MalformedDataException naming the offset of the offending byte
   */
  public static List<Tlv> parseAll(Bytes encoded) {
    return TlvParser.strict().parse(encoded);
  }

  /** @return the tag */
  public Tag tag() {
    return tag;
  }

  /** @return true if this object holds children rather than a value */
  public boolean isConstructed() {
    return children != null;
  }

  /**
   * Returns the value field: the raw value of a primitive object, or the encoding of the children
   * of a constructed one.
   *
   * @return the value bytes; secret-marked when any part is secret
   */
  public Bytes value() {
    if (value != null) {
      return value;
    }
    byte[] out = new byte[valueLength];
    boolean secret = false;
    int at = 0;
    for (Tlv c : children) {
      at = c.writeTo(out, at);
      secret |= c.containsSecret();
    }
    Bytes b = OwnedBytes.wrap(out);
    return secret ? b.asSecret() : b;
  }

  /** @return the children of a constructed object (unmodifiable), or an empty list for a primitive one */
  public List<Tlv> children() {
    return children != null ? children : List.of();
  }

  /** @return the length of the value field in bytes (the L of TLV) */
  public int length() {
    return valueLength;
  }

  /** @return the size of the whole encoding (tag, length and value fields) in bytes */
  public int encodedLength() {
    return tag.size() + lengthFieldSize(valueLength) + valueLength;
  }

  /** @return true if this value, or any value below it, is secret-marked */
  public boolean containsSecret() {
    if (value != null) {
      return value.isSecret();
    }
    for (Tlv c : children) {
      if (c.containsSecret()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Searches this object and its descendants, depth first in encoding order.
   *
   * @param wanted the tag to find
   * @return the first object with that tag
   */
  public Optional<Tlv> find(Tag wanted) {
    return Optional.ofNullable(findFirst(this, wanted));
  }

  /**
   * Searches this object and its descendants, depth first in encoding order.
   *
   * @param wanted the tag to find
   * @return every object with that tag, in encoding order
   */
  public List<Tlv> findAll(Tag wanted) {
    List<Tlv> out = new ArrayList<>();
    collect(this, wanted, out);
    return Collections.unmodifiableList(out);
  }

  /**
   * Searches a list of objects (e.g. a parse result) and their descendants.
   *
   * @param objects the objects
   * @param wanted the tag to find
   * @return the first object with that tag
   */
  public static Optional<Tlv> find(List<Tlv> objects, Tag wanted) {
    for (Tlv t : objects) {
      Tlv hit = findFirst(t, wanted);
      if (hit != null) {
        return Optional.of(hit);
      }
    }
    return Optional.empty();
  }

  /**
   * Searches a list of objects (e.g. a parse result) and their descendants.
   *
   * @param objects the objects
   * @param wanted the tag to find
   * @return every object with that tag, in encoding order
   */
  public static List<Tlv> findAll(List<Tlv> objects, Tag wanted) {
    List<Tlv> out = new ArrayList<>();
    for (Tlv t : objects) {
      collect(t, wanted, out);
    }
    return Collections.unmodifiableList(out);
  }

  private static Tlv findFirst(Tlv t, Tag wanted) {
    if (t.tag.equals(wanted)) {
      return t;
    }
    if (t.children != null) {
      for (Tlv c : t.children) {
        Tlv hit = findFirst(c, wanted);
        if (hit != null) {
          return hit;
        }
      }
    }
    return null;
  }

  private static void collect(Tlv t, Tag wanted, List<Tlv> out) {
    if (t.tag.equals(wanted)) {
      out.add(t);
    }
    if (t.children != null) {
      for (Tlv c : t.children) {
        collect(c, wanted, out);
      }
    }
  }

  /** @return the BER-TLV encoding with minimal length fields; secret-marked if any value is secret */
  public Bytes encode() {
    byte[] out = new byte[encodedLength()];
    writeTo(out, 0);
    Bytes b = OwnedBytes.wrap(out);
    return containsSecret() ? b.asSecret() : b;
  }

  /**
   * Encodes a sequence of objects back to back.
   *
   * @param objects the objects
   * @return the concatenated encodings; secret-marked if any value is secret
   */
  public static Bytes encodeAll(List<Tlv> objects) {
    long n = 0;
    boolean secret = false;
    for (Tlv t : objects) {
      n += t.encodedLength();
      secret |= t.containsSecret();
    }
    if (n > Integer.MAX_VALUE - 16) {
      throw new ValidationException("objects", "encoded size exceeds 2 GiB");
    }
    byte[] out = new byte[(int) n];
    int at = 0;
    for (Tlv t : objects) {
      at = t.writeTo(out, at);
    }
    Bytes b = OwnedBytes.wrap(out);
    return secret ? b.asSecret() : b;
  }

  int writeTo(byte[] out, int at) {
    at = tag.writeTo(out, at);
    at = writeLength(out, at, valueLength);
    if (value != null) {
      value.copyTo(out, at);
      return at + valueLength;
    }
    for (Tlv c : children) {
      at = c.writeTo(out, at);
    }
    return at;
  }

  /**
   * @param length a value length
   * @return the size of its minimal BER length field: 1 for 0..127, else 2..5
   */
  static int lengthFieldSize(int length) {
    if (length < 0x80) {
      return 1;
    }
    if (length <= 0xFF) {
      return 2;
    }
    if (length <= 0xFFFF) {
      return 3;
    }
    return length <= 0xFFFFFF ? 4 : 5;
  }

  static int writeLength(byte[] out, int at, int length) {
    int n = lengthFieldSize(length);
    if (n == 1) {
      out[at] = (byte) length;
      return at + 1;
    }
    out[at++] = (byte) (0x80 | (n - 1));
    for (int i = n - 2; i >= 0; i--) {
      out[at++] = (byte) (length >>> (8 * i));
    }
    return at;
  }

  /**
   * @param length a value length
   * @return its minimal BER length field, e.g. {@code 8180} for 128
   */
  static Bytes encodeLength(int length) {
    byte[] out = new byte[lengthFieldSize(length)];
    writeLength(out, 0, length);
    return OwnedBytes.wrap(out);
  }

  /**
   * Renders this object as an indented tree with EMV names and sensitive values masked.
   *
   * @return the tree, one object per line
   * @see TlvPrinter
   */
  public String prettyPrint() {
    return TlvPrinter.masked().print(this);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Tlv)) {
      return false;
    }
    Tlv t = (Tlv) o;
    return tag.equals(t.tag) && Objects.equals(value, t.value) && Objects.equals(children, t.children);
  }

  @Override
  public int hashCode() {
    return tag.hashCode() * 31 + (value != null ? value.hashCode() : children.hashCode());
  }

  /**
   * A one-line form: {@code 84(7)=A0000000041010}, {@code 5A(8)=masked}, {@code 6F(10){84(8)=...}}.
   *
   * @return the object on one line, secret values masked
   */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    appendCompact(s);
    return s.toString();
  }

  private void appendCompact(StringBuilder s) {
    s.append(tag.toHex()).append('(').append(valueLength).append(')');
    if (value != null) {
      s.append('=').append(value.isSecret() ? "masked" : value.toHex());
      return;
    }
    s.append('{');
    for (int i = 0; i < children.size(); i++) {
      if (i > 0) {
        s.append(' ');
      }
      children.get(i).appendCompact(s);
    }
    s.append('}');
  }

  private static void requireNonNull(String field, Object o) {
    if (o == null) {
      throw new ValidationException(field, "must not be null");
    }
  }

  /**
   * Builds a constructed {@link Tlv} child by child.
   *
   * <pre>{@code
   * Tlv gpo = Tlv.builder(0x77).add(0x82, Bytes.fromHex("3900")).add(0x94, afl).build();
   * }</pre>
   */
  public static final class Builder {
    private final Tag tag;
    private final List<Tlv> children = new ArrayList<>();

    private Builder(Tag tag) {
      this.tag = tag;
    }

    /**
     * @param child a child object
     * @return this builder
     */
    public Builder add(Tlv child) {
      requireNonNull("child", child);
      children.add(child);
      return this;
    }

    /**
     * Adds a primitive child.
     *
     * @param childTag its tag
     * @param value its value
     * @return this builder
     */
    public Builder add(Tag childTag, Bytes value) {
      return add(Tlv.primitive(childTag, value));
    }

    /**
     * Adds a primitive child.
     *
     * @param childTag its tag as a number, e.g. {@code 0x9F36}
     * @param value its value
     * @return this builder
     */
    public Builder add(int childTag, Bytes value) {
      return add(Tlv.primitive(childTag, value));
    }

    /** @return the constructed object */
    public Tlv build() {
      return Tlv.constructed(tag, children);
    }
  }
}
