package dev.perso.core.tlv;

import dev.perso.core.Bytes;
import dev.perso.core.ValidationException;
import java.util.List;

/**
 * Renders TLV objects as an indented tree: tag, length field and EMV name on each line, and the
 * value in hex for primitives (plus the ASCII text in quotes for text-valued tags such as
 * {@code 50}, {@code 9F12} and {@code 5F2D}).
 *
 * <p>By default values of sensitive tags ({@link EmvTags#isSensitive(Tag)}) and any other
 * secret-marked value are masked. {@link #revealingSecrets()} prints them; use it only where the
 * operator asked for it, e.g. the CLI calculator.
 *
 * <pre>{@code
 * String tree = TlvPrinter.masked().print(Tlv.parseAll(Bytes.fromHex(
 *     "6F1A8407A0000000041010A50F500A4D617374657243617264870101")));
 * // 6F 1A File Control Information (FCI) Template
 * //   84 07 Dedicated File (DF) Name: A0000000041010
 * //   A5 0F File Control Information (FCI) Proprietary Template
 * //     50 0A Application Label: 4D617374657243617264 "MasterCard"
 * //     87 01 Application Priority Indicator: 01
 * // and a PAN prints as:
 * // 5A 08 Application Primary Account Number (PAN) [8 bytes, masked]
 * }</pre>
 */
public final class TlvPrinter {
  private static final TlvPrinter MASKED = new TlvPrinter(false, "  ");

  private final boolean reveal;
  private final String indent;

  private TlvPrinter(boolean reveal, String indent) {
    this.reveal = reveal;
    this.indent = indent;
  }

  /** @return the default printer: sensitive values masked, two-space indent */
  public static TlvPrinter masked() {
    return MASKED;
  }

  /** @return a printer like this one that prints sensitive values in clear */
  public TlvPrinter revealingSecrets() {
    return new TlvPrinter(true, indent);
  }

  /**
   * @param unit the text added per nesting level
   * @return a printer like this one with another indent
   */
  public TlvPrinter withIndent(String unit) {
    if (unit == null) {
      throw new ValidationException("indent", "must not be null");
    }
    return new TlvPrinter(reveal, unit);
  }

  /**
   * @param tlv an object
   * @return its tree, one line per object, each line ending in a newline
   */
  public String print(Tlv tlv) {
    StringBuilder s = new StringBuilder(64);
    append(s, tlv, 0);
    return s.toString();
  }

  /**
   * @param objects objects, e.g. a parse result
   * @return their trees, one line per object
   */
  public String print(List<Tlv> objects) {
    StringBuilder s = new StringBuilder(64 * Math.max(1, objects.size()));
    for (Tlv t : objects) {
      append(s, t, 0);
    }
    return s.toString();
  }

  private void append(StringBuilder s, Tlv t, int depth) {
    for (int i = 0; i < depth; i++) {
      s.append(indent);
    }
    Bytes lengthField = Tlv.encodeLength(t.length());
    s.append(t.tag().toHex()).append(' ');
    for (int i = 0; i < lengthField.length(); i++) {
      if (i > 0) {
        s.append(' ');
      }
      s.append(dev.perso.core.internal.Hex.byteToHex(lengthField.getUnsigned(i)));
    }
    EmvTags.DataElement e = EmvTags.lookup(t.tag()).orElse(null);
    if (e != null) {
      s.append(' ').append(e.name());
    }
    if (t.isConstructed()) {
      s.append('\n');
      for (Tlv c : t.children()) {
        append(s, c, depth + 1);
      }
      return;
    }
    Bytes v = t.value();
    if (v.isSecret() && !reveal) {
      s.append(" [").append(v.length()).append(v.length() == 1 ? " byte" : " bytes").append(", masked]\n");
      return;
    }
    if (!v.isEmpty()) {
      s.append(": ").append(v.toHex());
      if (e != null && e.text()) {
        s.append(" \"");
        for (int i = 0; i < v.length(); i++) {
          int c = v.getUnsigned(i);
          s.append(c >= 0x20 && c < 0x7F ? (char) c : '.');
        }
        s.append('"');
      }
    }
    s.append('\n');
  }
}
