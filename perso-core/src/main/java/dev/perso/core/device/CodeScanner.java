package dev.perso.core.device;

import dev.perso.core.surface.Side;
import java.util.List;

/**
 * Reads the codes printed or engraved on a side of the card at its position (a barcode imager): how a later
 * stage identifies a card by the code an earlier stage printed on it. A card without a readable code gives an
 * empty list, not an error.
 *
 * <pre>{@code
 * CodeScanner scanner = ctx.device(DeviceRole.CODE_SCANNER);
 * List<ScannedCode> codes = scanner.scan(ctx.card(), Side.FRONT);   // empty: no code, or none readable
 * }</pre>
 */
public interface CodeScanner extends Device {
  /**
   * @param card the card at the scanner
   * @param side the side to read
   * @return the codes decoded on that side, in reading order; empty if there is none or none is readable
   * @throws dev.perso.core.DeviceException NO_CARD, COMMUNICATION_ERROR
   */
  List<ScannedCode> scan(CardTag card, Side side);
}
