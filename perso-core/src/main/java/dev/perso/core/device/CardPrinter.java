package dev.perso.core.device;

import dev.perso.core.surface.PrintJob;

/**
 * Prints faces on the card at its position.
 *
 * <pre>{@code
 * printer.print(card, PrintJob.builder().face(Side.FRONT, png, EnumSet.of(Panel.K)).build());
 * }</pre>
 */
public interface CardPrinter extends Device {
  /**
   * @param card the card at the printer
   * @param job the faces
   * @throws dev.perso.core.DeviceException RIBBON_OUT, COVER_OPEN, JAM, WRITE_ERROR
   */
  void print(CardTag card, PrintJob job);
}
