package dev.perso.core.device;

/**
 * A contact (or contactless) station that powers the chip of the card at its position and gives a
 * channel to it. One card at a time; the session ends (the card is powered off) when it is closed.
 *
 * <pre>{@code
 * try (ChipSession chip = station.power(card)) {
 *   personalizer.personalize(chip.channel(), record);
 * }
 * }</pre>
 */
public interface ChipStation extends Device {

  /**
   * Powers the card and resets it.
   *
   * @param card the card at the station
   * @return the open session with the ATR and the channel
   * @throws dev.perso.core.DeviceException CHIP_CONTACT_ERROR (no ATR), NO_CARD, TIMEOUT
   */
  ChipSession power(CardTag card);
}
