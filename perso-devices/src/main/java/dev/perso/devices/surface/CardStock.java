package dev.perso.devices.surface;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The blank card a layout is for: where its chip contacts are (front) and where its magnetic stripe is
 * (back), if it has them, and the plastic's colour. The geometry is the card stock's parameter (check it
 * against the stock's drawing), not a constant of the SDK.
 *
 * <pre>{@code
 * CardStock stock = new CardStock(new Box(9.0, 17.9, 12.0, 10.5), new Box(0, 5.5, 85.6, 10.3), "#FFFFFF");
 * }</pre>
 *
 * @param chip the chip module's outline on the front, or null without a chip
 * @param stripe the magnetic stripe's band on the back, or null without a stripe
 * @param colour the plastic's colour as {@code #RRGGBB} (default white)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CardStock(Box chip, Box stripe, String colour) {
  /** Checks the values. */
  public CardStock {
    colour = colour == null ? "#FFFFFF" : Colours.check("stock.colour", colour);
  }

  /** @return a plain white card without chip or stripe */
  public static CardStock plain() {
    return new CardStock(null, null, null);
  }
}
