package dev.perso.core.device;

import dev.perso.core.surface.LaserJob;

/**
 * Engraves a template's elements on the card at its position.
 *
 * <pre>{@code
 * laser.engrave(card, new LaserJob("id-front", Side.FRONT, Map.of("name", "JANE DOE")));
 * }</pre>
 */
public interface LaserEngraver extends Device {
  /**
   * @param card the card at the engraver
   * @param job the template and its element values
   * @throws dev.perso.core.DeviceException COVER_OPEN, JAM, WRITE_ERROR
   */
  void engrave(CardTag card, LaserJob job);
}
