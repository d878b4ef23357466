package dev.perso.core.device;

import java.util.Set;

/**
 * Writes, reads back and erases the magnetic stripe of the card at its position.
 *
 * <pre>{@code
 * encoder.write(card, stripe);
 * int bad = stripe.firstDifference(encoder.read(card));   // 0 when every track reads back equal
 * }</pre>
 */
public interface MagStripeEncoder extends Device {

  /**
   * @param card the card at the encoder
   * @param data the tracks to write
   * @throws dev.perso.core.DeviceException WRITE_ERROR, NO_CARD, TIMEOUT
   */
  void write(CardTag card, StripeData data);

  /**
   * @param card the card at the encoder
   * @return the tracks read
   * @throws dev.perso.core.DeviceException read errors as WRITE_ERROR or READ_BACK_MISMATCH, NO_CARD, TIMEOUT
   */
  StripeData read(CardTag card);

  /**
   * @param card the card at the encoder
   * @param tracks the track numbers to erase
   */
  void erase(CardTag card, Set<Integer> tracks);
}
