package dev.perso.iso7813;

import dev.perso.core.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An issuer-defined, ordered list of the fields that make up a track's discretionary data: PVKI (1),
 * PVV (4), CVV (3), iCVV (3), constants, and padding to a total length. The layout is an issuer (and
 * scheme) parameter, not an ISO fact; see {@link IssuerLayout} for two documented examples.
 *
 * <pre>{@code
 * DiscretionaryLayout dd = DiscretionaryLayout.builder()
 *     .pvki().pvv().cvv().padTo(13, '0')
 *     .build();
 * dd.fill(new SecurityCodes("1", "4021", "561", null));   // "1402156100000"
 * }</pre>
 */
public final class DiscretionaryLayout {

  /** What an element contributes. */
  public enum Kind {
    /** The PIN verification key index, 1 digit. */
    PVKI,
    /** The Visa PVV, 4 digits. */
    PVV,
    /** The CVV/CVC with the track's service code, 3 digits. */
    CVV,
    /** The iCVV (service code 999), 3 digits; used in the chip's track 2 equivalent data. */
    ICVV,
    /** A constant text. */
    CONSTANT,
    /** Padding with one character up to a total discretionary-data length. */
    PAD_TO
  }

  /**
   * One element of a layout.
   *
   * @param kind what it contributes
   * @param constant the text of a {@link Kind#CONSTANT}, else empty
   * @param length the target total length of a {@link Kind#PAD_TO}, else 0
   * @param pad the padding character of a {@link Kind#PAD_TO}, else {@code '0'}
   */
  public record Element(Kind kind, String constant, int length, char pad) {
    /** Checks the element. */
    public Element {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(constant, "constant");
      if (kind == Kind.PAD_TO && (length < 0 || length > 104)) {
        throw new ValidationException("padTo", "length must be 0..104, was " + length);
      }
    }
  }

  private final List<Element> elements;
  private final boolean usesPvv;
  private final boolean usesCvv;
  private final boolean usesIcvv;

  private DiscretionaryLayout(List<Element> elements) {
    this.elements = List.copyOf(elements);
    this.usesPvv = elements.stream().anyMatch(e -> e.kind() == Kind.PVV);
    this.usesCvv = elements.stream().anyMatch(e -> e.kind() == Kind.CVV);
    this.usesIcvv = elements.stream().anyMatch(e -> e.kind() == Kind.ICVV);
  }

  /** @return a new builder */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the elements in order */
  public List<Element> elements() {
    return elements;
  }

  /**
   * @param kind a kind
   * @return true when an element of that kind is present
   */
  public boolean uses(Kind kind) {
    return switch (kind) {
      case PVV -> usesPvv;
      case CVV -> usesCvv;
      case ICVV -> usesIcvv;
      default -> elements.stream().anyMatch(e -> e.kind() == kind);
    };
  }

  /** @return the same layout with every CVV element replaced by an iCVV element (chip track 2 data) */
  public DiscretionaryLayout withIcvvForCvv() {
    List<Element> out = new ArrayList<>(elements.size());
    for (Element e : elements) {
      out.add(e.kind() == Kind.CVV ? new Element(Kind.ICVV, "", 0, '0') : e);
    }
    return new DiscretionaryLayout(out);
  }

  /**
   * Assembles the discretionary data.
   *
   * @param codes the values to place
   * @return the discretionary data
   * @throws ValidationException when a value the layout needs is missing, or the data is already longer
   *     than a padding target
   */
  public String fill(SecurityCodes codes) {
    Objects.requireNonNull(codes, "codes");
    StringBuilder b = new StringBuilder(32);
    for (Element e : elements) {
      switch (e.kind()) {
        case PVKI -> b.append(need("pvki", codes.pvki()));
        case PVV -> b.append(need("pvv", codes.pvv()));
        case CVV -> b.append(need("cvv", codes.cvv()));
        case ICVV -> b.append(need("icvv", codes.icvv()));
        case CONSTANT -> b.append(e.constant());
        case PAD_TO -> {
          if (b.length() > e.length()) {
            throw new ValidationException("discretionaryData", "is " + b.length() + " characters before padding, over the padding target of " + e.length());
          }
          while (b.length() < e.length()) {
            b.append(e.pad());
          }
        }
        default -> throw new IllegalStateException();
      }
    }
    return b.toString();
  }

  private static String need(String field, String value) {
    if (value == null) {
      throw new ValidationException(field, "required by the discretionary-data layout");
    }
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DiscretionaryLayout l && l.elements.equals(elements);
  }

  @Override
  public int hashCode() {
    return elements.hashCode();
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("DiscretionaryLayout[");
    for (int i = 0; i < elements.size(); i++) {
      Element e = elements.get(i);
      if (i > 0) {
        b.append(' ');
      }
      switch (e.kind()) {
        case CONSTANT -> b.append('"').append(e.constant()).append('"');
        case PAD_TO -> b.append("padTo(").append(e.length()).append(",'").append(e.pad()).append("')");
        default -> b.append(e.kind());
      }
    }
    return b.append(']').toString();
  }

  /** Builder for {@link DiscretionaryLayout}; elements are appended in call order. */
  public static final class Builder {
    private final List<Element> elements = new ArrayList<>();

    private Builder() {}

    /** @return this, with the PVKI (1 digit) appended */
    public Builder pvki() {
      elements.add(new Element(Kind.PVKI, "", 0, '0'));
      return this;
    }

    /** @return this, with the PVV (4 digits) appended */
    public Builder pvv() {
      elements.add(new Element(Kind.PVV, "", 0, '0'));
      return this;
    }

    /** @return this, with the CVV (3 digits) appended */
    public Builder cvv() {
      elements.add(new Element(Kind.CVV, "", 0, '0'));
      return this;
    }

    /** @return this, with the iCVV (3 digits) appended */
    public Builder icvv() {
      elements.add(new Element(Kind.ICVV, "", 0, '0'));
      return this;
    }

    /**
     * @param text constant text (checked against the track's character set when the track is built)
     * @return this
     */
    public Builder constant(String text) {
      elements.add(new Element(Kind.CONSTANT, Objects.requireNonNull(text, "text"), 0, '0'));
      return this;
    }

    /**
     * @param length total discretionary-data length to pad to
     * @param pad the padding character
     * @return this
     */
    public Builder padTo(int length, char pad) {
      elements.add(new Element(Kind.PAD_TO, "", length, pad));
      return this;
    }

    /** @return the layout */
    public DiscretionaryLayout build() {
      return new DiscretionaryLayout(elements);
    }
  }
}
