package dev.perso.core.device;

import dev.perso.core.ValidationException;
import java.util.Objects;

/**
 * One code a {@link CodeScanner} decoded on a card: its symbology and the text it carries. A code on a card
 * carries an identifier (a record id, a stage output), never a PAN or a secret; even so, {@code toString}
 * shows the symbology and the text's length only.
 *
 * <pre>{@code
 * ScannedCode c = new ScannedCode("QR_CODE", "000042");
 * c.symbology();   // "QR_CODE"
 * }</pre>
 *
 * @param symbology the symbology's name as the layout writes it, e.g. {@code QR_CODE}, {@code CODE_128}
 * @param text the decoded text
 */
public record ScannedCode(String symbology, String text) {
  /** Checks the values. */
  public ScannedCode {
    if (symbology == null || !symbology.matches("[A-Z0-9_]{1,32}")) {
      throw new ValidationException("symbology", "must be 1 to 32 capitals, digits or '_', e.g. QR_CODE");
    }
    Objects.requireNonNull(text, "text");
  }

  @Override
  public String toString() {
    return symbology + " code (" + text.length() + " characters)";
  }
}
