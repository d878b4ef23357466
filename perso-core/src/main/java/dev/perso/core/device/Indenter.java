package dev.perso.core.device;

import dev.perso.core.surface.IndentLine;
import java.util.List;

/**
 * Indents (debosses) characters on the card at its position.
 *
 * <pre>{@code
 * indenter.indent(card, List.of(new IndentLine("123", EmbossFont.INDENT_OCR, Side.BACK, 62.0, 12.5)));
 * }</pre>
 */
public interface Indenter extends Device {
  /**
   * @param card the card at the indenter
   * @param lines the lines
   * @throws dev.perso.core.DeviceException RIBBON_OUT, JAM, WRITE_ERROR
   */
  void indent(CardTag card, List<IndentLine> lines);
}
