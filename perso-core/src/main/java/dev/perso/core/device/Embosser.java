package dev.perso.core.device;

import dev.perso.core.surface.EmbossLine;
import java.util.List;

/**
 * Embosses lines of characters with topping on the card at its position.
 *
 * <pre>{@code
 * embosser.emboss(card, List.of(new EmbossLine("4761 7390 0101 0010", EmbossFont.FARRINGTON_7B, 10.2, 21.0, Topping.SILVER)));
 * }</pre>
 */
public interface Embosser extends Device {
  /**
   * @param card the card at the embosser
   * @param lines the lines
   * @throws dev.perso.core.DeviceException RIBBON_OUT (topping foil), JAM, WRITE_ERROR
   */
  void emboss(CardTag card, List<EmbossLine> lines);
}
